/**
 * MetricStore on InfluxDB's 1.x HTTP API: InfluxQL over `/query`, line protocol over `/write`
 * (the API InfluxDB 1.x serves and 2.x keeps for compatibility).
 *
 * Queries go straight to `/query` with `epoch=ms` rather than through the `influx` package, which
 * builds an object per row (1.75× slower than curl on 259k points, REAL-SERVERS.md), reads
 * `results[i].error` only as an exception and never `partial` (PITFALLS.md). Lines are written by
 * line-protocol.ts, whose escaping is paired with the name checks of influx-semantics.ts (the
 * package's own escaping lets a trailing backslash break out of a string literal).
 *
 * https://docs.influxdata.com/influxdb/v1/tools/api/
 */
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
import type { HttpAnswer } from './influx-http';
import { InfluxHttp } from './influx-http';
import type { InfluxStatementResult } from './influx-response';
import { errorMessage, m4Series, numericSeries, parseStatementResult, stringColumn } from './influx-response';
import {
  capM4Series,
  capSeries,
  compareBytes,
  groupTags,
  checkListingName,
  planQuery,
  sortSeries,
  sortedDistinct,
  storablePoints,
} from './influx-semantics';
import { selectStatement, showFieldKeys, showMeasurements, showTagKeys, showTagValues } from './influxql';
import { toBatches, toLine } from './line-protocol';

/** How to reach one InfluxDB database (the `metrics.influxdb` config section, secrets resolved). */
export interface InfluxMetricStoreOptions {
  /** Base URL of the 1.x API, e.g. `http://influx:8086`. */
  readonly url: string;
  readonly database: string;
  /** Written to and read from; the database's default policy when absent. */
  readonly retentionPolicy?: string;
  readonly username?: string;
  readonly password?: string;
  /** InfluxDB 2.x token (sent as `Authorization: Token <token>`); exclusive with username. */
  readonly token?: string;
  /** PEM of a private CA that signed the server's certificate. */
  readonly ca?: string;
  /** Total deadline of each HTTP request. */
  readonly timeoutMs: number;
  /** Rows a query may return in all; beyond, the result is cut and marked truncated. */
  readonly maxRows: number;
  /** Largest response body read; default 64 MiB. */
  readonly maxResponseBytes?: number;
}

/** `source` of the UpstreamErrors this adapter raises. */
export const INFLUXDB_SOURCE = 'influxdb';

const FIELD_TYPES: Readonly<Record<string, FieldInfo['type']>> = {
  float: 'float',
  integer: 'integer',
  // InfluxDB 1.6+ may hold unsigned integers; for a chart they are integers.
  unsigned: 'integer',
  string: 'string',
  boolean: 'boolean',
};

/** MetricStore over InfluxDB's 1.x HTTP API. */
export class InfluxMetricStore implements MetricStore {
  private readonly http: InfluxHttp;

