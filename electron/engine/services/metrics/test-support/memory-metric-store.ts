/**
 * An in-memory MetricStore for service tests: it stores what it is given, answers queries with the
 * store semantics the port documents (inclusive range, one series per group, empty buckets as
 * null, `maxRows` truncation), and can be made unreachable or slow on demand.
 */
import type {
  FieldInfo,
  M4Query,
  M4QueryResult,
  MetricPoint,
  MetricQuery,
  MetricQueryResult,
  MetricStore,
  MetricStoreHealth,
  SeriesResult,
} from '../../../ports/metric-store';
import { missingCase } from '../../../../../shared/domain/missing-case';
import { UpstreamError } from '../../../ports/upstream-error';

/** A MetricStore held in memory, with switches for outages and a log of what it was asked. */
export class MemoryMetricStore implements MetricStore {
  /** Every acknowledged point, in the order written. */
  readonly points: MetricPoint[] = [];
  /** Every acknowledged write, as sent. */
  readonly batches: MetricPoint[][] = [];
  /** Every query received. */
  readonly queries: MetricQuery[] = [];
  /** Every `queryM4` received. */
  readonly m4Queries: M4Query[] = [];
  /** Write attempts, failed ones included. */
  writeAttempts = 0;
  /** When set, every call rejects with it: the store is unreachable. */
  failure: UpstreamError | null = null;
  /** What `ping` answers when reachable. */
  health: MetricStoreHealth = { version: 'memory 1', serverTime: null };
  /** When set, `query` answers this instead of computing from `points`. */
  queryAnswer: MetricQueryResult | null = null;
  /** When set, `queryM4` answers this instead of computing from `points`. */
  m4Answer: M4QueryResult | null = null;
  closed = false;
  private gate: { open: Promise<void>; arrived: () => void } | null = null;
  private readonly writeListeners = new Set<() => void>();

  constructor(readonly source = 'memory') {}

  /** Makes the store unreachable (`code` as an adapter would report it) or reachable again (null). */
  setUnreachable(code: string | null): void {
    this.failure = code === null ? null : new UpstreamError(this.source, code, `store ${code.toLowerCase()}`);
  }

  /**
   * Holds every write until `release` is called; `reached` resolves when a write is waiting.
   * For tests on what happens while a batch is in flight.
   */
  holdWrites(): { release: () => void; reached: Promise<void> } {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const open = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    this.gate = { open, arrived };
    return {
      reached,
      release: () => {
        this.gate = null;
        release();
      },
    };
  }

