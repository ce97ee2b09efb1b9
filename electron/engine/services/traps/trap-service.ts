/**
 * SNMP traps as events: listens with a TrapReceiver, attributes each notification to an
 * inventory device (through the caller's lookup), maps it to a TrapEvent (map-trap.ts), stores
 * it (in batches, bounded retention) and pushes it to subscribers: the console and the alarm
 * engine, which deduplicates on `event.key` and ends conditions with `event.clears`.
 *
 * Events reach subscribers after the store write was attempted, so a console that re-reads
 * on an event finds it. A write that fails is logged and counted, and the event is still pushed:
 * a trap is never silenced because the disk is full.
 */
import { randomUUID } from 'node:crypto';
import type { TrapEvent } from '../../../../shared/domain/trap-event';
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
}

const DAY_MS = 86_400_000;
/** A drop or an unknown source is logged at most once per minute per (reason, address). */
const LOG_EVERY_MS = 60_000;
const LOG_KEYS_MAX = 1_000;
const QUERY_LIMIT_MAX = 1_000;

export class TrapService {
  private readonly logger: Logger;
  private readonly maxEvents: number;
  private readonly maxAgeMs: number;
  private readonly newId: () => string;
  private readonly flushDelayMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly pruneIntervalMs: number;
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
    const event = mapTrap(trap, { id: this.newId(), at: this.options.clock.now(), deviceId });
    this.counts.events++;
    this.counts.lastEventAt = event.at;
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

function positive(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be a positive number`);
  return value;
}
