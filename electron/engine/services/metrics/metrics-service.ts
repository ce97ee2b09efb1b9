/**
 * The console's side of its metric stores: which sources exist and whether they answer (shown to
 * the operator, never hidden behind stale charts), what they hold (catalog, tag values), charts
 * sized to the pixels that will draw them, and where collected points go.
 *
 * Each source is probed with `ping` on an interval. Its state is `connecting` until the first
 * answer, then `connected` or `unreachable` with the error: a store that does not answer is never
 * shown as connected. The probe also measures the clock skew between the store and the engine
 * (PITFALLS.md: skew makes "stale" and "fresh" lie), logged as a warning beyond 30 s.
 *
 * The request methods hold the logic of the `metrics.*` channels; the engine's handlers call them
 * with the parsed requests. An unknown source is NOT_FOUND; a store error (UpstreamError) goes
 * through unchanged, for the dispatcher to map to an UPSTREAM_* code.
 */
import {
  VigieError,
  type MetricFrame,
  type MetricSource,
  type RequestOf,
  type ResponseOf,
} from '../../../../shared/api';
import { decimateForPlot } from '../../../../shared/domain/decimate';
import { m4Buckets, m4Points, rawNeedsM4 } from '../../../../shared/domain/m4-points';
import { stepForColumns } from '../../../../shared/domain/query-sizing';
import {
  applyTransform,
  transformedUnit,
  type SeriesTransform,
} from '../../../../shared/domain/series-transform';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { M4Query, MetricPoint, MetricQuery, MetricStore } from '../../ports/metric-store';
import { UpstreamError } from '../../ports/upstream-error';
import { withDeadline } from './deadline';
import { MAX_BATCH_POINTS, type MetricWriteQueue, type QueueError } from './durable-write-queue';
import { vigieMetricUnit } from './metric-units';

/** Above this skew between a store's clock and the engine's, ages computed across them mislead. */
export const CLOCK_SKEW_WARN_MS = 30_000;

/** One metric store the console reads from (and, for the default one, writes to). */
export interface MetricSourceDef {
  /** Stable id, used in requests (`source`) and logs. */
  readonly id: string;
  /** Shown to the operator. */
  readonly name: string;
  readonly kind: MetricSource['kind'];
  readonly store: MetricStore;
  /** The durable queue in front of `store` (a DurableWriteQueue); without one, `write` goes straight to the store. */
  readonly queue?: MetricWriteQueue;
  /** Rows per series beyond which a query is truncated (config `metrics.influxdb.maxRows`). Default 500,000. */
  readonly maxRows?: number;
}

/** What the service needs. The service owns its sources: `stop` closes their queues and stores. */
export interface MetricsServiceDeps {
  readonly sources: readonly MetricSourceDef[];
  /** Where `write` sends points. Default: the first source. */
  readonly defaultSourceId?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between the end of a probe and the next. Default 10 s. */
  readonly probeIntervalMs?: number;
  /** Deadline of a probe. Default 5 s. */
  readonly probeTimeoutMs?: number;
  /** Deadline of a query, catalog or direct write. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Finest step a chart asks for: the collection resolution. Default 10 s. */
  readonly resolutionMs?: number;
  /**
   * Queue counters change with every poll; their updates are announced at most this often
   * (state changes from probes are announced at once). Default 1 s.
   */
  readonly queueChangeCoalesceMs?: number;
  /** The unit of a field, when known. Default: the units of what Vigie writes (measurement `vigie`). */
  readonly unitOf?: (measurement: string, field: string) => string | null;
}

/** The parsed `metrics.query` request, as the engine's handler receives it. */
export type MetricsQueryRequest = RequestOf<'metrics.query'>;
/** The `metrics.query` response. */
export type MetricsQueryResponse = ResponseOf<'metrics.query'>;
/** The `metrics.catalog` response. */
export type MetricsCatalogResponse = ResponseOf<'metrics.catalog'>;
/** The `metrics.tagValues` response. */
export type MetricsTagValuesResponse = ResponseOf<'metrics.tagValues'>;
/** The `metrics.sources` response and `metrics.sourcesChanged` payload. */
export type MetricSourcesPayload = ResponseOf<'metrics.sources'>;

