/**
 * Time-series storage: InfluxDB 1.x (and 2.x through its 1.x API) in production, an embedded
 * DuckDB store when none is configured. One contract test suite runs against every adapter
 * (test/integration/metric-store.contract.ts), so the embedded store cannot drift from InfluxDB.
 *
 * Times are epoch milliseconds (UTC). Missing data stays missing: a bucket without points is a
 * null (a gap), never a zero.
 */

/** One point in InfluxDB's model: a measurement, tags (indexed strings) and numeric fields. */
export interface MetricPoint {
  readonly measurement: string;
  readonly tags: Readonly<Record<string, string>>;
  /** null fields are not written (a gap), never as zero. */
  readonly fields: Readonly<Record<string, number | null>>;
  readonly time: number;
}

export interface TagFilter {
  readonly key: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export const AGGREGATIONS = ['raw', 'mean', 'min', 'max', 'sum', 'count', 'last', 'p95'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface MetricQuery {
  readonly measurement: string;
  readonly field: string;
  readonly where: readonly TagFilter[];
  /** Tag keys: one series per distinct combination. */
  readonly groupBy: readonly string[];
  readonly aggregation: Aggregation;
  /** Inclusive range, epoch ms. */
  readonly from: number;
  readonly to: number;
  /**
   * Bucket width for aggregations; the caller sizes it from the width of the chart's plot, a few
   * buckets per CSS-px column (see shared/domain/query-sizing.ts). Ignored for `raw`.
   */
  readonly stepMs: number;
  /**
   * Where buckets start: at `offsetMs` plus whole multiples of `stepMs` since the epoch, as
   * InfluxDB's `GROUP BY time(step, offset)` (taken modulo `stepMs`). Default 0. A whole number of
   * milliseconds; ignored for `raw`.
   */
  readonly offsetMs?: number;
  /** Upper bound on rows the store may return per series; beyond it the result is truncated. */
  readonly maxRows: number;
}

export interface SeriesResult {
  readonly tags: Readonly<Record<string, string>>;
  readonly times: number[];
  /** null: an empty bucket or a missing value. */
  readonly values: (number | null)[];
}

export interface MetricQueryResult {
  readonly series: SeriesResult[];
  /** The store capped the result (InfluxDB `partial`, or maxRows reached): the data is incomplete. */
  readonly truncated: boolean;
  /** The query text the store ran (InfluxQL or SQL), for "copy the query". */
  readonly queryText: string;
}

/** An `m4` query: the fields of a MetricQuery but the aggregation, which is first/min/max/last. */
export type M4Query = Omit<MetricQuery, 'aggregation'>;

/**
 * One series of an `m4` query: per bucket (every bucket of the range, as for the other
 * aggregations), the first and last values in time order and the smallest and largest. All four
 * are null for a bucket without points (a gap, never a zero).
 */
export interface M4SeriesResult {
  readonly tags: Readonly<Record<string, string>>;
  /** Bucket starts. */
  readonly times: number[];
  readonly first: (number | null)[];
  readonly min: (number | null)[];
  readonly max: (number | null)[];
  readonly last: (number | null)[];
}

export interface M4QueryResult {
  readonly series: M4SeriesResult[];
  /** As MetricQueryResult.truncated. */
  readonly truncated: boolean;
  /** As MetricQueryResult.queryText. */
  readonly queryText: string;
}

export interface FieldInfo {
  readonly name: string;
  readonly type: 'float' | 'integer' | 'string' | 'boolean';
}

export interface MetricStoreHealth {
  /** Server version, e.g. `1.6.7` or `embedded DuckDB 1.5.5`. */
  readonly version: string;
  /** The server's clock (from its Date header) for skew checks; null when unknown. */
  readonly serverTime: number | null;
}

export interface MetricStore {
  /** Writes points; resolves once the store acknowledged them. Rejects with UpstreamError. */
  write(points: readonly MetricPoint[], signal: AbortSignal): Promise<void>;
  query(query: MetricQuery, signal: AbortSignal): Promise<MetricQueryResult>;
  /**
   * The `m4` aggregation: first, min, max and last per bucket in one query (InfluxQL
   * `SELECT first(f), min(f), max(f), last(f) ... GROUP BY time(step)`), with the bucket, group,
   * filter and cap rules of `query`'s aggregations. What a chart needs to draw a dense series as
   * its raw line would, for the cost of one row per bucket (see shared/domain/m4-points.ts).
   * Between points of the same time (two series of one group) `first` and `last` take the larger
   * value, as InfluxDB does.
   */
  queryM4(query: M4Query, signal: AbortSignal): Promise<M4QueryResult>;
  measurements(signal: AbortSignal): Promise<string[]>;
  fields(measurement: string, signal: AbortSignal): Promise<FieldInfo[]>;
  tagKeys(measurement: string, signal: AbortSignal): Promise<string[]>;
  tagValues(measurement: string, key: string, signal: AbortSignal): Promise<string[]>;
  /** Whether the store answers now; rejects with UpstreamError when it does not. */
  ping(signal: AbortSignal): Promise<MetricStoreHealth>;
  close(): Promise<void>;
}

/** Where collectors hand their points (a durable queue in front of the MetricStore). */
export interface MetricSink {
  /** Resolves once the points are durably queued. */
  enqueue(points: readonly MetricPoint[]): Promise<void>;
}

/** The measurement Vigie writes what it collects to: tags source, zone, kind; a field per reading. */
export const VIGIE_MEASUREMENT = 'vigie';
