/**
 * MetricStore embedded in DuckDB (@duckdb/node-api): the default when no InfluxDB is configured.
 * It answers as InfluxDB 1.x does (the contract suite runs both against the same expectations and
 * a real influxd), so the rules it shares with InfluxMetricStore live in
 * ../influxdb/influx-semantics.ts: which points can be stored, bucket alignment, the percentile's
 * rank, series order and row caps. Where InfluxDB surprises, this store copies it, and says so.
 *
 * Storage: one row per (series, field, time) in `metric_points`, a series being a measurement and
 * its tag set (`metric_series`, also held in memory: a few thousand rows at most). Queries select
 * the series in memory, then let DuckDB filter one field over a time range and aggregate per
 * bucket; results are read as columns. DuckDB allows one process per database file and the
 * engine's `state.duckdb` is already open, so metrics get their own file.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  LIST,
  VARCHAR,
  listValue,
} from '@duckdb/node-api';
import { z } from 'zod';
import type {
  FieldInfo,
  M4Query,
  M4QueryResult,
  M4SeriesResult,
  MetricPoint,
  MetricQuery,
  MetricQueryResult,
  MetricStore,
  MetricStoreHealth,
  SeriesResult,
} from '../../ports/metric-store';
import { UpstreamError } from '../../ports/upstream-error';
import type {
  PlannableQuery,
  PlannedAggregation,
  QueryPlan,
  StoredPoint,
} from '../influxdb/influx-semantics';
import {
  capM4Series,
  capSeries,
  checkListingName,
  groupTags,
  matchesFilters,
  planQuery,
  sortSeries,
  sortedDistinct,
  storablePoints,
} from '../influxdb/influx-semantics';

/** `source` of the UpstreamErrors this adapter raises. */
export const DUCKDB_METRICS_SOURCE = 'duckdb-metrics';

const SOURCE = DUCKDB_METRICS_SOURCE;

const SCHEMA = [
  // tags: JSON array of [key, value] pairs sorted by key (an array, so a "__proto__" key stays data).
  `CREATE TABLE IF NOT EXISTS metric_series (
     id INTEGER PRIMARY KEY, measurement VARCHAR NOT NULL, tags VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS metric_fields (
     measurement VARCHAR NOT NULL, field VARCHAR NOT NULL, PRIMARY KEY (measurement, field))`,
  // No index: DuckDB's zone maps on ts skip row groups outside a range, and points arrive in time order.
  `CREATE TABLE IF NOT EXISTS metric_points (
     series_id INTEGER NOT NULL, field VARCHAR NOT NULL, ts BIGINT NOT NULL, value DOUBLE NOT NULL)`,
  // Per connection, never on disk: each write lands here first, then moves in one transaction.
  // ts as DOUBLE here (exact for every millisecond time InfluxDB accepts): no BigInt per point.
  `CREATE TEMP TABLE IF NOT EXISTS metric_staging (
     seq INTEGER NOT NULL, series_id INTEGER NOT NULL, field VARCHAR NOT NULL, ts DOUBLE NOT NULL, value DOUBLE NOT NULL)`,
];

const STAGING_TYPES = [INTEGER, INTEGER, VARCHAR, DOUBLE, DOUBLE];
/** DuckDB's vector size: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;

const storedTagsSchema = z.array(z.tuple([z.string(), z.string()]));

/**
 * The aggregate per bucket. Matching InfluxDB 1.x:
 * - `last` is the value with the latest time; between points of the same time (two series merged
 *   into one group) InfluxDB keeps the larger value, hence the (ts, value) ordering;
 * - `p95` is the nearest-rank percentile, `floor(n * 95 / 100 + 0.5) - 1` into the sorted values
 *   (percentileIndex in influx-semantics.ts; DuckDB's quantile_disc rounds differently), here as
 *   a 1-based list index;
 * - `count` counts points; empty buckets get 0 in `fill` below, as InfluxDB does;
 * - `m4` is four columns: `first` is the value with the earliest time, the larger one on a tie
 *   (InfluxDB's FIRST() keeps the larger value between points of the same time, as LAST() does),
 *   hence the (ts, -value) ordering; then min, max and `last` as above.
 * https://docs.influxdata.com/influxdb/v1/query_language/functions/
 */
