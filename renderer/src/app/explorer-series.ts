/**
 * The explorer's complete series as dashboard panel series: composed here because features do
 * not import each other. A series without a source uses the explorer's default (the first
 * connected source, else the first listed).
 */
import type { PanelSeries } from '../../../shared/domain/dashboard';
import { activeFilters, type ExplorerState } from '../features/explorer/explorer-state';
import type { MetricSource } from '../lib/api/metric-queries';

export function explorerPanelSeries(
  state: ExplorerState,
  sources: readonly MetricSource[] | undefined,
): PanelSeries[] {
  const fallback = (sources?.find((s) => s.state === 'connected') ?? sources?.[0])?.id ?? '';
  return state.series.flatMap((series) => {
    const source = series.source === '' ? fallback : series.source;
    if (source === '' || series.measurement === '' || series.field === '') return [];
    return [
      {
        source,
        measurement: series.measurement,
        field: series.field,
        where: activeFilters(series),
        groupBy: [...series.groupBy],
        aggregation: series.aggregation,
        ...(series.transform ? { transform: series.transform } : {}),
      },
    ];
  });
}