interface SourceRuntime {
  readonly def: MetricSourceDef;
  readonly maxRows: number;
  state: MetricSource['state'];
  lastOkAt: number | null;
  probeError: QueueError | null;
  clockSkewMs: number | null;
  skewWarned: boolean;
  /** Whether the queue's last write failed, to probe at once when writes start failing. */
  queueFailing: boolean;
  cancelProbeTimer: (() => void) | null;
  probing: boolean;
  probeAgain: boolean;
  unsubscribeQueue: () => void;
}

/** Owns the metric sources: probes them, answers the `metrics.*` channels, routes writes. */
export class MetricsService {
  private readonly runtimes = new Map<string, SourceRuntime>();
  private readonly defaultSource: SourceRuntime;
  private readonly listeners = new Set<(payload: MetricSourcesPayload) => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly resolutionMs: number | undefined;
  private readonly queueChangeCoalesceMs: number;
  private readonly unitOf: (measurement: string, field: string) => string | null;
  private cancelCoalesce: (() => void) | null = null;
  private lastSignature = '';
  private running = false;
  private stopping: Promise<void> | null = null;

  constructor(private readonly deps: MetricsServiceDeps) {
    if (deps.sources.length === 0) throw new Error('MetricsService needs at least one metric source');
    for (const def of deps.sources) {
      if (this.runtimes.has(def.id)) throw new Error(`duplicate metric source id "${def.id}"`);
      this.runtimes.set(def.id, {
        def,
        maxRows: def.maxRows ?? 500_000,
        state: 'connecting',
        lastOkAt: null,
        probeError: null,
        clockSkewMs: null,
        skewWarned: false,
        queueFailing: false,
        cancelProbeTimer: null,
        probing: false,
        probeAgain: false,
        unsubscribeQueue: () => undefined,
      });
    }
    const defaultId = deps.defaultSourceId ?? deps.sources[0]?.id ?? '';
    const defaultSource = this.runtimes.get(defaultId);
    if (!defaultSource) throw new Error(`default metric source "${defaultId}" is not among the sources`);
    this.defaultSource = defaultSource;
    this.probeIntervalMs = deps.probeIntervalMs ?? 10_000;
    this.probeTimeoutMs = deps.probeTimeoutMs ?? 5_000;
    this.requestTimeoutMs = deps.requestTimeoutMs ?? 30_000;
    this.resolutionMs = deps.resolutionMs;
    this.queueChangeCoalesceMs = deps.queueChangeCoalesceMs ?? 1_000;
    this.unitOf = deps.unitOf ?? vigieMetricUnit;
  }

  /** Starts probing every source (the first probes at once) and following their queues. Call once. */
  start(): void {
    if (this.running || this.stopping) return;
    this.running = true;
    for (const rt of this.runtimes.values()) {
      const queue = rt.def.queue;
      if (queue) rt.unsubscribeQueue = queue.onChange(() => this.queueChanged(rt));
      this.probeNow(rt);
    }
    this.publish();
  }

