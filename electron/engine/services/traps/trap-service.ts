/**
 * SNMP traps as events: listens with a TrapReceiver, attributes each notification to an
 * inventory device (through the caller's lookup), maps it to a TrapEvent (map-trap.ts), stores
 * it (in batches, bounded retention) and pushes it to subscribers: the console and the alarm
 * engine, which deduplicates on `event.key` and ends conditions with `event.clears`.
 *
 * Events reach subscribers after the store write was attempted, so a console that re-reads
 * on an event finds it. A write that fails is logged and counted, and the event is still pushed:
 * a trap is never silenced because the disk is full.
 *
 * Notifications are rate limited (trap-rate-limit.ts) before they are mapped: per source (the
 * inventory device, else the address the notification names as its origin) and for the whole
 * receiver. What is over the limit is counted, not stored. A source that goes over its limit
 * gets one synthetic `trapStorm` event when the storm starts (a warning, so an alarm shows it),
 * and one clearing summary (how many were dropped, for how long) once it has stayed under the
 * limit for `stormQuietMs`; the receiver's own limit has one storm of its own, attached to the
 * listening address.
 */
import { randomUUID } from 'node:crypto';
import type { TrapEvent } from '../../../../shared/domain/trap-event';
import { trapEventKey, trapKeyOwner } from '../../../../shared/domain/trap-event';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { TrapEventQuery, TrapEventStore } from '../../ports/trap-event-store';
import type {
  ReceivedTrap,
  TrapDrop,
  TrapListener,
  TrapListenOptions,
  TrapReceiver,
  TrapReceiverStats,
} from '../../ports/trap-receiver';
import { mapTrap } from './map-trap';
import {
  DEFAULT_TRAP_RATE_LIMITS,
  TrapRateLimiter,
  type TrapLimit,
  type TrapRateLimits,
} from './trap-rate-limit';

/** What identifies the sender of a notification, for the device lookup. */
export interface TrapOrigin {
  /** UDP source address. */
  readonly address: string;
  /** UDP source port (agents send from an ephemeral port or 161; it tells apart senders that share an address). */
  readonly port: number;
  /** The origin the notification names (v1 agent-addr, snmpTrapAddress.0 of a proxy), if any. */
  readonly agentAddress: string | null;
  readonly version: '1' | '2c' | '3';
  /** v1/v2c community it was accepted with (a secret: do not log it). */
  readonly community: string | null;
  /** SNMPv3 user and sender engine ID (lower-case hex). */
  readonly user: string | null;
  readonly engineId: string | null;
}

/**
 * The inventory device a notification comes from, or null when none matches (the event is kept
 * as coming from an unknown source). Called once per notification: keep it a map lookup. A
 * lookup that throws counts as no match.
 */
export type DeviceLookup = (origin: TrapOrigin) => string | null;

export type TrapEventListener = (event: TrapEvent) => void;

export interface TrapServiceOptions {
  readonly receiver: TrapReceiver;
  readonly store: TrapEventStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly lookupDevice: DeviceLookup;
  readonly retention?: {
    /** Events kept at most; default 100,000. */
    readonly maxEvents?: number;
    /** Age beyond which events are deleted; default 30 days. */
    readonly maxAgeMs?: number;
  };
  /** Event ids; default random UUIDs. */
  readonly newId?: () => string;
  /** Events wait at most this long to be written together; default 100 ms. */
  readonly flushDelayMs?: number;
  /** Events per store write at most; default 500. */
  readonly maxBatch?: number;
  /** Events waiting for the store at most; beyond, new events are dropped and counted. Default 10,000. */
  readonly maxPending?: number;
  /** Retention runs this often; default 10 minutes (and after every `maxBatch × 20` events). */
  readonly pruneIntervalMs?: number;
  /** Rate limits; default DEFAULT_TRAP_RATE_LIMITS (20/s, burst 100 per source; 500/s, burst 2,000 in all). */
  readonly rateLimit?: Partial<TrapRateLimits> & {
    /** A storm ends once its source has gone this long without a refused notification; default 60 s. */
    readonly stormQuietMs?: number;
  };
}

