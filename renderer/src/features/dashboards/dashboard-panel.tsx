/**
 * One panel of a dashboard: a MetricChart of its series, each one `metrics.query` sized by this
 * panel's plot width in CSS pixels. A series whose source is unreachable is not asked and its
 * source's state is shown instead; a live chart whose data stops says "no data since HH:MM". A
 * fixed period is asked once and never called stale: it shows what the store holds for it.
 */
import { useEffect, useId, useState } from 'react';
import type { Panel, PanelSeries } from '../../../../shared/domain/dashboard';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { MetricChart, type MetricChartSeries } from '../../components/metric-chart/metric-chart';
import { seriesLabel, unitLabel } from '../../components/metric-chart/series-label';
import { SourceUnreachable } from '../../components/metric-source';
import { StatusIcon } from '../../components/status-icon';
import { useMetricQueries, type MetricQueryRequest, type MetricSource } from '../../lib/api/metric-queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import type { LiveRange } from './live-range';

/** A live series counts as stale after this many query steps, two refreshes, or a minute. */
const STALE_STEPS = 3;
const MIN_STALE_MS = 60_000;

export function panelRequest(series: PanelSeries, range: LiveRange, widthPx: number): MetricQueryRequest {
  return {
    source: series.source,
    measurement: series.measurement,
    field: series.field,
    where: series.where,
    groupBy: series.groupBy,
    aggregation: series.aggregation,
    from: Math.floor(range.from),
    to: Math.ceil(range.to),
    widthPx: Math.min(16_384, Math.max(1, Math.round(widthPx))),
    ...(series.transform ? { transform: series.transform } : {}),
  };
}

export interface DashboardPanelProps {
  readonly panel: Panel;
  readonly range: LiveRange;
  readonly refreshMs: number;
  /** Undefined until the first answer of `metrics.sources` (empty when it failed). */
  readonly sources: readonly MetricSource[] | undefined;
  /** Shown in edit mode only. */
  readonly onRemove?: (() => void) | undefined;
  /** Called each time every asked series has a fresh answer. */
  readonly onData?: (() => void) | undefined;
  /** Opens the panel's series in the metric explorer; absent: no such button (the wall). */
  readonly onOpenInExplorer?: (() => void) | undefined;
}