  constructor(private readonly options: InfluxMetricStoreOptions) {
    if (options.database.length === 0) throw new TypeError('InfluxDB: the database name is empty');
    if (!Number.isSafeInteger(options.maxRows) || options.maxRows < 1)
      throw new TypeError('InfluxDB: maxRows must be a positive integer');
    this.http = new InfluxHttp({
      url: options.url,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes ?? 64 * 1024 * 1024,
      source: INFLUXDB_SOURCE,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
  }

  /**
   * Writes in line protocol, 5,000 lines per request at most, one request after the other.
   * Every point is checked before anything is sent: one InfluxDB could not store rejects the call
   * with WRITE_REJECTED and nothing is written. A request InfluxDB refuses (HTTP 400, e.g.
   * `partial write: field type conflict`) rejects with WRITE_REJECTED and InfluxDB's message;
   * earlier requests of the call stay written (writing them again is harmless: a point with the
   * same series and time replaces the stored one).
   */
  async write(points: readonly MetricPoint[], signal: AbortSignal): Promise<void> {
    const lines = storablePoints(points, INFLUXDB_SOURCE).map(toLine);
    const params: Record<string, string> = { db: this.options.database, precision: 'ms' };
    if (this.options.retentionPolicy !== undefined) params.rp = this.options.retentionPolicy;
    for (const body of toBatches(lines)) {
      const answer = await this.http.request('POST', 'write', params, body, signal);
      if (answer.status !== 204 && answer.status !== 200) throw statusError(answer, 'WRITE_REJECTED');
    }
  }

  /**
   * Runs the InfluxQL SELECT for `query` (see influxql.ts). `truncated` when InfluxDB marked the
   * answer `partial` (its max-row-limit), when a series reached the row cap, or when the bucket
   * count was capped.
   */
  async query(query: MetricQuery, signal: AbortSignal): Promise<MetricQueryResult> {
    const plan = planQuery(query, this.options.maxRows, INFLUXDB_SOURCE);
    const queryText = selectStatement(plan, this.options.retentionPolicy);
    if (plan.empty) return { series: [], truncated: false, queryText };
    const result = await this.statement(queryText, signal);
    const series: SeriesResult[] = result.series.map((s) => ({
      tags: groupTags(plan.groupBy, (k) => s.tags.get(k)),
      ...numericSeries(s, INFLUXDB_SOURCE),
    }));
    const capped = capSeries(sortSeries(series, plan.groupBy), plan.perSeriesCap, plan.totalCap);
    return {
      series: capped.series,
      truncated: result.partial || capped.truncated || plan.capped,
      queryText,
    };
  }

  /**
   * Runs `SELECT first(f), min(f), max(f), last(f) ... GROUP BY time(step[, offset]) fill(null)`:
   * one statement, one row per bucket. `truncated` as for `query`.
   */
  async queryM4(query: M4Query, signal: AbortSignal): Promise<M4QueryResult> {
    const plan = planQuery({ ...query, aggregation: 'm4' }, this.options.maxRows, INFLUXDB_SOURCE);
    const queryText = selectStatement(plan, this.options.retentionPolicy);
    if (plan.empty) return { series: [], truncated: false, queryText };
    const result = await this.statement(queryText, signal);
    const series: M4SeriesResult[] = result.series.map((s) => ({
      tags: groupTags(plan.groupBy, (k) => s.tags.get(k)),
      ...m4Series(s, INFLUXDB_SOURCE),
    }));
    const capped = capM4Series(sortSeries(series, plan.groupBy), plan.perSeriesCap, plan.totalCap);
    return {
      series: capped.series,
      truncated: result.partial || capped.truncated || plan.capped,
      queryText,
    };
  }

  async measurements(signal: AbortSignal): Promise<string[]> {
    const result = await this.statement(showMeasurements(), signal);
    return sortedDistinct(result.series.flatMap((s) => stringColumn(s, 'name', INFLUXDB_SOURCE)));
  }

  async fields(measurement: string, signal: AbortSignal): Promise<FieldInfo[]> {
    checkListingName('measurement', measurement, INFLUXDB_SOURCE);
    const result = await this.statement(showFieldKeys(measurement, this.options.retentionPolicy), signal);
    const byName = new Map<string, FieldInfo['type']>();
    for (const s of result.series) {
      const names = stringColumn(s, 'fieldKey', INFLUXDB_SOURCE);
      const types = stringColumn(s, 'fieldType', INFLUXDB_SOURCE);
      names.forEach((name, i) => {
        const type = FIELD_TYPES[types[i] ?? ''];
        // A field written with different types in different shards is listed once per type.
        if (type !== undefined && !byName.has(name)) byName.set(name, type);
      });
    }
    return [...byName].sort((a, b) => compareBytes(a[0], b[0])).map(([name, type]) => ({ name, type }));
  }

  async tagKeys(measurement: string, signal: AbortSignal): Promise<string[]> {
    checkListingName('measurement', measurement, INFLUXDB_SOURCE);
    const result = await this.statement(showTagKeys(measurement, this.options.retentionPolicy), signal);
    return sortedDistinct(result.series.flatMap((s) => stringColumn(s, 'tagKey', INFLUXDB_SOURCE)));
  }

  async tagValues(measurement: string, key: string, signal: AbortSignal): Promise<string[]> {
    checkListingName('measurement', measurement, INFLUXDB_SOURCE);
    checkListingName('tag key', key, INFLUXDB_SOURCE);
    const result = await this.statement(
      showTagValues(measurement, key, this.options.retentionPolicy),
      signal,
    );
    return sortedDistinct(result.series.flatMap((s) => stringColumn(s, 'value', INFLUXDB_SOURCE)));
  }

  /** GET /ping: 204 with the version in `X-Influxdb-Version` and the server's clock in `Date`. */
  async ping(signal: AbortSignal): Promise<MetricStoreHealth> {
    const answer = await this.http.request('GET', 'ping', {}, undefined, signal);
    if (answer.status !== 204 && answer.status !== 200) throw statusError(answer, 'UNAVAILABLE');
    const version = answer.headers['x-influxdb-version'];
    const date = answer.headers.date;
    const serverTime = date === undefined ? NaN : Date.parse(date);
    return {
      version: typeof version === 'string' && version !== '' ? version : 'unknown',
      serverTime: Number.isFinite(serverTime) ? serverTime : null,
    };
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }

  /** One InfluxQL statement over GET /query (reads only, so GET, as the API documents). */
  private async statement(text: string, signal: AbortSignal): Promise<InfluxStatementResult> {
    const answer = await this.http.request(
      'GET',
      'query',
      { db: this.options.database, epoch: 'ms', q: text },
      undefined,
      signal,
    );
    if (answer.status !== 200) throw statusError(answer, 'QUERY');
    return parseStatementResult(answer.text, INFLUXDB_SOURCE);
  }
}

/**
 * The UpstreamError for an HTTP error status, with InfluxDB's own message: 401/403 AUTH, 413
 * TOO_LARGE, 400/404 (a refused query or write, an unknown database) `refused`, anything else
 * UNAVAILABLE (5xx, a proxy's error page).
 */
function statusError(answer: HttpAnswer, refused: 'QUERY' | 'WRITE_REJECTED' | 'UNAVAILABLE'): UpstreamError {
  const message = errorMessage(answer.text) || `HTTP ${answer.status}`;
  switch (answer.status) {
    case 401:
    case 403:
      return new UpstreamError(INFLUXDB_SOURCE, 'AUTH', `InfluxDB refused the credentials: ${message}`);
    case 413:
      return new UpstreamError(
        INFLUXDB_SOURCE,
        'TOO_LARGE',
        `InfluxDB refused a request as too large: ${message}`,
      );
    case 400:
    case 404:
      return new UpstreamError(INFLUXDB_SOURCE, refused, message);
    default:
      return new UpstreamError(
        INFLUXDB_SOURCE,
        'UNAVAILABLE',
        `InfluxDB answered HTTP ${answer.status}: ${message}`,
      );
  }
}
