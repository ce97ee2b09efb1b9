/**
 * InfluxDB 1.x semantics shared by every MetricStore adapter: which points the line protocol can
 * store, how a query's range is cut into buckets, how percentiles are picked, how series are
 * ordered and capped. InfluxMetricStore relies on the server for most of it and checks the rest;
 * DuckDbMetricStore implements the same rules so that the embedded store answers exactly as the
 * production store would (the contract suite, test/integration/metric-store.contract.ts, runs both
 * against the same expectations and a real influxd).
 *
 * Every rule here was checked against influxd 1.6.7; the links point at the documentation that
 * describes it.
 */
import type {
  Aggregation,
  M4SeriesResult,
  MetricPoint,
  MetricQuery,
  SeriesResult,
  TagFilter,
} from '../../ports/metric-store';
import { AGGREGATIONS } from '../../ports/metric-store';
import { UpstreamError } from '../../ports/upstream-error';
import { escapeKey, escapeMeasurement } from './line-protocol';

/**
 * InfluxDB keeps time as int64 nanoseconds: about ±292 years around 1970.
 * https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/#data-types
 */
export const MIN_TIME_MS = -9_223_372_036_854;
/** See MIN_TIME_MS. */
export const MAX_TIME_MS = 9_223_372_036_854;

/** InfluxDB refuses a series key (measurement plus tags, escaped) longer than 65,535 bytes. */
export const MAX_SERIES_KEY_BYTES = 65_535;

