/**
 * Polls every device (SNMP) and service (HTTP) of the inventory on its interval, with bounded
 * concurrency, one retry, and a commit to the store before anyone is told. A source that stops
 * answering keeps its last values but is marked unreachable; staleness is judged by the
 * overview from the last good sample's age.
 */
import type { Reading } from '../../../../shared/api';
import type { CounterSample } from '../../../../shared/domain/counter-rate';
import type { DeviceDef, Inventory, ServiceDef, VigieConfig } from '../../config/schema';
import type { Clock } from '../../ports/clock';
import type { HttpProbe } from '../../ports/http-probe';
import type { Logger } from '../../ports/logger';
import { VIGIE_MEASUREMENT, type MetricSink } from '../../ports/metric-store';
import type { SecretResolver } from '../../ports/secret-resolver';
import type { SnmpClient, SnmpVarbind } from '../../ports/snmp-client';
import type { Sample, SourceState, StateStore } from '../../ports/state-store';
import { UpstreamError } from '../../ports/upstream-error';
import type { EquipmentService } from '../equipment/equipment-service';
import { snmpTargetFor } from '../equipment/snmp-target';
import { deviceOids, interpretDevice } from './device-profiles';
import { HEALTH_WINDOW, judgeService, type ProbeOutcome } from './service-health';

export interface CollectorDeps {
  readonly inventory: Inventory;
  readonly polling: VigieConfig['polling'];
  readonly snmp: SnmpClient;
  /** Resolves the SNMP secrets of the inventory (communities, v3 passphrases) at poll time. */
  readonly secrets: SecretResolver;
  readonly http: HttpProbe;
  readonly store: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Polls devices with their MIB profiles (one poll feeds the device page and the tile). Without
   * it, devices are read with the tile's OIDs only.
   */
  readonly equipment?: EquipmentService;
  /** Receives every poll's readings as a metric point (measurement `vigie`). */
  readonly metrics?: MetricSink;
}

const MAX_BACKOFF_MS = 300_000;

type Source =
  | { kind: 'device'; def: DeviceDef; intervalMs: number }
  | { kind: 'service'; def: ServiceDef; intervalMs: number };

