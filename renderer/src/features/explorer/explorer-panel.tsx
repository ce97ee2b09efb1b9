/**
 * The metric explorer: choose a source, then series (measurement, field, tag filters, group-by,
 * aggregation), a time range, and read them on one chart. Each series is one `metrics.query`,
 * sized by the width of the chart's plot in CSS pixels; a live range is asked again every 10 s.
 *
 * What it must never do: draw an unreachable source's old data as if it were live, hide that a
 * result was capped, or turn missing data into zeros.
 */
import { useId, useState, type Dispatch } from 'react';
import { MetricChart, type MetricChartSeries } from '../../components/metric-chart/metric-chart';
import { StatusIcon } from '../../components/status-icon';
import { useMetricQueries, useMetricSources, type MetricSource } from '../../lib/api/metric-queries';
import { useClock, useClockDerived } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { ApiErrorNotice } from './api-error-notice';
import { QueryActions } from './query-actions';
import { csvFileName, downloadCsv, seriesToCsv } from './csv-export';
import {
  isZoomed,
  LIVE_REFRESH_MS,
  queryRequest,
  resolveRange,
  selectedSeries,
  type ExplorerAction,
  type ExplorerState,
  type SeriesSpec,
} from './explorer-state';
import { RangeToolbar } from './range-toolbar';
import { seriesLabel, unitLabel } from './series-label';
import { SeriesEditor } from './series-editor';
import { SeriesList } from './series-list';
import { SourcePicker, SourceUnreachable } from './source-picker';
import './explorer.css';

/** A live series counts as stale after this many query steps without a value (at least a minute). */
const STALE_STEPS = 3;
const MIN_STALE_MS = 60_000;

/** The source a series without one uses: the first connected, else the first listed. */
export function defaultSourceId(sources: readonly MetricSource[] | undefined): string {
  if (!sources || sources.length === 0) return '';
  return (sources.find((s) => s.state === 'connected') ?? sources[0])?.id ?? '';
}

export interface ExplorerPanelProps {
  readonly state: ExplorerState;
  readonly dispatch: Dispatch<ExplorerAction>;
}

interface ResolvedSeries {
  readonly spec: SeriesSpec;
  readonly source: string;
  readonly sourceInfo: MetricSource | undefined;
}