  /**
   * Stops probing, waits for probes in flight, then closes every source's queue (unflushed points
   * stay in its journal) and store. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.running = false;
      this.abort.abort();
      this.cancelCoalesce?.();
      this.cancelCoalesce = null;
      for (const rt of this.runtimes.values()) {
        rt.cancelProbeTimer?.();
        rt.cancelProbeTimer = null;
        rt.unsubscribeQueue();
      }
      await Promise.allSettled([...this.inFlight]);
      const closed = await Promise.allSettled(
        [...this.runtimes.values()].map(async (rt) => {
          try {
            await rt.def.queue?.close();
          } finally {
            await rt.def.store.close();
          }
        }),
      );
      closed.forEach((outcome, i) => {
        if (outcome.status === 'rejected')
          this.deps.logger.error(
            { err: outcome.reason as unknown, source: [...this.runtimes.keys()][i] },
            'metric source did not close cleanly',
          );
      });
      this.listeners.clear();
    })();
    return this.stopping;
  }

  /** Called with the full list whenever it changes (the engine forwards it as `metrics.sourcesChanged`). */
  onChange(listener: (payload: MetricSourcesPayload) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `metrics.sources`: every source with its connection state and queue. */
  sources(): MetricSourcesPayload {
    return { sources: [...this.runtimes.values()].map((rt) => this.describe(rt)) };
  }

  /** `metrics.catalog`: the measurements, and for `measurement` its fields and tag keys. */
  async catalog(
    sourceId: string,
    measurement?: string,
    signal?: AbortSignal,
  ): Promise<MetricsCatalogResponse> {
    const rt = this.runtime(sourceId);
    const store = rt.def.store;
    const [measurements, fields, tagKeys] = await Promise.all([
      this.call(rt, signal, (s) => store.measurements(s)),
      measurement === undefined
        ? Promise.resolve([])
        : this.call(rt, signal, (s) => store.fields(measurement, s)),
      measurement === undefined
        ? Promise.resolve([])
        : this.call(rt, signal, (s) => store.tagKeys(measurement, s)),
    ]);
    return {
      measurements: [...measurements],
      fields: fields.map((f) => ({ name: f.name, type: f.type })),
      tagKeys: [...tagKeys],
    };
  }

  /** `metrics.tagValues`: the values tag `key` takes in `measurement`. */
  async tagValues(
    sourceId: string,
    measurement: string,
    key: string,
    signal?: AbortSignal,
  ): Promise<MetricsTagValuesResponse> {
    const rt = this.runtime(sourceId);
    const values = await this.call(rt, signal, (s) => rt.def.store.tagValues(measurement, key, s));
    return { values: [...values] };
  }

  /**
   * `metrics.query`: asks the store for a few buckets per column of the plot (`widthPx`, CSS px;
   * no finer than the collection resolution), then reduces any series still longer than four points
   * per column (raw ones) to the plot's columns in 'column-mean' form, which draws exactly what the
   * raw series would.
   */
  async query(request: MetricsQueryRequest, signal?: AbortSignal): Promise<MetricsQueryResponse> {
    const rt = this.runtime(request.source);
    // A raw chart denser than a few points per column comes from the store as m4 buckets (a rate
    // needs every sample of the counter, so it does not).
    if (
      request.aggregation === 'raw' &&
      !request.transform?.rate &&
      rawNeedsM4(request.from, request.to, request.widthPx, this.resolutionMs)
    )
      return scaleFrames(await this.queryM4(rt, request, signal), request.transform);
    const { measurement, field, from, to, widthPx } = request;
    const stepMs = stepForColumns(from, to, widthPx, this.resolutionMs);
    const transform = request.transform;
    const query: MetricQuery = {
      measurement,
      field,
      where: request.where,
      groupBy: request.groupBy,
      // A rate reads the counter where each bucket ends (or every raw sample), never an average.
      aggregation: transform?.rate && request.aggregation !== 'raw' ? 'last' : request.aggregation,
      from,
      to,
      stepMs,
      maxRows: rt.maxRows,
    };
    const result = await this.call(rt, signal, (s) => rt.def.store.query(query, s));
    const fieldUnit = this.unitOf(measurement, field);
    const unit = transform ? transformedUnit(transform, fieldUnit) : fieldUnit;
    const series = transform
      ? result.series.map((s) => ({ ...s, values: applyTransform(s, transform, stepMs) }))
      : result.series;
    const frames = series.map((series): MetricFrame => ({
      name: frameName(measurement, field, series.tags),
      tags: { ...series.tags },
      unit,
      // Aggregated series hold at most a bucket per column, so in practice only raw ones shrink.
      ...finite(series.times.length > 4 * widthPx ? decimateForPlot(series, from, to, widthPx) : series),
    }));
    return { frames, truncated: result.truncated, queryText: result.queryText, stepMs };
  }

  /**
   * A `raw` request whose range holds more than a few points per column: first/min/max/last per
   * pixel column computed by the store (one row per column on the wire instead of every point),
   * drawn as the raw line would be (shared/domain/m4-points.ts). `stepMs` is the bucket width.
   */
  private async queryM4(
    rt: SourceRuntime,
    request: MetricsQueryRequest,
    signal: AbortSignal | undefined,
  ): Promise<MetricsQueryResponse> {
    const { measurement, field, from, to, widthPx } = request;
    const { stepMs, offsetMs } = m4Buckets(from, to, widthPx);
    const query: M4Query = {
      measurement,
      field,
      where: request.where,
      groupBy: request.groupBy,
      from,
      to,
      stepMs,
      offsetMs,
      maxRows: rt.maxRows,
    };
    const result = await this.call(rt, signal, (s) => rt.def.store.queryM4(query, s));
    const unit = this.unitOf(measurement, field);
    const frames = result.series.map((series): MetricFrame => ({
      name: frameName(measurement, field, series.tags),
      tags: { ...series.tags },
      unit,
      ...finite(m4Points(series, stepMs, to)),
    }));
    return { frames, truncated: result.truncated, queryText: result.queryText, stepMs };
  }

  /**
   * Hands collected points to the default source: through its durable queue (resolves once they
   * are on disk), or, for a source without a queue, straight to the store (not durable).
   */
  async write(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const rt = this.defaultSource;
    if (rt.def.queue) {
      await rt.def.queue.enqueue(points);
      return;
    }
    for (let i = 0; i < points.length; i += MAX_BATCH_POINTS) {
      const batch = points.slice(i, i + MAX_BATCH_POINTS);
      await this.call(rt, undefined, (s) => rt.def.store.write(batch, s));
    }
  }

  // --- probing ---------------------------------------------------------------------------------

  /** Probes now (or right after the probe in flight), then on the interval. */
  private probeNow(rt: SourceRuntime): void {
    if (!this.running) return;
    rt.cancelProbeTimer?.();
    rt.cancelProbeTimer = null;
    if (rt.probing) {
      rt.probeAgain = true;
      return;
    }
    rt.probing = true;
    const run = this.probe(rt)
      .catch((err: unknown) =>
        this.deps.logger.error({ err, source: rt.def.id }, 'metric source probe failed unexpectedly'),
      )
      .finally(() => {
        this.inFlight.delete(run);
        rt.probing = false;
        if (!this.running) return;
        if (rt.probeAgain) {
          rt.probeAgain = false;
          this.probeNow(rt);
        } else {
          rt.cancelProbeTimer = this.deps.clock.setTimeout(() => {
            rt.cancelProbeTimer = null;
            this.probeNow(rt);
          }, this.probeIntervalMs);
        }
        // Announced once the next probe is armed, so whoever reacts to the news finds it scheduled.
        this.publish();
      });
    this.inFlight.add(run);
  }

  private async probe(rt: SourceRuntime): Promise<void> {
    const { clock, logger } = this.deps;
    const sentAt = clock.now();
    try {
      const health = await withDeadline(
        { clock, timeoutMs: this.probeTimeoutMs, source: rt.def.id, signal: this.abort.signal },
        (signal) => rt.def.store.ping(signal),
      );
      if (!this.running) return;
      const receivedAt = clock.now();
      const wasConnected = rt.state === 'connected';
      rt.state = 'connected';
      rt.lastOkAt = receivedAt;
      rt.probeError = null;
      // The server stamped its Date somewhere during the round trip: compare it with the middle.
      rt.clockSkewMs =
        health.serverTime === null ? null : Math.round(health.serverTime - (sentAt + receivedAt) / 2);
      this.checkSkew(rt);
      if (!wasConnected) {
        logger.info({ source: rt.def.id, version: health.version }, 'metric source connected');
        // Queued points need not wait out the queue's backoff now that the store answers.
        rt.def.queue?.retryNow();
      }
    } catch (err: unknown) {
      if (!this.running) return;
      const { code, message } = describeError(err);
      if (!(err instanceof UpstreamError))
        logger.error({ err, source: rt.def.id }, 'metric source probe failed with an unexpected error');
      else if (rt.state !== 'unreachable')
        logger.warn({ source: rt.def.id, code, message }, 'metric source unreachable');
      rt.state = 'unreachable';
      rt.probeError = { code, message, at: clock.now() };
    }
  }

  private checkSkew(rt: SourceRuntime): void {
    const skew = rt.clockSkewMs;
    const over = skew !== null && Math.abs(skew) > CLOCK_SKEW_WARN_MS;
    // Logged when it crosses the threshold, not on every probe.
    if (over && !rt.skewWarned)
      this.deps.logger.warn(
        { source: rt.def.id, clockSkewMs: skew },
        'metric source clock differs from the engine clock by more than 30 s: data ages are unreliable',
      );
    else if (!over && rt.skewWarned)
      this.deps.logger.info({ source: rt.def.id, clockSkewMs: skew }, 'metric source clock back in step');
    rt.skewWarned = over;
  }

  private queueChanged(rt: SourceRuntime): void {
    if (!this.running) return;
    const failing = (rt.def.queue?.stats().lastError ?? null) !== null;
    // Writes starting to fail are news about the store: check it now rather than at the next probe.
    if (failing && !rt.queueFailing && rt.state === 'connected') this.probeNow(rt);
    rt.queueFailing = failing;
    this.cancelCoalesce ??= this.deps.clock.setTimeout(() => {
      this.cancelCoalesce = null;
      this.publish();
    }, this.queueChangeCoalesceMs);
  }

  /** Announces the list if anything in it changed. */
  private publish(): void {
    this.cancelCoalesce?.();
    this.cancelCoalesce = null;
    const payload = this.sources();
    const signature = JSON.stringify(payload);
    if (signature === this.lastSignature) return;
    this.lastSignature = signature;
    for (const listener of this.listeners) {
      try {
        listener(payload);
      } catch (err: unknown) {
        this.deps.logger.error({ err }, 'metric sources listener failed');
      }
    }
  }

  private describe(rt: SourceRuntime): MetricSource {
    const queue = rt.def.queue?.stats();
    return {
      id: rt.def.id,
      name: rt.def.name,
      kind: rt.def.kind,
      state: rt.state,
      lastOkAt: rt.lastOkAt,
      // Unreachable: why the probe failed. Otherwise a failing write is still worth showing (the
      // store answers pings but refuses the points, e.g. a permission or a full disk).
      lastError: rt.state === 'unreachable' ? rt.probeError : (queue?.lastError ?? null),
      clockSkewMs: rt.clockSkewMs,
      queuedPoints: queue?.queuedPoints ?? 0,
      dropped: queue?.dropped ?? null,
    };
  }

  // --- requests --------------------------------------------------------------------------------

  private runtime(sourceId: string): SourceRuntime {
    const rt = this.runtimes.get(sourceId);
    if (!rt)
      throw new VigieError(
        'NOT_FOUND',
        `no metric source "${sourceId.slice(0, 80)}"; sources: ${[...this.runtimes.keys()].join(', ')}`,
      );
    return rt;
  }

  private call<T>(
    rt: SourceRuntime,
    signal: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withDeadline(
      {
        clock: this.deps.clock,
        timeoutMs: this.requestTimeoutMs,
        source: rt.def.id,
        ...(signal ? { signal } : {}),
      },
      work,
    );
  }
}

/** `measurement.field`, then the series' tags sorted by key: `vigie.latency{source=a-api,zone=zone-a}`. */
export function frameName(
  measurement: string,
  field: string,
  tags: Readonly<Record<string, string>>,
): string {
  const entries = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const base = `${measurement}.${field}`;
  return entries.length === 0 ? base : `${base}{${entries.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}

/** Scale and offset (no rate) on frames already sized, with the transform's unit. */
function scaleFrames(
  response: MetricsQueryResponse,
  transform: SeriesTransform | undefined,
): MetricsQueryResponse {
  if (!transform) return response;
  return {
    ...response,
    frames: response.frames.map((frame) => ({
      ...frame,
      unit: transformedUnit(transform, frame.unit),
      values: applyTransform(frame, { ...transform, rate: false }, response.stepMs),
    })),
  };
}

/** Copies a series for the wire; a non-finite value (which JSON cannot carry) becomes a gap. */
function finite(series: { readonly times: readonly number[]; readonly values: readonly (number | null)[] }): {
  times: number[];
  values: (number | null)[];
} {
  return {
    times: [...series.times],
    values: series.values.map((v) => (v === null || Number.isFinite(v) ? v : null)),
  };
}

function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof UpstreamError) return { code: err.code, message: err.message.slice(0, 500) };
  return { code: 'INTERNAL', message: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
}
