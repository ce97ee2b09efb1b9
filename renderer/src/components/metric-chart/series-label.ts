/** How a series and its unit read in the legend, the series list and the CSV header. */
import { isMessageKey } from '../../../../shared/i18n';
import type { MetricFrame } from '../../../../shared/api';
import type { Translate } from '../../lib/i18n/i18n-context';

/** What a label needs of a series (an explorer series or a dashboard panel's). */
export interface LabelledSeries {
  readonly field: string;
  readonly aggregation: string;
  readonly where: readonly { readonly key: string; readonly op: string; readonly value: string }[];
}

/** The unit as shown: a known unit through the catalogs (`°C`, `bit/s`), any other as the store names it. */
export function unitLabel(t: Translate, unit: string | null): string {
  if (unit === null || unit.trim() === '') return '';
  const key = `unitSymbol.${unit}`;
  return isMessageKey(key) ? t(key) : unit;
}

/**
 * The tags that tell series apart, as `key=value, ...`: the "=" filters, then the frame's group-by
 * tags. A Map, not an object: tag keys come from the store and may be `__proto__`.
 */
function tagsText(series: LabelledSeries, frameTags: Readonly<Record<string, string>>): string {
  const tags = new Map<string, string>();
  for (const filter of series.where)
    if (filter.op === '=' && filter.value !== '') tags.set(filter.key, filter.value);
  for (const [key, value] of Object.entries(frameTags)) tags.set(key, value);
  return [...tags]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** `latency (mean) · source=api-a`; the frame is absent before the first answer. */
export function seriesLabel(
  t: Translate,
  series: LabelledSeries,
  frame?: Pick<MetricFrame, 'name' | 'tags'>,
): string {
  const aggregationKey = `aggregation.${series.aggregation}`;
  const name = t('explorer.seriesName', {
    field: frame?.name || series.field || t('explorer.noField'),
    aggregation: isMessageKey(aggregationKey) ? t(aggregationKey) : series.aggregation,
  });
  const tags = tagsText(series, frame?.tags ?? {});
  return tags === '' ? name : `${name} · ${tags}`;
}
