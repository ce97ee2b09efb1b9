/**
 * Metric sources, catalogs and chart queries over the bridge. Sources are pushed by
 * `metrics.sourcesChanged` (see live-sync.ts); catalogs change rarely; chart queries are keyed by
 * everything that shapes their answer, the width of the chart's plot in CSS pixels included, so a
 * wider chart asks again for more columns.
 */
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { RequestOf, ResponseOf } from '../../../../shared/api';
import { useApi, useConnectionState } from './api-context';
import { call } from './bridge-error';

export type MetricSources = ResponseOf<'metrics.sources'>;
export type MetricCatalog = ResponseOf<'metrics.catalog'>;
export type MetricQueryResult = ResponseOf<'metrics.query'>;
export type MetricSource = MetricSources['sources'][number];
export type TagFilter = RequestOf<'metrics.query'>['where'][number];
export type Aggregation = RequestOf<'metrics.query'>['aggregation'];
export type MetricTransform = NonNullable<RequestOf<'metrics.query'>['transform']>;

/** A chart query with every field explicit (no contract defaults left to chance). */
export interface MetricQueryRequest {
  readonly source: string;
  readonly measurement: string;
  readonly field: string;
  readonly where: readonly TagFilter[];
  readonly groupBy: readonly string[];
  readonly aggregation: Aggregation;
  readonly from: number;
  readonly to: number;
  readonly widthPx: number;
  /** A counter as a rate, scale and offset (shared/domain/series-transform.ts); absent: as stored. */
  readonly transform?: MetricTransform | undefined;
}

export const metricKeys = {
  sources: ['metrics.sources'],
  catalog: (source: string, measurement: string | null) => ['metrics.catalog', source, measurement] as const,
  tagValues: (source: string, measurement: string, key: string) =>
    ['metrics.tagValues', source, measurement, key] as const,
  query: (request: MetricQueryRequest) =>
    [
      'metrics.query',
      request.source,
      request.measurement,
      request.field,
      request.where,
      request.groupBy,
      request.aggregation,
      request.from,
      request.to,
      request.widthPx,
      request.transform ?? null,
    ] as const,
} as const;

/** A safety net against a lost `metrics.sourcesChanged` event. */
const SOURCES_SAFETY_REFETCH_MS = 30_000;
/** A live chart makes a new key every 10 s: let superseded answers go soon. */
const QUERY_GC_MS = 30_000;

function useLinkOpen(): boolean {
  return useConnectionState().kind === 'open';
}

export function useMetricSources() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery({
    queryKey: metricKeys.sources,
    queryFn: () => call(transport.bridge, 'metrics.sources', {}),
    enabled: open,
    refetchInterval: SOURCES_SAFETY_REFETCH_MS,
  });
}

/** Measurements of `source`, and with a measurement its fields and tag keys. */
export function useMetricCatalog(source: string | null, measurement: string | null) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery({
    queryKey: metricKeys.catalog(source ?? '', measurement),
    queryFn: () =>
      call(
        transport.bridge,
        'metrics.catalog',
        measurement === null ? { source: source ?? '' } : { source: source ?? '', measurement },
      ),
    enabled: open && source !== null && source !== '',
  });
}

export function useTagValues(source: string, measurement: string, key: string) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery({
    queryKey: metricKeys.tagValues(source, measurement, key),
    queryFn: () => call(transport.bridge, 'metrics.tagValues', { source, measurement, key }),
    enabled: open && source !== '' && measurement !== '' && key !== '',
  });
}

/**
 * One query per chart series (null: the series is not ready to ask). While a new key loads (new
 * range, wider chart, live refresh), the previous answer stays on screen.
 */
export function useMetricQueries(requests: readonly (MetricQueryRequest | null)[]) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQueries({
    queries: requests.map((request) => ({
      queryKey: request ? metricKeys.query(request) : (['metrics.query', 'idle'] as const),
      queryFn: () => {
        if (!request) throw new Error('metrics.query without a request');
        const { transform, ...rest } = request;
        return call(transport.bridge, 'metrics.query', {
          ...rest,
          where: [...request.where],
          groupBy: [...request.groupBy],
          ...(transform ? { transform } : {}),
        });
      },
      enabled: open && request !== null,
      placeholderData: keepPreviousData,
      gcTime: QUERY_GC_MS,
    })),
  });
}