/** Whether `name` holds a character InfluxQL cannot carry inside quotes: NUL or CR (see nameProblem). */
function unquotable(name: string): boolean {
  return name.includes('\u0000') || name.includes('\r');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False for strings holding a lone UTF-16 surrogate, which has no UTF-8 form (nor a place in a URL). */
export function isWellFormedText(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/**
 * Compares two strings in UTF-8 byte order, which is how InfluxDB (Go) sorts measurements, keys
 * and tag values. JavaScript's default sort compares UTF-16 code units, which orders characters
 * beyond U+FFFF (emoji) before U+E000–U+FFFF; the byte order does not.
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // UTF-8 byte order is code point order; UTF-16 units differ from it only for surrogates,
    // so at the first difference compare whole code points (a high surrogate's is above U+FFFF).
    if (x !== y) return (a.codePointAt(i) ?? x) - (b.codePointAt(i) ?? y);
  }
  return a.length - b.length;
}

/** A copy of `values`, distinct and sorted in UTF-8 byte order. */
export function sortedDistinct(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareBytes);
}

// ---------------------------------------------------------------------------------------------
// Points

/** A point as both stores keep it: validated, tags sorted, only finite numeric fields. */
export interface StoredPoint {
  readonly measurement: string;
  /** Sorted by key (byte order); no empty values. */
  readonly tags: readonly (readonly [string, string])[];
  /** At least one; every value finite. */
  readonly fields: readonly (readonly [string, number])[];
  /** Integer epoch milliseconds. */
  readonly time: number;
}

/** What a name is in InfluxDB's data model. */
export type NameKind = 'measurement' | 'tag key' | 'tag value' | 'field key';

/**
 * Why InfluxDB cannot store `name` as a measurement, tag key, tag value or field key, or undefined
 * when it can. Found by writing each case to influxd 1.6.7:
 * - a newline ends a line and has no escape ("Line protocol does not support the newline character
 *   \n in tag values or field values");
 * - a backslash at the end, or before a comma, space, equals sign, double quote or another
 *   backslash, is read as (part of) an escape sequence, so the name comes back changed or the line
 *   is refused: for example a tag value ending in `\` makes the following space part of the value;
 * - a measurement starting with `#` makes the whole line a comment, which InfluxDB skips while
 *   answering 204: the point would be silently lost;
 * - a NUL or a carriage return can be written but never queried: InfluxQL's scanner reads NUL as
 *   the end of the text and CR as a newline, even inside quotes (and has no escape for either);
 * - `time` is refused as a field or tag key;
 * - lone UTF-16 surrogates have no UTF-8 encoding.
 * https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/#special-characters
 */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  if (kind !== 'tag value' && name.length === 0) return `empty ${kind}`;
  if (!isWellFormedText(name)) return `${kind} is not valid Unicode (lone surrogate)`;
  if (name.includes('\n')) return `${kind} contains a newline, which line protocol cannot carry`;
  if (unquotable(name)) return `${kind} contains a NUL or carriage return, which InfluxQL cannot quote`;
  if (/\\(?:[\\ ,="]|$)/.test(name))
    return `${kind} has a backslash at its end or before \\, space, comma, = or ", which line protocol reads as an escape`;
  if (kind === 'measurement' && name.startsWith('#'))
    return 'measurement starts with #, which makes the line a comment that InfluxDB skips';
  if ((kind === 'tag key' || kind === 'field key') && name === 'time')
    return `"time" is not allowed as a ${kind}`;
  return undefined;
}

/**
 * Checks and normalises points the way InfluxDB stores them. Throws `WRITE_REJECTED` for the first
 * point InfluxDB could not store; nothing of the call is written then, so a caller that sets the
 * batch aside leaves no half of it behind. Leaves out:
 * - null and non-finite fields: a gap, never a zero (the port's rule; line protocol has no NaN);
 * - points left without any field (line protocol needs at least one: "missing fields");
 * - tags with an empty value: line protocol refuses them ("missing tag value"), and InfluxQL treats
 *   a missing tag exactly as an empty one (`"k" = ''` matches series without `k`).
 * Rounds times to whole milliseconds (the precision the stores write with) and turns -0 into 0
 * (`String(-0)` is `0`, so InfluxDB stores 0).
 */
export function storablePoints(points: readonly MetricPoint[], source: string): StoredPoint[] {
  // Collectors repeat the same few names in every point: each name is checked once per call.
  // (No closure is created per point: 259k points per call must stay cheap.)
  const checked: NameCache = {
    measurement: new Map(),
    'tag key': new Map(),
    'tag value': new Map(),
    'field key': new Map(),
  };
  const out: StoredPoint[] = [];
  for (let index = 0; index < points.length; index++) {
    const point = points[index];
    if (point === undefined) continue;
    let problem = cachedProblem(checked, 'measurement', point.measurement);
    if (problem !== undefined) throw rejected(source, index, point, problem);
    if (!Number.isFinite(point.time)) throw rejected(source, index, point, 'time is not a finite number');
    const time = Math.round(point.time);
    if (time < MIN_TIME_MS || time > MAX_TIME_MS)
      throw rejected(source, index, point, `time ${time} is outside InfluxDB's range`);
    // The [key, value] arrays Object.entries makes are kept as they are: fewer allocations.
    const fields: [string, number][] = [];
    for (const entry of Object.entries(point.fields)) {
      const [key, value] = entry;
      problem = cachedProblem(checked, 'field key', key);
      if (problem !== undefined) throw rejected(source, index, point, problem);
      if (typeof value === 'number' && Number.isFinite(value))
        fields.push(value === 0 ? [key, 0] : [key, value]);
    }
    if (fields.length === 0) continue;
    const tags: [string, string][] = [];
    // UTF-16 units × 3 bound the series key's UTF-8 bytes: the exact count is needed only near the limit.
    let keyUnits = point.measurement.length;
    for (const entry of Object.entries(point.tags)) {
      const [key, value] = entry;
      problem = cachedProblem(checked, 'tag key', key) ?? cachedProblem(checked, 'tag value', value);
      if (problem !== undefined) throw rejected(source, index, point, problem);
      if (value !== '') tags.push(entry);
      keyUnits += key.length + value.length + 2;
    }
    if (tags.length > 1) tags.sort(byName);
    if (fields.length > 1) fields.sort(byName);
    if (keyUnits * 3 > MAX_SERIES_KEY_BYTES && seriesKeyBytes(point.measurement, tags) > MAX_SERIES_KEY_BYTES)
      throw rejected(source, index, point, `series key longer than ${MAX_SERIES_KEY_BYTES} bytes`);
    out.push({ measurement: point.measurement, tags, fields, time });
  }
  return out;
}

/** Name checks already made, per kind; '' for a name that is fine. */
type NameCache = Record<NameKind, Map<string, string>>;

function cachedProblem(cache: NameCache, kind: NameKind, name: string): string | undefined {
  const known = cache[kind].get(name);
  if (known !== undefined) return known === '' ? undefined : known;
  const problem = nameProblem(kind, name);
  cache[kind].set(name, problem ?? '');
  return problem;
}

function rejected(source: string, index: number, point: MetricPoint, why: string): UpstreamError {
  return new UpstreamError(
    source,
    'WRITE_REJECTED',
    `point ${index} (${JSON.stringify(point.measurement)}): ${why}`,
  );
}

function byName(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return compareBytes(a[0], b[0]);
}

/** Bytes of the series key as InfluxDB counts it: `measurement,k=v,...` with line-protocol escapes. */
function seriesKeyBytes(measurement: string, tags: readonly (readonly [string, string])[]): number {
  let bytes = Buffer.byteLength(escapeMeasurement(measurement));
  for (const [k, v] of tags) bytes += Buffer.byteLength(escapeKey(k)) + Buffer.byteLength(escapeKey(v)) + 2;
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Queries

/** What a store computes: an aggregation of the port, or first/min/max/last per bucket (`queryM4`). */
export type PlannedAggregation = Aggregation | 'm4';

/** A query as planQuery takes it: a MetricQuery, or an M4Query with `aggregation: 'm4'`. */
export type PlannableQuery = Omit<MetricQuery, 'aggregation'> & { readonly aggregation: PlannedAggregation };

/** A validated query, with its range cut to what the stores will compute. */
export interface QueryPlan {
  readonly measurement: string;
  readonly field: string;
  readonly where: readonly TagFilter[];
  /** Distinct tag keys, in the caller's order. */
  readonly groupBy: readonly string[];
  readonly aggregation: PlannedAggregation;
  /** Inclusive, whole milliseconds. */
  readonly from: number;
  /** Inclusive, whole milliseconds; earlier than asked when the bucket count was capped. */
  readonly to: number;
  readonly stepMs: number;
  /** Buckets start at this plus multiples of stepMs since the epoch; in [0, stepMs), 0 for raw. */
  readonly offsetMs: number;
  /** Most rows one series may return. */
  readonly perSeriesCap: number;
  /** Most rows the whole result may return. */
  readonly totalCap: number;
  /** For aggregations: the first bucket's start (aligned on the epoch, possibly before `from`). */
  readonly firstBucket: number;
  /** For aggregations: how many buckets each series has, empty ones included. */
  readonly bucketCount: number;
  /** The range was cut to `perSeriesCap` buckets: the result is incomplete. */
  readonly capped: boolean;
  /** Nothing can match (from after to): no series, as InfluxDB answers. */
  readonly empty: boolean;
}

/**
 * Start of the bucket holding `t`: buckets start at `offsetMs` plus whole multiples of `stepMs`
 * since the epoch, as InfluxDB's GROUP BY time(step, offset) does (offset 0 when none is given).
 * The first bucket of a query therefore starts at or before `from`, and only the points from
 * `from` on count in it.
 * https://docs.influxdata.com/influxdb/v1/query_language/explore-data/#basic-group-by-time-syntax
 * https://docs.influxdata.com/influxdb/v1/query_language/explore-data/#advanced-group-by-time-syntax
 */
export function bucketStart(t: number, stepMs: number, offsetMs = 0): number {
  return Math.floor((t - offsetMs) / stepMs) * stepMs + offsetMs;
}

/**
 * 0-based index into the ascending values of the value PERCENTILE(field, p) returns: InfluxDB 1.x
 * picks the nearest rank, `floor(n * p / 100 + 0.5) - 1` (n = 20, p = 95 → index 18, the 19th
 * value; n = 10 → the 10th). Computed on integers, which is exact where float rounding is not.
 * https://docs.influxdata.com/influxdb/v1/query_language/functions/#percentile
 */
export function percentileIndex(n: number, p: number): number {
  return Math.floor((n * p + 50) / 100) - 1;
}

/**
 * Checks a query and plans its range. Throws `QUERY` (with a message for the operator) for a
 * query no store can run. For aggregations the range is cut so that a series has at most
 * `min(query.maxRows, storeMaxRows)` buckets: InfluxDB fills every bucket of the range before
 * LIMIT applies (influxd 1.6.7 had not answered `GROUP BY time(1ms) ... LIMIT 3` over three years
 * after ten minutes).
 */
export function planQuery(query: PlannableQuery, storeMaxRows: number, source: string): QueryPlan {
  const bad = (why: string): never => {
    throw new UpstreamError(source, 'QUERY', why);
  };
  if (!(AGGREGATIONS as readonly string[]).includes(query.aggregation) && query.aggregation !== 'm4')
    bad(`unknown aggregation ${String(query.aggregation)}`);
  const names: [string, string][] = [
    ['measurement', query.measurement],
    ['field', query.field],
    ...query.where.flatMap((f): [string, string][] => [
      ['tag key', f.key],
      ['tag value', f.value],
    ]),
    ...query.groupBy.map((k): [string, string] => ['tag key', k]),
  ];
  for (const [kind, name] of names) {
    if (typeof name !== 'string') bad(`${kind} is not a string`);
    if (kind !== 'tag value' && name.length === 0) bad(`empty ${kind}`);
    if (!isWellFormedText(name)) bad(`${kind} is not valid Unicode`);
    if (unquotable(name)) bad(`${kind} contains a NUL or carriage return, which InfluxQL cannot quote`);
  }
  // InfluxQL: "at least 1 non-time field must be queried"; time is not a tag.
  if (query.field === 'time') bad('"time" is not a field');
  for (const filter of query.where) {
    if (filter.op !== '=' && filter.op !== '!=') bad(`unknown tag filter operator ${String(filter.op)}`);
  }
  if ([...query.where.map((f) => f.key), ...query.groupBy].includes('time')) bad('"time" is not a tag key');
  if (!Number.isFinite(query.from) || !Number.isFinite(query.to)) bad('the time range is not finite');
  if (!Number.isSafeInteger(query.maxRows) || query.maxRows < 1) bad('maxRows must be a positive integer');
  const aggregated = query.aggregation !== 'raw';
  if (aggregated && (!Number.isSafeInteger(query.stepMs) || query.stepMs < 1))
    bad('stepMs must be a positive whole number of milliseconds');
  if (aggregated && query.offsetMs !== undefined && !Number.isSafeInteger(query.offsetMs))
    bad('offsetMs must be a whole number of milliseconds');
  // Points have whole-millisecond times: t >= 10.2 is t >= 11, t <= 20.7 is t <= 20.
  const from = Math.max(MIN_TIME_MS, Math.ceil(query.from));
  let to = Math.min(MAX_TIME_MS, Math.floor(query.to));
  const perSeriesCap = Math.min(query.maxRows, storeMaxRows);
  const stepMs = aggregated ? query.stepMs : 1;
  // In [0, stepMs): InfluxDB reads the offset modulo the step.
  const offsetMs = aggregated ? (((query.offsetMs ?? 0) % stepMs) + stepMs) % stepMs : 0;
  const empty = from > to;
  let firstBucket = 0;
  let bucketCount = 0;
  let capped = false;
  if (aggregated && !empty) {
    firstBucket = bucketStart(from, stepMs, offsetMs);
    bucketCount = (bucketStart(to, stepMs, offsetMs) - firstBucket) / stepMs + 1;
    if (bucketCount > perSeriesCap) {
      capped = true;
      bucketCount = perSeriesCap;
      to = firstBucket + perSeriesCap * stepMs - 1;
    }
  }
  return {
    measurement: query.measurement,
    field: query.field,
    where: query.where,
    groupBy: [...new Set(query.groupBy)],
    aggregation: query.aggregation,
    from,
    to,
    stepMs,
    offsetMs,
    perSeriesCap,
    totalCap: storeMaxRows,
    firstBucket,
    bucketCount,
    capped,
    empty,
  };
}

/**
 * Checks a measurement or tag key a listing names: QUERY when no stored name can equal it (empty,
 * not valid Unicode, holding a character InfluxQL cannot quote).
 */
export function checkListingName(kind: 'measurement' | 'tag key', name: string, source: string): void {
  const problem =
    name.length === 0
      ? `empty ${kind}`
      : !isWellFormedText(name)
        ? `${kind} is not valid Unicode`
        : unquotable(name)
          ? `${kind} contains a NUL or carriage return, which InfluxQL cannot quote`
          : undefined;
  if (problem !== undefined) throw new UpstreamError(source, 'QUERY', problem);
}

/** Whether a series' tags satisfy every filter, a missing tag counting as '' (InfluxQL's rule). */
export function matchesFilters(
  tagOf: (key: string) => string | undefined,
  where: readonly TagFilter[],
): boolean {
  return where.every((f) => ((tagOf(f.key) ?? '') === f.value) === (f.op === '='));
}

/**
 * The tags a result series carries: every group-by key, '' where the series lacks it (influxd
 * answers `"tags": {"rack": ""}` for such series).
 */
export function groupTags(
  groupBy: readonly string[],
  tagOf: (key: string) => string | undefined,
): Record<string, string> {
  // Object.fromEntries defines own properties, so a tag key like "__proto__" stays data.
  return Object.fromEntries(groupBy.map((k) => [k, tagOf(k) ?? '']));
}

/**
 * Orders series by their group-by values (keys in byte order, values compared in byte order), so
 * that both stores list the series of a grouped query in the same order.
 */
export function sortSeries<S extends Pick<SeriesResult, 'tags'>>(
  series: S[],
  groupBy: readonly string[],
): S[] {
  const keys = [...groupBy].sort(compareBytes);
  const valuesOf = (s: S): string[] => keys.map((k) => (Object.hasOwn(s.tags, k) ? (s.tags[k] ?? '') : ''));
  return series
    .map((s) => ({ s, values: valuesOf(s) }))
    .sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const c = compareBytes(a.values[i] ?? '', b.values[i] ?? '');
        if (c !== 0) return c;
      }
      return 0;
    })
    .map((x) => x.s);
}

/**
 * Applies the row caps: at most `perSeriesCap` rows in each series (its first ones), at most
 * `totalCap` in all (series after the cap are cut, then dropped). `truncated` when anything was cut.
 */
export function capSeries(
  series: readonly SeriesResult[],
  perSeriesCap: number,
  totalCap: number,
): { series: SeriesResult[]; truncated: boolean } {
  return capRows(series, perSeriesCap, totalCap, (s, n) => ({
    tags: s.tags,
    times: s.times.slice(0, n),
    values: s.values.slice(0, n),
  }));
}

/** capSeries for `m4` series: a row is a bucket with its four values. */
export function capM4Series(
  series: readonly M4SeriesResult[],
  perSeriesCap: number,
  totalCap: number,
): { series: M4SeriesResult[]; truncated: boolean } {
  return capRows(series, perSeriesCap, totalCap, (s, n) => ({
    tags: s.tags,
    times: s.times.slice(0, n),
    first: s.first.slice(0, n),
    min: s.min.slice(0, n),
    max: s.max.slice(0, n),
    last: s.last.slice(0, n),
  }));
}

function capRows<S extends { readonly times: readonly number[] }>(
  series: readonly S[],
  perSeriesCap: number,
  totalCap: number,
  cut: (s: S, rows: number) => S,
): { series: S[]; truncated: boolean } {
  let left = totalCap;
  let truncated = false;
  const out: S[] = [];
  for (const s of series) {
    const keep = Math.min(s.times.length, perSeriesCap, left);
    if (keep < s.times.length) truncated = true;
    if (keep === 0) continue;
    out.push(keep === s.times.length ? s : cut(s, keep));
    left -= keep;
  }
  return { series: out, truncated };
}