const AGGREGATE_SQL: Readonly<Record<Exclude<PlannedAggregation, 'raw'>, readonly string[]>> = {
  mean: ['avg(value)'],
  min: ['min(value)'],
  max: ['max(value)'],
  sum: ['sum(value)'],
  count: ['count(*)'],
  last: ['arg_max(value, (ts, value))'],
  p95: ['list_sort(list(value))[(count(*) * 95 + 50) // 100]'],
  m4: ['arg_min(value, (ts, -value))', 'min(value)', 'max(value)', 'arg_max(value, (ts, value))'],
};

/** The selected series of a query, as parallel lists bound to the SQL (series id → group index). */
const GROUPS_CTE = 'WITH g AS (SELECT unnest($ids) AS series_id, unnest($groups) AS grp)';

const RAW_SQL = `${GROUPS_CTE}
SELECT g.grp, p.ts::DOUBLE AS t, p.value AS v
FROM metric_points AS p JOIN g USING (series_id)
WHERE p.field = $field AND p.ts BETWEEN $from AND $to
QUALIFY row_number() OVER (PARTITION BY g.grp ORDER BY p.ts, p.value) <= $limit
ORDER BY g.grp, p.ts, p.value`;

// Buckets start at $offset plus multiples of $step since the epoch, as InfluxDB's
// GROUP BY time(step, offset); the double modulo floors negative times too (DuckDB's % keeps the
// sign of the dividend). The plan keeps $offset in [0, $step).
function aggregateSql(aggregation: Exclude<PlannedAggregation, 'raw'>): string {
  const values = AGGREGATE_SQL[aggregation].map((sql, i) => `(${sql})::DOUBLE AS v${i}`).join(', ');
  return `${GROUPS_CTE},
b AS (
  SELECT g.grp, p.ts - ((((p.ts - $offset) % $step) + $step) % $step) AS bucket, p.ts, p.value
  FROM metric_points AS p JOIN g USING (series_id)
  WHERE p.field = $field AND p.ts BETWEEN $from AND $to)
SELECT grp, bucket::DOUBLE AS t, ${values}
FROM b GROUP BY grp, bucket ORDER BY grp, bucket`;
}

interface Series {
  readonly id: number;
  readonly measurement: string;
  readonly tags: ReadonlyMap<string, string>;
}

/** Options of the embedded store. */
export interface DuckDbMetricStoreOptions {
  /** Rows a query may return in all; beyond, the result is cut and marked truncated. Default 500,000. */
  readonly maxRows?: number;
}