/** A panel's own label for a series, with the tags that tell its group-by lines apart. */
function labelled(label: string, tags: Readonly<Record<string, string>>): string {
  const entries = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? label : `${label} · ${entries.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}

export function DashboardPanel({
  panel,
  range,
  refreshMs,
  sources,
  onRemove,
  onData,
  onOpenInExplorer,
}: DashboardPanelProps) {
  const { t } = useI18n();
  const headingId = useId();
  const [widthPx, setWidthPx] = useState<number | null>(null);
  const sourceOf = (id: string) => sources?.find((s) => s.id === id);
  const reachable = (series: PanelSeries) => sourceOf(series.source)?.state !== 'unreachable';
  // Asked once the sources are known: an unreachable one is shown, never queried.
  const requests = panel.series.map((series) =>
    widthPx !== null && sources !== undefined && reachable(series)
      ? panelRequest(series, range, widthPx)
      : null,
  );
  const results = useMetricQueries(requests);

  const unreachable = [
    ...new Map(
      panel.series
        .filter((s) => !reachable(s))
        .flatMap((s) => {
          const source = sourceOf(s.source);
          return source ? [[source.id, source] as const] : [];
        }),
    ).values(),
  ];

  const chartSeries: MetricChartSeries[] = [];
  results.forEach((result, index) => {
    const spec = panel.series[index];
    if (!spec || requests[index] === null || !result.data) return;
    result.data.frames.forEach((frame, frameIndex) => {
      chartSeries.push({
        key: `${index}:${frameIndex}:${JSON.stringify(frame.tags)}`,
        label: spec.label !== undefined ? labelled(spec.label, frame.tags) : seriesLabel(t, spec, frame),
        unit: frame.unit,
        unitLabel: unitLabel(t, frame.unit),
        frame,
      });
    });
  });
  const asked = requests.filter((r) => r !== null).length;
  const stepMs = Math.max(0, ...results.map((r) => r.data?.stepMs ?? 0));
  const staleAfterMs = Math.max(MIN_STALE_MS, 2 * refreshMs, STALE_STEPS * stepMs);
  const loading = results.some((r, i) => requests[i] !== null && r.isPending);
  const truncated = results.some((r, i) => requests[i] !== null && r.data?.truncated === true);
  // A series that answered without a single frame has no data at all: said by name, so a
  // mapping that matches nothing (a wrong agent_host, a check Telegraf never ran) is not hidden
  // behind the lines of the others.
  const empty = results.flatMap((r, i) => {
    const spec = panel.series[i];
    return requests[i] !== null && spec && r.isSuccess && r.data.frames.length === 0
      ? [spec.label ?? seriesLabel(t, spec)]
      : [];
  });
  const failures = results.flatMap((r, i) =>
    requests[i] !== null && r.isError && panel.series[i] ? [{ index: i, error: r.error }] : [],
  );

  const settled =
    asked > 0 && results.every((r, i) => requests[i] === null || (r.isSuccess && !r.isPlaceholderData));
  const signature = results.map((r) => r.dataUpdatedAt).join(',');
  useEffect(() => {
    if (settled) onData?.();
  }, [settled, signature, onData]);

  // Every series is on an unreachable source: no chart at all, so nothing old can pass for live.
  const showChart = unreachable.length === 0 || asked > 0 || widthPx === null;

  return (
    <section
      className="dashboard-panel"
      aria-labelledby={headingId}
      data-testid={`panel-${panel.id}`}
      style={{
        gridColumn: `${panel.layout.x + 1} / span ${panel.layout.w}`,
        gridRow: `${panel.layout.y + 1} / span ${panel.layout.h}`,
      }}
    >
      <header className="dashboard-panel__header">
        <h3 className="dashboard-panel__title" id={headingId}>
          {panel.title}
        </h3>
        {onOpenInExplorer && (
          <button
            type="button"
            className="button button--small"
            onClick={onOpenInExplorer}
            data-testid={`open-panel-in-explorer-${panel.id}`}
          >
            {t('dashboards.openInExplorer')}
            <span className="visually-hidden"> {panel.title}</span>
          </button>
        )}
        {onRemove && (
          <button
            type="button"
            className="button button--small"
            onClick={onRemove}
            data-testid={`remove-panel-${panel.id}`}
          >
            {t('dashboards.removePanel')}
            <span className="visually-hidden"> {panel.title}</span>
          </button>
        )}
      </header>
      {truncated && (
        <p className="dashboard-panel__warning" role="status">
          <StatusIcon status="degraded" /> {t('explorer.truncated')}
        </p>
      )}
      {failures.map(({ index, error }) => (
        <ApiErrorNotice
          key={index}
          error={error}
          title={t('explorer.queryFailed', {
            series: panel.series[index] ? seriesLabel(t, panel.series[index]) : '',
          })}
          testId="panel-query-error"
        />
      ))}
      {empty.length > 0 && empty.length < asked && (
        <p className="dashboard-panel__warning" data-testid="panel-no-data-for">
          <StatusIcon status="unknown" /> {t('dashboards.panel.noDataFor', { series: empty.join('; ') })}
        </p>
      )}
      {unreachable.map((source) => (
        <SourceUnreachable key={source.id} source={source} />
      ))}
      {showChart && (
        <MetricChart
          series={chartSeries}
          from={range.from}
          to={range.to}
          label={t('explorer.chartLabel', {
            series: chartSeries.map((s) => s.label).join('; ') || panel.title,
          })}
          live={range.live}
          staleAfterMs={staleAfterMs}
          loading={loading}
          onWidthPx={setWidthPx}
        />
      )}
    </section>
  );
}