export function ExplorerPanel({ state, dispatch }: ExplorerPanelProps) {
  const { t } = useI18n();
  const headingId = useId();
  const clock = useClock();
  // Re-renders once per refresh step, not every second: a live range moves in 10 s steps.
  const liveStep = useClockDerived((now) => Math.ceil(now / LIVE_REFRESH_MS));
  const range = resolveRange(state.range, liveStep * LIVE_REFRESH_MS);
  const [widthPx, setWidthPx] = useState<number | null>(null);

  const sources = useMetricSources();
  const sourceList = sources.data?.sources;
  const fallbackSource = defaultSourceId(sourceList);
  const resolved: ResolvedSeries[] = state.series.map((spec) => {
    const source = spec.source === '' ? fallbackSource : spec.source;
    return { spec, source, sourceInfo: sourceList?.find((s) => s.id === source) };
  });
  const reachable = (r: ResolvedSeries) => r.sourceInfo?.state !== 'unreachable';
  const requests = resolved.map((r) =>
    reachable(r) ? queryRequest(r.spec, r.source, range, widthPx) : null,
  );
  const results = useMetricQueries(requests);

  const editing = selectedSeries(state);
  const editingResolved = resolved.find((r) => r.spec.id === editing.id);
  const editingSource = editingResolved?.source ?? '';

  // Sources that cannot answer for a series being shown or edited: said in place of their data.
  const unreachable = [
    ...new Map(
      resolved
        .filter((r) => !reachable(r) && (r.spec.field !== '' || r.spec.id === editing.id))
        .flatMap((r) => (r.sourceInfo ? [[r.sourceInfo.id, r.sourceInfo] as const] : [])),
    ).values(),
  ];
  const anyRequest = requests.some((r) => r !== null);

  // Rebuilt on every render; MetricChart keeps its chart untouched while the content is the same.
  const chartSeries: MetricChartSeries[] = [];
  results.forEach((result, index) => {
    const spec = resolved[index]?.spec;
    if (!spec || requests[index] === null || !result.data) return;
    result.data.frames.forEach((frame, frameIndex) => {
      chartSeries.push({
        key: `${spec.id}:${frameIndex}:${JSON.stringify(frame.tags)}`,
        label: seriesLabel(t, spec, frame),
        unit: frame.unit,
        unitLabel: unitLabel(t, frame.unit),
        frame,
      });
    });
  });

  const stepMs = Math.max(0, ...results.map((r) => r.data?.stepMs ?? 0));
  const staleAfterMs = Math.max(MIN_STALE_MS, STALE_STEPS * stepMs);
  const loading = results.some((r, i) => requests[i] !== null && r.isPending);
  const truncated = results.flatMap((r, i) =>
    requests[i] !== null && r.data?.truncated && resolved[i] ? [resolved[i].spec] : [],
  );
  const failures = results.flatMap((r, i) =>
    requests[i] !== null && r.isError && resolved[i] ? [{ spec: resolved[i].spec, error: r.error }] : [],
  );
  const queryText = results
    .filter((r, i) => requests[i] !== null && r.data)
    .map((r) => r.data?.queryText ?? '')
    .filter((text) => text !== '')
    .join('\n');
  const showChart = anyRequest || unreachable.length === 0;

  function onExport(): void {
    const csv = seriesToCsv(
      chartSeries.map((s) => ({
        title: s.unitLabel === '' ? s.label : `${s.label} (${s.unitLabel})`,
        times: s.frame.times,
        values: s.frame.values,
      })),
    );
    downloadCsv(csvFileName(clock.now()), csv);
  }

  return (
    <section className="explorer" aria-labelledby={headingId} data-testid="explorer">
      <h1 className="explorer__title" id={headingId} tabIndex={-1}>
        {t('explorer.title')}
      </h1>
      <div className="explorer__layout">
        <div className="explorer__builder">
          <SourcePicker
            sources={sourceList}
            error={sources.error}
            loading={sources.isPending}
            selected={editingSource}
            onSelect={(id) => dispatch({ type: 'setSource', source: id })}
          />
          <SeriesList series={state.series} selectedId={editing.id} dispatch={dispatch} />
          <SeriesEditor
            key={editing.id}
            series={editing}
            source={editingSource}
            reachable={editingResolved ? reachable(editingResolved) : true}
            dispatch={dispatch}
          />
        </div>
        <div className="explorer__main">
          <RangeToolbar
            range={state.range}
            resolved={range}
            zoomed={isZoomed(state)}
            now={clock.now}
            dispatch={dispatch}
          />
          {truncated.length > 0 && (
            <div
              className="explorer-notice explorer-notice--warning"
              role="status"
              data-testid="explorer-truncated"
            >
              <p className="explorer-notice__title">
                <StatusIcon status="degraded" /> <strong>{t('explorer.truncated')}</strong>
              </p>
              <p>
                {t('explorer.truncatedDetail', {
                  series: truncated.map((s) => seriesLabel(t, s)).join('; '),
                })}
              </p>
            </div>
          )}
          {failures.map(({ spec, error }) => (
            <ApiErrorNotice
              key={spec.id}
              error={error}
              title={t('explorer.queryFailed', { series: seriesLabel(t, spec) })}
              testId="explorer-query-error"
            />
          ))}
          {unreachable.map((source) => (
            <SourceUnreachable key={source.id} source={source} />
          ))}
          {showChart && (
            <MetricChart
              series={chartSeries}
              from={range.from}
              to={range.to}
              label={t('explorer.chartLabel', {
                series: chartSeries.map((s) => s.label).join('; ') || t('explorer.noSeries'),
              })}
              live={range.live}
              staleAfterMs={staleAfterMs}
              loading={loading}
              emptyText={anyRequest ? t('chart.noData') : t('explorer.chooseHint')}
              onWidthPx={setWidthPx}
              onZoom={(from, to) => dispatch({ type: 'zoom', from, to })}
            />
          )}
          <QueryActions queryText={queryText} canExport={chartSeries.length > 0} onExport={onExport} />
        </div>
      </div>
    </section>
  );
}