/** MetricStore in an embedded DuckDB file, answering as InfluxDB 1.x does. */
export class DuckDbMetricStore implements MetricStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly seriesByKey = new Map<string, Series>();
  private readonly seriesByMeasurement = new Map<string, Series[]>();
  private readonly fieldsByMeasurement = new Map<string, Set<string>>();
  private nextSeriesId = 1;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly maxRows: number,
  ) {}

  /**
   * Opens (or creates) the metrics database: a file of its own (DuckDB locks a file to one
   * process, and the engine's state store holds another), or `:memory:`.
   */
  static async open(path: string, options: DuckDbMetricStoreOptions = {}): Promise<DuckDbMetricStore> {
    const maxRows = options.maxRows ?? 500_000;
    if (!Number.isSafeInteger(maxRows) || maxRows < 1)
      throw new TypeError('maxRows must be a positive integer');
    let instance: DuckDBInstance | undefined;
    try {
      if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
      instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      for (const sql of SCHEMA) await connection.run(sql);
      const store = new DuckDbMetricStore(instance, connection, maxRows);
      await store.loadCatalog();
      return store;
    } catch (err: unknown) {
      instance?.closeSync();
      const message = err instanceof Error ? err.message : String(err);
      const code = /lock/i.test(message) ? 'LOCKED' : 'UNAVAILABLE';
      throw new UpstreamError(
        SOURCE,
        code,
        code === 'LOCKED' ? `the metrics store ${path} is in use by another process` : message,
        { cause: err },
      );
    }
  }

  private async loadCatalog(): Promise<void> {
    const series = await this.connection.runAndReadAll(
      'SELECT id, measurement, tags FROM metric_series ORDER BY id',
    );
    for (const [id, measurement, tags] of series.getRows()) {
      const pairs = storedTagsSchema.safeParse(typeof tags === 'string' ? JSON.parse(tags) : null);
      if (typeof id !== 'number' || typeof measurement !== 'string' || !pairs.success)
        throw new Error(`metric_series row ${String(id)} is damaged`);
      this.remember({ id, measurement, tags: new Map(pairs.data) });
    }
    const fields = await this.connection.runAndReadAll('SELECT measurement, field FROM metric_fields');
    for (const [measurement, field] of fields.getRows()) {
      if (typeof measurement === 'string' && typeof field === 'string')
        this.rememberField(measurement, field);
    }
  }

  private remember(series: Series): void {
    this.seriesByKey.set(seriesKey(series.measurement, [...series.tags]), series);
    const list = this.seriesByMeasurement.get(series.measurement) ?? [];
    list.push(series);
    this.seriesByMeasurement.set(series.measurement, list);
    this.nextSeriesId = Math.max(this.nextSeriesId, series.id + 1);
  }

  private rememberField(measurement: string, field: string): void {
    const set = this.fieldsByMeasurement.get(measurement) ?? new Set<string>();
    set.add(field);
    this.fieldsByMeasurement.set(measurement, set);
  }

  /**
   * One operation at a time on the single connection, in call order. An abort while it runs
   * interrupts DuckDB; the operation then rejects with ABORTED.
   */
  private serial<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (signal.aborted) throw new UpstreamError(SOURCE, 'ABORTED', 'aborted before start');
      const interrupt = (): void => this.connection.interrupt();
      signal.addEventListener('abort', interrupt, { once: true });
      try {
        return await work();
      } catch (err: unknown) {
        if (signal.aborted && !(err instanceof UpstreamError && err.code === 'ABORTED'))
          throw new UpstreamError(SOURCE, 'ABORTED', 'aborted', { cause: err });
        throw err;
      } finally {
        signal.removeEventListener('abort', interrupt);
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Writes in one transaction, committed (to DuckDB's write-ahead log) before resolving. As in
   * InfluxDB, a point with the same series, field and time as a stored one replaces it (the last
   * written wins, field by field), so a batch sent twice after a lost acknowledgement is not
   * counted twice. Points InfluxDB could not store are refused the same way (WRITE_REJECTED).
   */
  write(points: readonly MetricPoint[], signal: AbortSignal): Promise<void> {
    let stored: StoredPoint[];
    try {
      stored = storablePoints(points, SOURCE);
    } catch (err: unknown) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.serial(signal, async () => {
      if (stored.length === 0) return;
      const newSeries = new Map<string, Series>();
      const newFields = new Map<string, [string, string]>();
      const seq: number[] = [];
      const ids: number[] = [];
      const fieldNames: string[] = [];
      const times: number[] = [];
      const values: number[] = [];
      let minTs = Infinity;
      let maxTs = -Infinity;
      for (const point of stored) {
        const key = seriesKey(point.measurement, point.tags);
        let series = this.seriesByKey.get(key) ?? newSeries.get(key);
        if (series === undefined) {
          series = {
            id: this.nextSeriesId + newSeries.size,
            measurement: point.measurement,
            tags: new Map(point.tags),
          };
          newSeries.set(key, series);
        }
        minTs = Math.min(minTs, point.time);
        maxTs = Math.max(maxTs, point.time);
        for (const [field, value] of point.fields) {
          if (!this.fieldsByMeasurement.get(point.measurement)?.has(field))
            newFields.set(JSON.stringify([point.measurement, field]), [point.measurement, field]);
          seq.push(seq.length);
          ids.push(series.id);
          fieldNames.push(field);
          times.push(point.time);
          values.push(value);
        }
      }
      try {
        await this.stage([seq, ids, fieldNames, times, values]);
        await this.connection.run('BEGIN TRANSACTION');
        try {
          await this.insertRows(
            'INSERT INTO metric_series VALUES',
            3,
            [...newSeries.values()].map((s) => [s.id, s.measurement, JSON.stringify([...s.tags])]),
          );
          await this.insertRows('INSERT OR IGNORE INTO metric_fields VALUES', 2, [...newFields.values()]);
          // The join on equal times is bounded by the batch's time range: zone maps skip the rest.
          await this.connection.run(
            `DELETE FROM metric_points AS p USING metric_staging AS s
             WHERE p.ts BETWEEN $1 AND $2 AND p.series_id = s.series_id AND p.field = s.field AND p.ts = s.ts::BIGINT`,
            [BigInt(minTs), BigInt(maxTs)],
          );
          // Within the batch too, the last written wins; rows go in time order for the zone maps.
          await this.connection.run(
            `INSERT INTO metric_points
             SELECT series_id, field, ts::BIGINT AS t, arg_max(value, seq) FROM metric_staging
             GROUP BY series_id, field, t ORDER BY t, series_id`,
          );
          await this.connection.run('COMMIT');
        } catch (err: unknown) {
          try {
            await this.connection.run('ROLLBACK');
          } catch (rollbackErr: unknown) {
            throw new AggregateError([err, rollbackErr], 'write failed and could not be rolled back');
          }
          throw err;
        }
      } catch (err: unknown) {
        if (err instanceof UpstreamError) throw err;
        throw new UpstreamError(SOURCE, 'WRITE_FAILED', err instanceof Error ? err.message : String(err), {
          cause: err,
        });
      } finally {
        await this.connection.run('DELETE FROM metric_staging');
      }
      for (const series of newSeries.values()) this.remember(series);
      for (const [measurement, field] of newFields.values()) this.rememberField(measurement, field);
    });
  }

  /** Appends columns to the staging table in data chunks (no per-value calls into N-API). */
  private async stage(columns: readonly (readonly DuckDBValue[])[]): Promise<void> {
    const appender = await this.connection.createAppender('metric_staging', 'main', 'temp');
    try {
      const rows = columns[0]?.length ?? 0;
      for (let offset = 0; offset < rows; offset += CHUNK_ROWS) {
        const end = Math.min(rows, offset + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(STAGING_TYPES, end - offset);
        chunk.setColumns(columns.map((c) => c.slice(offset, end)));
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  /** Multi-row INSERT with bound parameters, 500 rows a statement. */
  private async insertRows(
    prefix: string,
    width: number,
    rows: readonly (readonly DuckDBValue[])[],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const params = chunk.flat();
      const tuples = chunk.map(
        (_, r) => `(${Array.from({ length: width }, (_unused, c) => `$${r * width + c + 1}`).join(', ')})`,
      );
      await this.connection.run(`${prefix} ${tuples.join(', ')}`, params);
    }
  }

  /**
   * Answers as InfluxDB's SELECT would (see influxql.ts for the InfluxQL): raw points in time
   * order; aggregations per bucket over the whole range, buckets without points as null (0 for
   * count); only series with at least one point of the field in the range; `truncated` when a cap
   * cut the result.
   */
  query(query: MetricQuery, signal: AbortSignal): Promise<MetricQueryResult> {
    return this.select(query, signal, (plan, tags, [grp = [], t = [], v = []]) => {
      const series =
        plan.aggregation === 'raw'
          ? rawSeries(tags, grp, t, v)
          : bucketedSeries(plan, tags, grp, t, [v]).map((s) => ({
              tags: s.tags,
              times: s.times,
              values: s.columns[0] ?? [],
            }));
      return capSeries(sortSeries(series, plan.groupBy), plan.perSeriesCap, plan.totalCap);
    });
  }

  /** First, min, max and last per bucket in one SQL statement, as InfluxDB's four selectors. */
  queryM4(query: M4Query, signal: AbortSignal): Promise<M4QueryResult> {
    return this.select(
      { ...query, aggregation: 'm4' },
      signal,
      (plan, tags, [grp = [], t = [], ...values]) => {
        const series = bucketedSeries(plan, tags, grp, t, values).map(
          ({
            tags: tagSet,
            times,
            columns: [first = [], min = [], max = [], last = []],
          }): M4SeriesResult => ({
            tags: tagSet,
            times,
            first,
            min,
            max,
            last,
          }),
        );
        return capM4Series(sortSeries(series, plan.groupBy), plan.perSeriesCap, plan.totalCap);
      },
    );
  }

  /**
   * Plans a query, runs its SQL on the series it selects, and builds the result from the columns
   * read (group index, time, then the values).
   */
  private select<S>(
    query: PlannableQuery,
    signal: AbortSignal,
    build: (
      plan: QueryPlan,
      tags: readonly Record<string, string>[],
      columns: readonly (readonly DuckDBValue[])[],
    ) => { series: S[]; truncated: boolean },
  ): Promise<{ series: S[]; truncated: boolean; queryText: string }> {
    let plan: QueryPlan;
    try {
      plan = planQuery(query, this.maxRows, SOURCE);
    } catch (err: unknown) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const sql = plan.aggregation === 'raw' ? RAW_SQL : aggregateSql(plan.aggregation);
    const params: Record<string, DuckDBValue> = {
      field: plan.field,
      from: BigInt(plan.from),
      to: BigInt(plan.to),
      ...(plan.aggregation === 'raw'
        ? { limit: BigInt(plan.perSeriesCap + 1) }
        : { step: BigInt(plan.stepMs), offset: BigInt(plan.offsetMs) }),
    };
    const types: Record<string, DuckDBType> = { ids: LIST(INTEGER), groups: LIST(INTEGER), field: VARCHAR };
    for (const [name, value] of Object.entries(params)) if (typeof value === 'bigint') types[name] = BIGINT;
    const queryText = `${sql}\n-- ${JSON.stringify({ measurement: plan.measurement, where: plan.where, groupBy: plan.groupBy, ...mapBigInts(params) })}`;
    return this.serial(signal, async () => {
      const groups = this.selectGroups(plan);
      if (plan.empty || groups.tags.length === 0) return { series: [], truncated: plan.capped, queryText };
      const reader = await this.connection
        .runAndReadAll(
          sql,
          { ...params, ids: listValue(groups.ids), groups: listValue(groups.groupOf) },
          types,
        )
        .catch((err: unknown) => {
          throw new UpstreamError(SOURCE, 'QUERY', err instanceof Error ? err.message : String(err), {
            cause: err,
          });
        });
      const capped = build(plan, groups.tags, reader.getColumns());
      return { series: capped.series, truncated: capped.truncated || plan.capped, queryText };
    });
  }

  /** The series a query reads, grouped: exact string comparisons in memory, a missing tag as ''. */
  private selectGroups(plan: QueryPlan): {
    ids: number[];
    groupOf: number[];
    tags: Record<string, string>[];
  } {
    const ids: number[] = [];
    const groupOf: number[] = [];
    const tags: Record<string, string>[] = [];
    const index = new Map<string, number>();
    for (const series of this.seriesByMeasurement.get(plan.measurement) ?? []) {
      const tagOf = (k: string): string | undefined => series.tags.get(k);
      if (!matchesFilters(tagOf, plan.where)) continue;
      const key = JSON.stringify(plan.groupBy.map((k) => tagOf(k) ?? ''));
      let group = index.get(key);
      if (group === undefined) {
        group = tags.length;
        index.set(key, group);
        tags.push(groupTags(plan.groupBy, tagOf));
      }
      ids.push(series.id);
      groupOf.push(group);
    }
    return { ids, groupOf, tags };
  }

  measurements(signal: AbortSignal): Promise<string[]> {
    return this.serial(signal, () => Promise.resolve(sortedDistinct(this.seriesByMeasurement.keys())));
  }

  /** Every field is a float: the port writes numbers only, as floats, as InfluxMetricStore does. */
  fields(measurement: string, signal: AbortSignal): Promise<FieldInfo[]> {
    return this.serial(signal, () => {
      checkListingName('measurement', measurement, SOURCE);
      return Promise.resolve(
        sortedDistinct(this.fieldsByMeasurement.get(measurement) ?? []).map((name) => ({
          name,
          type: 'float' as const,
        })),
      );
    });
  }

  tagKeys(measurement: string, signal: AbortSignal): Promise<string[]> {
    return this.serial(signal, () => {
      checkListingName('measurement', measurement, SOURCE);
      return Promise.resolve(
        sortedDistinct((this.seriesByMeasurement.get(measurement) ?? []).flatMap((s) => [...s.tags.keys()])),
      );
    });
  }

  tagValues(measurement: string, key: string, signal: AbortSignal): Promise<string[]> {
    return this.serial(signal, () => {
      checkListingName('measurement', measurement, SOURCE);
      checkListingName('tag key', key, SOURCE);
      const values = (this.seriesByMeasurement.get(measurement) ?? []).flatMap((s) => {
        const value = s.tags.get(key);
        return value === undefined ? [] : [value];
      });
      return Promise.resolve(sortedDistinct(values));
    });
  }

  /** `embedded DuckDB <version>`; the clock is this machine's. */
  ping(signal: AbortSignal): Promise<MetricStoreHealth> {
    return this.serial(signal, async () => {
      const reader = await this.connection.runAndReadAll('SELECT version()');
      const version = String(reader.getRows()[0]?.[0] ?? '').replace(/^v/, '');
      return { version: `embedded DuckDB ${version}`, serverTime: Date.now() };
    });
  }

  close(): Promise<void> {
    return this.serial(new AbortController().signal, () => {
      this.connection.closeSync();
      this.instance.closeSync();
      return Promise.resolve();
    });
  }
}

/** Unambiguous (every part length-prefixed) and cheaper than JSON for 259k points. */
function seriesKey(measurement: string, tags: readonly (readonly [string, string])[]): string {
  let key = `${measurement.length}:${measurement}`;
  for (const [k, v] of tags) key += `${k.length}:${k}${v.length}:${v}`;
  return key;
}

function mapBigInts(params: Record<string, DuckDBValue>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
  );
}

function rawSeries(
  tags: readonly Record<string, string>[],
  grp: readonly DuckDBValue[],
  t: readonly DuckDBValue[],
  v: readonly DuckDBValue[],
): SeriesResult[] {
  const out = tags.map((tagSet) => ({
    tags: tagSet,
    times: [] as number[],
    values: [] as (number | null)[],
  }));
  for (let i = 0; i < grp.length; i++) {
    const series = out[Number(grp[i])];
    const time = t[i];
    const value = v[i];
    if (series === undefined || typeof time !== 'number') continue;
    series.times.push(time);
    series.values.push(typeof value === 'number' ? value : null);
  }
  return out.filter((s) => s.times.length > 0);
}

/** A group's buckets: their starts and one column of values per aggregate. */
interface BucketedSeries {
  readonly tags: Readonly<Record<string, string>>;
  readonly times: number[];
  readonly columns: (number | null)[][];
}

/**
 * Every bucket from the first to the last of the range for each group that has a point in it, as
 * InfluxDB's `fill(null)`, with one column per value column read (`m4` has four). Empty buckets
 * are null, except for `count`: InfluxDB answers 0 there even under fill(null) ("COUNT() reports
 * 0 for time intervals with no data",
 * https://docs.influxdata.com/influxdb/v1/query_language/functions/#count); a zero that is true.
 */
function bucketedSeries(
  plan: QueryPlan,
  tags: readonly Record<string, string>[],
  grp: readonly DuckDBValue[],
  t: readonly DuckDBValue[],
  v: readonly (readonly DuckDBValue[])[],
): BucketedSeries[] {
  const empty = plan.aggregation === 'count' ? 0 : null;
  const out: (BucketedSeries | undefined)[] = tags.map(() => undefined);
  for (let i = 0; i < grp.length; i++) {
    const g = Number(grp[i]);
    const time = t[i];
    if (typeof time !== 'number' || g < 0 || g >= tags.length) continue;
    let series = out[g];
    if (series === undefined) {
      const times = Array.from({ length: plan.bucketCount }, (_, k) => plan.firstBucket + k * plan.stepMs);
      const columns = v.map(() => new Array<number | null>(plan.bucketCount).fill(empty));
      series = { tags: tags[g] ?? {}, times, columns };
      out[g] = series;
    }
    const slot = (time - plan.firstBucket) / plan.stepMs;
    if (slot < 0 || slot >= plan.bucketCount) continue;
    for (let c = 0; c < v.length; c++) {
      const value = v[c]?.[i];
      const column = series.columns[c];
      if (column) column[slot] = typeof value === 'number' ? value : null;
    }
  }
  return out.filter((s): s is BucketedSeries => s !== undefined);
}