/** Limits how many polls run at once, so thousands of sources never open thousands of sockets. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

export class Collector {
  private readonly states = new Map<string, SourceState>();
  private readonly counters = new Map<string, Readonly<Record<string, CounterSample>>>();
  private readonly windows = new Map<string, ProbeOutcome[]>();
  private readonly timers = new Map<string, () => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private readonly sources: Source[];
  private readonly semaphore: Semaphore;
  private readonly abort = new AbortController();
  private running = false;

  constructor(private readonly deps: CollectorDeps) {
    const p = deps.polling;
    this.sources = [
      ...deps.inventory.devices.map((def): Source => ({
        kind: 'device',
        def,
        intervalMs: (def.intervalSeconds ?? p.deviceIntervalSeconds) * 1000,
      })),
      ...deps.inventory.services.map((def): Source => ({
        kind: 'service',
        def,
        intervalMs: (def.intervalSeconds ?? p.serviceIntervalSeconds) * 1000,
      })),
    ];
    this.semaphore = new Semaphore(p.maxConcurrent);
  }

  /** Loads what was stored before, then starts polling (first polls spread over one second). */
  async start(): Promise<void> {
    const known = new Set(this.sources.map((s) => s.def.id));
    for (const state of await this.deps.store.loadStates())
      if (known.has(state.sourceId)) this.states.set(state.sourceId, state);
    this.running = true;
    this.sources.forEach((source, i) =>
      this.schedule(source, Math.round((i * 1000) / Math.max(1, this.sources.length))),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Called after each committed poll. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): ReadonlyMap<string, SourceState> {
    return this.states;
  }

  intervalOf(sourceId: string): number | undefined {
    return this.sources.find((s) => s.def.id === sourceId)?.intervalMs;
  }

  private schedule(source: Source, delayMs: number): void {
    if (!this.running) return;
    this.timers.set(
      source.def.id,
      this.deps.clock.setTimeout(() => {
        const started = this.deps.clock.now();
        const run = this.semaphore
          .run(() => this.pollOnce(source))
          .catch((err: unknown) =>
            this.deps.logger.error({ err, source: source.def.id }, 'poll failed unexpectedly'),
          )
          .finally(() => {
            this.inFlight.delete(run);
            const elapsed = this.deps.clock.now() - started;
            this.schedule(source, Math.max(0, this.nextIntervalMs(source) - elapsed));
          });
        this.inFlight.add(run);
      }, delayMs),
    );
  }

  /**
   * The interval before the next poll: the source's own, doubled for each failed poll of a device
   * in a row beyond the first (up to 5 minutes, or the interval if longer), so that a dead device
   * is not hammered and hundreds of them do not crowd out the living.
   */
  private nextIntervalMs(source: Source): number {
    if (source.kind !== 'device' || !this.deps.equipment) return source.intervalMs;
    const failures = this.deps.equipment.health(source.def.id).consecutiveFailures;
    if (failures < 2) return source.intervalMs;
    const cap = Math.max(source.intervalMs, MAX_BACKOFF_MS);
    return Math.min(cap, source.intervalMs * 2 ** Math.min(failures - 1, 16));
  }

  /** One poll of one source, with one retry; commits, then notifies. Exposed for tests and `vigie status`. */
  async pollOnce(source: Source): Promise<void> {
    const { samples, state } =
      source.kind === 'device' ? await this.pollDevice(source.def) : await this.pollService(source.def);
    if (this.abort.signal.aborted && !this.running) return;
    await this.deps.store.commitPoll(samples, [state]);
    this.states.set(state.sourceId, state);
    if (this.deps.metrics && samples.length > 0) {
      const first = samples[0];
      const point = {
        measurement: VIGIE_MEASUREMENT,
        tags: {
          source: source.def.id,
          zone: source.def.zone,
          kind: source.kind === 'device' ? source.def.kind : 'service',
        },
        fields: Object.fromEntries(samples.map((s) => [s.reading, s.value])),
        time: first?.ts ?? this.deps.clock.now(),
      };
      // The state store already holds the samples; a metrics queue failure must not stop polling.
      await this.deps.metrics
        .enqueue([point])
        .catch((err: unknown) =>
          this.deps.logger.error({ err, source: source.def.id }, 'metric point not queued'),
        );
    }
    for (const listener of this.listeners) listener();
  }

  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err: unknown) {
      if (err instanceof UpstreamError && err.code === 'ABORTED') throw err;
      return work();
    }
  }

  private async pollDevice(def: DeviceDef): Promise<{ samples: Sample[]; state: SourceState }> {
    const { clock, polling, snmp, equipment } = this.deps;
    const at = clock.now();
    const previous = this.states.get(def.id);
    try {
      let varbinds: readonly SnmpVarbind[];
      if (equipment) {
        const poll = await equipment.poll(def, deviceOids(def), this.abort.signal);
        if (!poll.ok) {
          const e = poll.health.lastError;
          throw new UpstreamError(`snmp:${def.address}`, e?.code ?? 'INTERNAL', e?.message ?? 'poll failed');
        }
        varbinds = poll.varbinds;
      } else {
        const target = await snmpTargetFor(def, this.deps.secrets, polling.timeoutMs);
        varbinds = await this.withRetry(() => snmp.get(target, deviceOids(def), this.abort.signal));
      }
      const result = interpretDevice(def, varbinds, at, this.counters.get(def.id));
      if (result.counters) this.counters.set(def.id, result.counters);
      const readings = orderPrimaryFirst(result.readings, result.primary);
      return {
        samples: readings.map((r) => ({ sourceId: def.id, reading: r.key, ts: at, value: r.value })),
        state: {
          sourceId: def.id,
          status: result.status,
          condition: result.condition,
          readings,
          lastSampleAt: at,
          lastAttemptAt: at,
          lastError: null,
        },
      };
    } catch (err: unknown) {
      const { code, message } = describeError(err);
      if (code !== 'ABORTED') this.deps.logger.warn({ source: def.id, code, message }, 'device poll failed');
      return {
        samples: [],
        state: {
          sourceId: def.id,
          status: 'unknown',
          condition: 'unreachable',
          readings: previous?.readings ?? [],
          lastSampleAt: previous?.lastSampleAt ?? null,
          lastAttemptAt: at,
          lastError: { code, message, at },
        },
      };
    }
  }

  private async pollService(def: ServiceDef): Promise<{ samples: Sample[]; state: SourceState }> {
    const { clock, polling, http } = this.deps;
    const at = clock.now();
    let outcome: ProbeOutcome;
    let lastError: SourceState['lastError'] = null;
    try {
      const res = await http.check(def.url, polling.timeoutMs, this.abort.signal);
      outcome = {
        ok: res.statusCode >= 200 && res.statusCode < 300,
        unreachable: false,
        latencyMs: Math.round(res.latencyMs),
      };
      if (!outcome.ok)
        lastError = {
          code: `HTTP_${res.statusCode}`,
          message: `health endpoint answered ${res.statusCode}`,
          at,
        };
    } catch (err: unknown) {
      const { code, message } = describeError(err);
      outcome = { ok: false, unreachable: true, latencyMs: null };
      lastError = { code, message, at };
    }
    const window = [...(this.windows.get(def.id) ?? []), outcome].slice(-HEALTH_WINDOW);
    this.windows.set(def.id, window);
    const { status, condition } = judgeService(window, def.degradedLatencyMs);
    const readings: Reading[] = [{ key: 'latency', value: outcome.latencyMs, unit: 'milliseconds' }];
    return {
      samples: [{ sourceId: def.id, reading: 'latency', ts: at, value: outcome.latencyMs }],
      state: {
        sourceId: def.id,
        status,
        condition,
        readings,
        // An error answer is still an answer: the service's state is known. No answer is not.
        lastSampleAt: outcome.unreachable ? (this.states.get(def.id)?.lastSampleAt ?? null) : at,
        lastAttemptAt: at,
        lastError,
      },
    };
  }
}

function orderPrimaryFirst(readings: Reading[], primary: Reading['key']): Reading[] {
  return [...readings.filter((r) => r.key === primary), ...readings.filter((r) => r.key !== primary)];
}

function describeError(err: unknown): { code: string; message: string } {
  if (err instanceof UpstreamError) return { code: err.code, message: err.message.slice(0, 500) };
  return {
    code: 'INTERNAL',
    message: err instanceof Error ? err.message.slice(0, 500) : String(err).slice(0, 500),
  };
}
