/**
 * Traffic of a device's interfaces over time: two charts (in, out), one line per interface, from
 * the metric store (measurement `equipment`, tags device and profile=if-mib, grouped by ifName),
 * in Mbit/s. A live range moves every 10 s; a store that cannot be reached is said so instead of
 * drawing old data as if it were current.
 */
import { useState } from 'react';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { MetricChart, type MetricChartSeries } from '../../components/metric-chart/metric-chart';
import { SourceUnreachable } from '../../components/metric-source';
import { StatusIcon } from '../../components/status-icon';
import {
  useMetricQueries,
  useMetricSources,
  type MetricQueryRequest,
  type MetricSource,
} from '../../lib/api/metric-queries';
import { useClockDerived } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { IF_PROFILE, type InterfaceRow } from './profile-readings';

/** What the engine writes equipment readings to (electron/engine/services/equipment). */
export const EQUIPMENT_MEASUREMENT = 'equipment';
export const TRAFFIC_FIELDS = ['inBitsPerSecond', 'outBitsPerSecond'] as const;
const LIVE_STEP_MS = 10_000;
/** A live line counts as stale after three refreshes without a value, at least a minute. */
const MIN_STALE_MS = 60_000;
const STALE_STEPS = 3;
export const TRAFFIC_RANGES = [
  { id: '15m', ms: 15 * 60_000 },
  { id: '1h', ms: 60 * 60_000 },
  { id: '6h', ms: 6 * 60 * 60_000 },
  { id: '24h', ms: 24 * 60 * 60_000 },
] as const;
type RangeId = (typeof TRAFFIC_RANGES)[number]['id'];

/** The source equipment points are read from: the first connected, else the first listed. */
export function trafficSource(sources: readonly MetricSource[] | undefined): MetricSource | null {
  if (!sources || sources.length === 0) return null;
  return sources.find((s) => s.state === 'connected') ?? sources[0] ?? null;
}

export function trafficRequest(
  source: string,
  deviceId: string,
  field: (typeof TRAFFIC_FIELDS)[number],
  range: { from: number; to: number },
  widthPx: number,
): MetricQueryRequest {
  return {
    source,
    measurement: EQUIPMENT_MEASUREMENT,
    field,
    where: [
      { key: 'device', op: '=', value: deviceId },
      { key: 'profile', op: '=', value: IF_PROFILE },
    ],
    groupBy: ['ifName'],
    aggregation: 'mean',
    from: Math.floor(range.from),
    to: Math.ceil(range.to),
    widthPx: Math.min(16_384, Math.max(1, Math.round(widthPx))),
    transform: { rate: false, scale: 1e-6, offset: 0, unit: 'megabitsPerSecond' },
  };
}

export function TrafficCharts({
  deviceId,
  interfaces,
}: {
  deviceId: string;
  interfaces: readonly InterfaceRow[];
}) {
  const { t } = useI18n();
  const [rangeId, setRangeId] = useState<RangeId>('1h');
  const [widths, setWidths] = useState<readonly (number | null)[]>([null, null]);
  const rangeMs = TRAFFIC_RANGES.find((r) => r.id === rangeId)?.ms ?? 3_600_000;
  const step = useClockDerived((now) => Math.ceil(now / LIVE_STEP_MS));
  const to = step * LIVE_STEP_MS;
  const range = { from: to - rangeMs, to };
  const sources = useMetricSources();
  const source = trafficSource(sources.data?.sources);
  const reachable = source !== null && source.state !== 'unreachable';
  const requests = TRAFFIC_FIELDS.map((field, index) => {
    const width = widths[index] ?? null;
    return reachable && width !== null ? trafficRequest(source.id, deviceId, field, range, width) : null;
  });
  const results = useMetricQueries(requests);
  const aliases = new Map(interfaces.map((row) => [row.name, row.alias]));

  return (
    <div className="eq-traffic" data-testid="traffic-charts">
      <div className="eq-traffic__toolbar">
        <h3 className="eq-traffic__title">{t('equipment.traffic.title')}</h3>
        <div className="eq-traffic__ranges" role="group" aria-label={t('equipment.traffic.range')}>
          {TRAFFIC_RANGES.map((r) => (
            <button
              key={r.id}
              type="button"
              className="button button--small"
              aria-pressed={r.id === rangeId}
              onClick={() => setRangeId(r.id)}
            >
              {t(`equipment.traffic.range.${r.id}`)}
            </button>
          ))}
        </div>
      </div>
      {sources.isError && <ApiErrorNotice error={sources.error} title={t('explorer.sourcesFailed')} />}
      {source && !reachable && <SourceUnreachable source={source} />}
      {sources.isSuccess && source === null && (
        <p className="eq-muted">
          <StatusIcon status="unknown" /> {t('explorer.noSources')}
        </p>
      )}
      {reachable && (
        <div className="eq-traffic__charts">
          {TRAFFIC_FIELDS.map((field, index) => {
            const result = results[index];
            const series: MetricChartSeries[] = (result?.data?.frames ?? []).map((frame, frameIndex) => {
              const name = frame.tags['ifName'] ?? '';
              const alias = aliases.get(name) ?? null;
              return {
                key: `${field}:${name}:${frameIndex}`,
                label: name === '' ? t('equipment.traffic.unnamed') : alias ? `${name} (${alias})` : name,
                unit: 'megabitsPerSecond',
                unitLabel: t('unitSymbol.megabitsPerSecond'),
                frame,
              };
            });
            const title = t(field === 'inBitsPerSecond' ? 'equipment.traffic.in' : 'equipment.traffic.out');
            const stepMs = result?.data?.stepMs ?? 0;
            return (
              <figure key={field} className="eq-traffic__chart" data-testid={`traffic-${field}`}>
                <figcaption className="eq-traffic__caption">{title}</figcaption>
                {result?.isError && (
                  <ApiErrorNotice
                    error={result.error}
                    title={t('equipment.traffic.failed', { chart: title })}
                  />
                )}
                {result?.data?.truncated && (
                  <p className="eq-muted" role="status">
                    <StatusIcon status="degraded" /> {t('explorer.truncated')}
                  </p>
                )}
                <MetricChart
                  series={series}
                  from={range.from}
                  to={range.to}
                  label={t('equipment.traffic.chartLabel', { chart: title })}
                  live
                  staleAfterMs={Math.max(MIN_STALE_MS, STALE_STEPS * stepMs)}
                  loading={requests[index] !== null && result?.isPending === true}
                  emptyText={t('equipment.traffic.empty')}
                  onWidthPx={(width) =>
                    setWidths((previous) =>
                      previous[index] === width
                        ? previous
                        : previous.map((w, i) => (i === index ? width : w)),
                    )
                  }
                />
              </figure>
            );
          })}
        </div>
      )}
    </div>
  );
}