export interface TrapServiceStats {
  /** The bound address, while listening. */
  readonly listening: { readonly address: string; readonly port: number } | null;
  /** The receiver's counters since the last start (datagrams, accepted, dropped by reason). */
  readonly receiver: TrapReceiverStats | null;
  /** Events made since the service was created. */
  readonly events: number;
  /** Of which from an unknown source. */
  readonly unknownSources: number;
  readonly stored: number;
  /** Events the store refused (they were still pushed). */
  readonly storeFailures: number;
  /** Events dropped because too many were waiting for the store. */
  readonly overflowed: number;
  readonly lastEventAt: number | null;
  /** Notifications refused by a rate limit (not stored), in all. */
  readonly rateLimited: number;
  /** Of which per source (device:<id> or source:<address>; the 100 sources with the most). */
  readonly rateLimitedBySource: Readonly<Record<string, number>>;
  /** Storms going on (sources over their limit, and the receiver's own). */
  readonly activeStorms: number;
}

/** A source over its rate limit, from its first refused notification until it calms down. */
interface Storm {
  /** `trapStorm` events' key: the start raises it, the summary clears it. */
  readonly key: string;
  readonly limit: TrapLimit;
  readonly deviceId: string | null;
  readonly source: { readonly address: string; readonly port: number };
  readonly agentAddress: string | null;
  readonly version: ReceivedTrap['version'];
  readonly startedAt: number;
  lastDropAt: number;
  dropped: number;
  /** For the receiver's storm: refused notifications per source (bounded). */
  readonly bySource: Map<string, number>;
  cancelCheck: (() => void) | null;
}

const DAY_MS = 86_400_000;
/** A drop or an unknown source is logged at most once per minute per (reason, address). */
const LOG_EVERY_MS = 60_000;
const LOG_KEYS_MAX = 1_000;
const QUERY_LIMIT_MAX = 1_000;
/** zeroDotZero (SNMPv2-SMI): the trap OID of events Vigie makes itself. */
const NO_TRAP_OID = '0.0';
const GLOBAL_STORM = '*';
/** Sources counted one by one in `rateLimitedBySource` (and per receiver storm); beyond, in `other`. */
const RATE_LIMITED_SOURCES_MAX = 10_000;

export class TrapService {
  private readonly logger: Logger;
  private readonly maxEvents: number;
  private readonly maxAgeMs: number;
  private readonly newId: () => string;
  private readonly flushDelayMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly pruneIntervalMs: number;
  private readonly limits: TrapRateLimits;
  private readonly stormQuietMs: number;
  private readonly limiter: TrapRateLimiter;
  private readonly storms = new Map<string, Storm>();
  private readonly rateLimitedBySource = new Map<string, number>();
  private readonly listeners = new Set<TrapEventListener>();
  /** The store is written even while stopping (pending events are flushed): never aborted. */
  private readonly storeSignal = new AbortController().signal;

  private state: 'idle' | 'starting' | 'running' | 'stopping' = 'idle';
  private listener: TrapListener | null = null;
  private lifetime: AbortController | null = null;
  private pending: TrapEvent[] = [];
  private cancelFlush: (() => void) | null = null;
  private cancelPrune: (() => void) | null = null;
  /** Store work (writes, retention) runs one step at a time, in order. */
  private storeChain: Promise<void> = Promise.resolve();
  private sincePrune = 0;
  private readonly logged = new Map<string, { at: number; suppressed: number }>();
  private counts = {
    events: 0,
    unknownSources: 0,
    stored: 0,
    storeFailures: 0,
    overflowed: 0,
    lastEventAt: null as number | null,
    rateLimited: 0,
  };

  constructor(private readonly options: TrapServiceOptions) {
    this.logger = options.logger.child({ module: 'traps' });
    this.maxEvents = positive(options.retention?.maxEvents, 100_000, 'retention.maxEvents');
    this.maxAgeMs = positive(options.retention?.maxAgeMs, 30 * DAY_MS, 'retention.maxAgeMs');
    this.newId = options.newId ?? (() => randomUUID());
    this.flushDelayMs = positive(options.flushDelayMs, 100, 'flushDelayMs');
    this.maxBatch = positive(options.maxBatch, 500, 'maxBatch');
    this.maxPending = positive(options.maxPending, 10_000, 'maxPending');
    this.pruneIntervalMs = positive(options.pruneIntervalMs, 10 * 60_000, 'pruneIntervalMs');
    const limit = options.rateLimit ?? {};
    this.limits = {
      perSecond: positive(limit.perSecond, DEFAULT_TRAP_RATE_LIMITS.perSecond, 'rateLimit.perSecond'),
      burst: positive(limit.burst, DEFAULT_TRAP_RATE_LIMITS.burst, 'rateLimit.burst'),
      globalPerSecond: positive(
        limit.globalPerSecond,
        DEFAULT_TRAP_RATE_LIMITS.globalPerSecond,
        'rateLimit.globalPerSecond',
      ),
      globalBurst: positive(limit.globalBurst, DEFAULT_TRAP_RATE_LIMITS.globalBurst, 'rateLimit.globalBurst'),
    };
    this.stormQuietMs = positive(limit.stormQuietMs, 60_000, 'rateLimit.stormQuietMs');
    this.limiter = new TrapRateLimiter(this.limits, options.clock.now());
  }