  /** Called after every acknowledged write. */
  onWrite(listener: () => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  async write(points: readonly MetricPoint[], signal: AbortSignal): Promise<void> {
    this.writeAttempts += 1;
    const gate = this.gate;
    if (gate) {
      gate.arrived();
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(new UpstreamError(this.source, 'ABORTED', 'write aborted'));
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        void gate.open.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.check();
    this.batches.push([...points]);
    this.points.push(...points);
    for (const listener of this.writeListeners) listener();
  }

  query(query: MetricQuery, _signal: AbortSignal): Promise<MetricQueryResult> {
    this.queries.push(query);
    this.check();
    if (this.queryAnswer) return Promise.resolve(this.queryAnswer);
    return Promise.resolve(this.compute(query));
  }

  queryM4(query: M4Query, _signal: AbortSignal): Promise<M4QueryResult> {
    this.m4Queries.push(query);
    this.check();
    if (this.m4Answer) return Promise.resolve(this.m4Answer);
    const per = (aggregation: 'first' | 'min' | 'max' | 'last'): MetricQueryResult =>
      this.compute(
        { ...query, aggregation: aggregation === 'first' ? 'raw' : aggregation },
        aggregation === 'first',
      );
    const [first, min, max, last] = [per('first'), per('min'), per('max'), per('last')];
    return Promise.resolve({
      series: last.series.map((s, i) => ({
        tags: s.tags,
        times: s.times,
        first: first.series[i]?.values ?? [],
        min: min.series[i]?.values ?? [],
        max: max.series[i]?.values ?? [],
        last: s.values,
      })),
      truncated: last.truncated,
      queryText: `memory: m4(${query.measurement}.${query.field})`,
    });
  }

  measurements(_signal: AbortSignal): Promise<string[]> {
    this.check();
    return Promise.resolve([...new Set(this.points.map((p) => p.measurement))].sort());
  }

  fields(measurement: string, _signal: AbortSignal): Promise<FieldInfo[]> {
    this.check();
    const names = new Set(
      this.points.filter((p) => p.measurement === measurement).flatMap((p) => Object.keys(p.fields)),
    );
    return Promise.resolve([...names].sort().map((name) => ({ name, type: 'float' as const })));
  }

  tagKeys(measurement: string, _signal: AbortSignal): Promise<string[]> {
    this.check();
    const keys = new Set(
      this.points.filter((p) => p.measurement === measurement).flatMap((p) => Object.keys(p.tags)),
    );
    return Promise.resolve([...keys].sort());
  }

  tagValues(measurement: string, key: string, _signal: AbortSignal): Promise<string[]> {
    this.check();
    const values = new Set<string>();
    for (const p of this.points) {
      const v = p.tags[key];
      if (p.measurement === measurement && v !== undefined) values.add(v);
    }
    return Promise.resolve([...values].sort());
  }

  ping(_signal: AbortSignal): Promise<MetricStoreHealth> {
    this.check();
    return Promise.resolve(this.health);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** `firstPerBucket`: a `raw` query answered as the first value per bucket (for queryM4). */
  private compute(q: MetricQuery, firstPerBucket = false): MetricQueryResult {
    const groups = new Map<
      string,
      { tags: Record<string, string>; rows: { time: number; value: number | null }[] }
    >();
    for (const p of this.points) {
      if (p.measurement !== q.measurement || p.time < q.from || p.time > q.to) continue;
      if (!(q.field in p.fields)) continue;
      if (!q.where.every((w) => (p.tags[w.key] === w.value) === (w.op === '='))) continue;
      const tags = Object.fromEntries(q.groupBy.map((k) => [k, p.tags[k] ?? '']));
      const key = JSON.stringify(tags);
      const group = groups.get(key) ?? { tags, rows: [] };
      group.rows.push({ time: p.time, value: p.fields[q.field] ?? null });
      groups.set(key, group);
    }
    let truncated = false;
    const series: SeriesResult[] = [...groups.values()].map(({ tags, rows }) => {
      rows.sort((a, b) => a.time - b.time);
      let times: number[];
      let values: (number | null)[];
      if (q.aggregation === 'raw' && !firstPerBucket) {
        times = rows.map((r) => r.time);
        values = rows.map((r) => r.value);
      } else {
        times = [];
        values = [];
        const offset = q.offsetMs ?? 0;
        const firstStart = Math.floor((q.from - offset) / q.stepMs) * q.stepMs + offset;
        for (let start = firstStart; start <= q.to; start += q.stepMs) {
          const inBucket = rows
            .filter((r) => r.time >= start && r.time < start + q.stepMs && r.value !== null)
            .map((r) => r.value ?? 0);
          times.push(start);
          values.push(q.aggregation === 'raw' ? (inBucket[0] ?? null) : aggregate(q.aggregation, inBucket));
        }
      }
      if (times.length > q.maxRows) {
        truncated = true;
        times = times.slice(0, q.maxRows);
        values = values.slice(0, q.maxRows);
      }
      return { tags, times, values };
    });
    return { series, truncated, queryText: `memory: ${q.aggregation}(${q.measurement}.${q.field})` };
  }
}

function aggregate(kind: Exclude<MetricQuery['aggregation'], 'raw'>, values: number[]): number | null {
  if (values.length === 0) return null;
  switch (kind) {
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'count':
      return values.length;
    case 'last':
      return values.at(-1) ?? null;
    case 'p95': {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? null;
    }
    default:
      throw missingCase(kind);
  }
}