  /**
   * Binds the listener and starts handing out events. Rejects (and stays stopped) when the
   * listener cannot bind: UpstreamError ADDRESS_IN_USE, PERMISSION_DENIED, ... `signal` bounds
   * the start only; `stop()` ends the service.
   */
  async start(listen: TrapListenOptions, signal: AbortSignal): Promise<void> {
    if (this.state !== 'idle') throw new Error(`the trap service is ${this.state}`);
    this.state = 'starting';
    const lifetime = new AbortController();
    const onAbort = (): void => lifetime.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.listener = await this.options.receiver.listen(
        listen,
        {
          onTrap: (trap) => this.onTrap(trap),
          onDrop: (drop) => this.onDrop(drop),
          onError: (err) => this.logger.error({ err }, 'trap listener socket error'),
        },
        lifetime.signal,
      );
    } catch (err: unknown) {
      this.state = 'idle';
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    this.lifetime = lifetime;
    this.state = 'running';
    const { address, port } = this.listener.address;
    this.logger.info(
      { address, port, communities: listen.communities.length, users: listen.users.map((u) => u.name) },
      'listening for SNMP traps',
    );
    this.queuePrune();
  }

  /** Closes the listener (the port is free once this resolves) and writes pending events. Idempotent. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    this.cancelPrune?.();
    this.cancelPrune = null;
    this.lifetime?.abort();
    this.lifetime = null;
    try {
      await this.listener?.close();
    } finally {
      // Storms end with the listener: their summaries clear what their start raised.
      for (const storm of [...this.storms.values()]) this.endStorm(storm);
      this.listener = null;
      await this.flush();
      this.state = 'idle';
    }
  }

  /** Calls `listener` with every event, in reception order; returns the unsubscribe function. */
  subscribe(listener: TrapEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Stored events, newest first; `limit` is capped at 1,000. */
  query(query: TrapEventQuery, signal: AbortSignal): Promise<TrapEvent[]> {
    if (!(query.from <= query.to))
      return Promise.reject(new RangeError('query.from must not be after query.to'));
    const limit = Math.min(Math.max(Math.trunc(query.limit), 1), QUERY_LIMIT_MAX);
    return this.options.store.query({ ...query, limit }, signal);
  }

  stats(): TrapServiceStats {
    const address = this.listener?.address;
    return {
      listening: address === undefined ? null : { address: address.address, port: address.port },
      receiver: this.listener?.stats() ?? null,
      ...this.counts,
      rateLimitedBySource: Object.fromEntries(
        [...this.rateLimitedBySource].sort((a, b) => b[1] - a[1]).slice(0, 100),
      ),
      activeStorms: this.storms.size,
    };
  }

  /** Writes every pending event now; resolves once written (or refused). */
  flush(): Promise<void> {
    this.cancelFlush?.();
    this.cancelFlush = null;
    return this.enqueueStoreWork(() => this.writePending());
  }

  // -------------------------------------------------------------------------------------------

  private onTrap(trap: ReceivedTrap): void {
    const deviceId = this.lookup(trap);
    const now = this.options.clock.now();
    // A device is limited as one source whatever address it sends from; an unknown sender by
    // the origin it names (a proxy forwards many), else its address.
    const sourceKey = trapKeyOwner(deviceId, trap.agentAddress ?? trap.source.address);
    const refused = this.limiter.admit(sourceKey, now);
    if (refused !== null) {
      this.onRateLimited(trap, deviceId, sourceKey, refused, now);
      return;
    }
    const event = mapTrap(trap, { id: this.newId(), at: now, deviceId });
    this.enqueue(event);
    if (deviceId === null) {
      this.counts.unknownSources++;
      this.logLimited(`unknown|${trap.source.address}`, 'warn', 'trap from an unknown source', {
        address: trap.source.address,
        port: trap.source.port,
        agentAddress: trap.agentAddress,
        version: trap.version,
        user: trap.user,
        engineId: trap.engineId,
        trapOid: trap.trapOid,
      });
    }
    this.logger.debug({ key: event.key, severity: event.severity, pdu: event.pdu }, 'trap received');
  }

  /** Queues an event for the store (then the subscribers); counts it, or counts it as overflowed. */
  private enqueue(event: TrapEvent): void {
    this.counts.events++;
    this.counts.lastEventAt = event.at;
    if (this.pending.length >= this.maxPending) {
      this.counts.overflowed++;
      this.logLimited('overflow', 'error', 'trap events dropped: the store is not keeping up', {
        pending: this.pending.length,
      });
      return;
    }
    this.pending.push(event);
    if (this.pending.length >= this.maxBatch) void this.flush();
    else this.cancelFlush ??= this.options.clock.setTimeout(() => void this.flush(), this.flushDelayMs);
  }

  private onRateLimited(
    trap: ReceivedTrap,
    deviceId: string | null,
    sourceKey: string,
    limit: TrapLimit,
    now: number,
  ): void {
    this.counts.rateLimited++;
    countSource(this.rateLimitedBySource, sourceKey);
    const stormId = limit === 'global' ? GLOBAL_STORM : sourceKey;
    const storm = this.storms.get(stormId);
    if (storm !== undefined) {
      storm.dropped++;
      storm.lastDropAt = now;
      if (limit === 'global') countSource(storm.bySource, sourceKey);
      return;
    }
    this.startStorm(stormId, trap, deviceId, sourceKey, limit, now);
  }

  private startStorm(
    stormId: string,
    trap: ReceivedTrap,
    deviceId: string | null,
    sourceKey: string,
    limit: TrapLimit,
    now: number,
  ): void {
    const listening = this.listener?.address;
    const storm: Storm =
      limit === 'global'
        ? {
            // The receiver itself is overwhelmed: attached to where it listens, not to a sender.
            key: trapEventKey(trapKeyOwner(null, listening?.address ?? '0.0.0.0'), 'trapStorm', 'receiver'),
            limit,
            deviceId: null,
            source: { address: listening?.address ?? '0.0.0.0', port: listening?.port ?? 0 },
            agentAddress: null,
            version: trap.version,
            startedAt: now,
            lastDropAt: now,
            dropped: 1,
            bySource: new Map([[sourceKey, 1]]),
            cancelCheck: null,
          }
        : {
            key: trapEventKey(sourceKey, 'trapStorm', ''),
            limit,
            deviceId,
            source: { address: trap.source.address, port: trap.source.port },
            agentAddress: trap.agentAddress,
            version: trap.version,
            startedAt: now,
            lastDropAt: now,
            dropped: 1,
            bySource: new Map(),
            cancelCheck: null,
          };
    this.storms.set(stormId, storm);
    const rate =
      limit === 'global'
        ? { perSecond: this.limits.globalPerSecond, burst: this.limits.globalBurst }
        : { perSecond: this.limits.perSecond, burst: this.limits.burst };
    this.logger.warn(
      { source: limit === 'global' ? 'receiver' : sourceKey, deviceId: storm.deviceId, limit, ...rate },
      'trap storm: notifications over the rate limit are counted and dropped',
    );
    this.enqueue(
      this.stormEvent(storm, now, {
        severity: 'warning',
        name: 'VIGIE::trapStorm',
        clears: [],
        attributes: { limit, perSecond: rate.perSecond, burst: rate.burst },
      }),
    );
    this.scheduleStormCheck(stormId, storm);
  }

  /** Ends the storm once `stormQuietMs` passed since its last refused notification. */
  private scheduleStormCheck(stormId: string, storm: Storm): void {
    const due = storm.lastDropAt + this.stormQuietMs - this.options.clock.now();
    storm.cancelCheck = this.options.clock.setTimeout(
      () => {
        storm.cancelCheck = null;
        if (this.storms.get(stormId) !== storm) return;
        if (this.options.clock.now() - storm.lastDropAt >= this.stormQuietMs) this.endStorm(storm);
        else this.scheduleStormCheck(stormId, storm);
      },
      Math.max(due, 0),
    );
  }

  private endStorm(storm: Storm): void {
    storm.cancelCheck?.();
    storm.cancelCheck = null;
    for (const [id, s] of this.storms) if (s === storm) this.storms.delete(id);
    const now = this.options.clock.now();
    const attributes: Record<string, string | number> = {
      limit: storm.limit,
      dropped: storm.dropped,
      durationSeconds: Math.round((storm.lastDropAt - storm.startedAt) / 1000),
    };
    if (storm.limit === 'global') {
      const top = [...storm.bySource].sort((a, b) => b[1] - a[1])[0];
      attributes.sources = storm.bySource.size;
      if (top !== undefined) {
        attributes.topSource = top[0];
        attributes.topSourceDropped = top[1];
      }
    }
    this.logger.info(
      { source: storm.key, deviceId: storm.deviceId, ...attributes },
      'trap storm ended: summary of the notifications dropped',
    );
    this.enqueue(
      this.stormEvent(storm, now, {
        severity: 'cleared',
        name: 'VIGIE::trapStormEnded',
        clears: [storm.key],
        attributes,
      }),
    );
  }

  private stormEvent(
    storm: Storm,
    at: number,
    what: Pick<TrapEvent, 'severity' | 'name' | 'clears' | 'attributes'>,
  ): TrapEvent {
    return {
      id: this.newId(),
      at,
      deviceId: storm.deviceId,
      source: storm.source,
      agentAddress: storm.agentAddress,
      version: storm.version,
      pdu: 'trap',
      user: null,
      engineId: null,
      trapOid: NO_TRAP_OID,
      kind: 'trapStorm',
      instance: storm.limit === 'global' ? 'receiver' : '',
      key: storm.key,
      upTime: null,
      varbinds: [],
      ...what,
    };
  }

  private lookup(trap: ReceivedTrap): string | null {
    try {
      return this.options.lookupDevice({
        address: trap.source.address,
        port: trap.source.port,
        agentAddress: trap.agentAddress,
        version: trap.version,
        community: trap.community,
        user: trap.user,
        engineId: trap.engineId,
      });
    } catch (err: unknown) {
      this.logLimited('lookup', 'error', 'device lookup failed: trap kept as from an unknown source', {
        err,
      });
      return null;
    }
  }

  private onDrop(drop: TrapDrop): void {
    this.logLimited(`${drop.reason}|${drop.source?.address ?? ''}`, 'warn', 'trap datagram dropped', {
      reason: drop.reason,
      address: drop.source?.address ?? null,
      port: drop.source?.port ?? null,
      detail: drop.detail,
    });
  }

  private enqueueStoreWork(work: () => Promise<void>): Promise<void> {
    const next = this.storeChain.then(work);
    // Every step handles its own failures; the chain never rejects.
    this.storeChain = next.catch(() => undefined);
    return next;
  }

  private async writePending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        await this.options.store.append(batch, this.storeSignal);
        this.counts.stored += batch.length;
      } catch (err: unknown) {
        this.counts.storeFailures += batch.length;
        this.logger.error({ err, events: batch.length }, 'trap events could not be stored');
      }
      for (const event of batch) this.notify(event);
      this.sincePrune += batch.length;
    }
    if (this.sincePrune >= this.maxBatch * 20) await this.prune();
  }

  private notify(event: TrapEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err: unknown) {
        this.logger.error({ err, key: event.key }, 'trap event subscriber failed');
      }
    }
  }

  private queuePrune(): void {
    void this.enqueueStoreWork(() => this.prune());
    this.cancelPrune = this.options.clock.setTimeout(() => {
      if (this.state === 'running') this.queuePrune();
    }, this.pruneIntervalMs);
  }

  private async prune(): Promise<void> {
    this.sincePrune = 0;
    try {
      const deleted = await this.options.store.prune(
        { before: this.options.clock.now() - this.maxAgeMs, keep: this.maxEvents },
        this.storeSignal,
      );
      if (deleted > 0) this.logger.info({ deleted }, 'old trap events deleted');
    } catch (err: unknown) {
      this.logger.error({ err }, 'trap event retention failed');
    }
  }

  private logLimited(
    key: string,
    level: 'warn' | 'error',
    msg: string,
    fields: Record<string, unknown>,
  ): void {
    const now = this.options.clock.now();
    const entry = this.logged.get(key);
    if (entry !== undefined && now - entry.at < LOG_EVERY_MS) {
      entry.suppressed++;
      return;
    }
    if (this.logged.size >= LOG_KEYS_MAX) this.logged.clear();
    this.logged.set(key, { at: now, suppressed: 0 });
    this.logger[level]({ ...fields, suppressedSinceLast: entry?.suppressed ?? 0 }, msg);
  }
}

function countSource(counts: Map<string, number>, source: string): void {
  const known = counts.get(source);
  if (known !== undefined) counts.set(source, known + 1);
  else if (counts.size < RATE_LIMITED_SOURCES_MAX) counts.set(source, 1);
  else counts.set('other', (counts.get('other') ?? 0) + 1);
}

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be a positive number`);
  return value;
}
