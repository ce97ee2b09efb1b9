import { describe, expect, it } from 'vitest';
import { trapEventSchema, type TrapEvent } from '../../../../shared/domain/trap-event';
import { GENERIC_TRAP, IF_TRAP_OBJECT } from '../../mibs/notifications';
import type { TrapEventQuery, TrapEventStore, TrapRetention } from '../../ports/trap-event-store';
import type {
  ReceivedTrap,
  TrapHandlers,
  TrapListener,
  TrapListenOptions,
  TrapReceiver,
  TrapReceiverStats,
} from '../../ports/trap-receiver';
import { UpstreamError } from '../../ports/upstream-error';
import { FakeClock } from '../metrics/test-support/fake-clock';
import { RecordingLogger } from '../metrics/test-support/recording-logger';
import { TrapService, type TrapOrigin, type TrapServiceOptions } from './trap-service';

const LISTEN: TrapListenOptions = {
  address: '127.0.0.1',
  port: 16_200,
  communities: ['public'],
  users: [],
  engineId: '8000b98380aabbccddeeff',
};
const never = (): AbortSignal => new AbortController().signal;

const EMPTY_STATS: TrapReceiverStats = {
  datagrams: 0,
  accepted: 0,
  informs: 0,
  dropped: {
    badCommunity: 0,
    unknownUser: 0,
    securityLevel: 0,
    authFailure: 0,
    decryptFailure: 0,
    notInTimeWindow: 0,
    malformed: 0,
    unexpectedPdu: 0,
  },
};

class FakeReceiver implements TrapReceiver {
  handlers: TrapHandlers | undefined;
  signal: AbortSignal | undefined;
  closes = 0;
  failNext: Error | undefined;

  listen(options: TrapListenOptions, handlers: TrapHandlers, signal: AbortSignal): Promise<TrapListener> {
    if (this.failNext !== undefined) {
      const err = this.failNext;
      this.failNext = undefined;
      return Promise.reject(err);
    }
    this.handlers = handlers;
    this.signal = signal;
    return Promise.resolve({
      address: { address: options.address, port: options.port, family: 'IPv4' },
      stats: () => EMPTY_STATS,
      close: () => {
        this.closes++;
        this.handlers = undefined;
        return Promise.resolve();
      },
    });
  }

  send(trap: ReceivedTrap): void {
    if (this.handlers === undefined) throw new Error('not listening');
    this.handlers.onTrap(trap);
  }
}

class MemoryStore implements TrapEventStore {
  readonly events: TrapEvent[] = [];
  readonly prunes: TrapRetention[] = [];
  appends = 0;
  fail = false;
  hang = false;

  append(events: readonly TrapEvent[]): Promise<void> {
    this.appends++;
    if (this.hang) return new Promise(() => undefined);
    if (this.fail) return Promise.reject(new UpstreamError('memory', 'WRITE_FAILED', 'disk full'));
    this.events.push(...events);
    return Promise.resolve();
  }
  query(query: TrapEventQuery): Promise<TrapEvent[]> {
    return Promise.resolve(
      this.events
        .filter((e) => e.at >= query.from && e.at <= query.to)
        .filter((e) => query.deviceId === undefined || e.deviceId === query.deviceId)
        .reverse()
        .slice(0, query.limit),
    );
  }
  prune(retention: TrapRetention): Promise<number> {
    this.prunes.push(retention);
    return Promise.resolve(0);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function linkDown(address: string, ifIndex: number, extra: Partial<ReceivedTrap> = {}): ReceivedTrap {
  return {
    source: { address, port: 40_000, family: 'IPv4' },
    version: '2c',
    pdu: 'trap',
    community: 'public',
    user: null,
    engineId: null,
    agentAddress: null,
    trapOid: GENERIC_TRAP.linkDown,
    upTime: 1,
    varbinds: [{ oid: `${IF_TRAP_OBJECT.ifIndex}.${ifIndex}`, value: { type: 'integer', value: ifIndex } }],
    ...extra,
  };
}

function setup(overrides: Partial<TrapServiceOptions> = {}) {
  const receiver = new FakeReceiver();
  const store = new MemoryStore();
  const clock = new FakeClock();
  const logger = new RecordingLogger();
  const origins: TrapOrigin[] = [];
  let n = 0;
  const service = new TrapService({
    receiver,
    store,
    clock,
    logger,
    lookupDevice: (origin) => {
      origins.push(origin);
      return origin.address === '10.0.0.1' ? 'a-core-sw' : null;
    },
    newId: () => `ev-${++n}`,
    ...overrides,
  });
  const received: TrapEvent[] = [];
  service.subscribe((e) => received.push(e));
  return { receiver, store, clock, logger, origins, service, received };
}

describe('TrapService', () => {
  it('attributes a trap to its device, stores it, then pushes it to subscribers', async () => {
    const { receiver, store, clock, origins, service, received } = setup();
    await service.start(LISTEN, never());
    const receivedAt = clock.now();
    receiver.send(linkDown('10.0.0.1', 3));
    expect(received).toEqual([]); // waits for the batch
    clock.advance(100);
    await service.flush();
    expect(origins).toEqual([
      {
        address: '10.0.0.1',
        port: 40000,
        agentAddress: null,
        version: '2c',
        community: 'public',
        user: null,
        engineId: null,
      },
    ]);
    expect(store.events).toHaveLength(1);
    expect(received).toEqual(store.events);
    expect(received[0]).toMatchObject({
      id: 'ev-1',
      at: receivedAt,
      deviceId: 'a-core-sw',
      kind: 'linkDown',
      key: 'device%3Aa-core-sw/linkDown/3',
    });
    expect(
      await service.query({ deviceId: 'a-core-sw', from: 0, to: clock.now(), limit: 5_000 }, never()),
    ).toEqual(store.events);
    expect(service.stats()).toMatchObject({
      listening: { address: '127.0.0.1', port: 16_200 },
      events: 1,
      stored: 1,
      unknownSources: 0,
    });
  });

  it('keeps traps from unknown sources, and logs each source at most once a minute', async () => {
    const { receiver, clock, logger, service, received } = setup();
    await service.start(LISTEN, never());
    for (let i = 0; i < 5; i++) receiver.send(linkDown('192.0.2.7', 1));
    await service.flush();
    expect(received).toHaveLength(5);
    expect(received.every((e) => e.deviceId === null && e.key.startsWith('source%3A192.0.2.7/'))).toBe(true);
    expect(service.stats().unknownSources).toBe(5);
    const warned = () => logger.at('warn').filter((e) => e.msg === 'trap from an unknown source');
    expect(warned()).toHaveLength(1);
    clock.advance(60_000);
    receiver.send(linkDown('192.0.2.7', 1));
    expect(warned()).toHaveLength(2);
    expect(warned()[1]?.obj).toMatchObject({ address: '192.0.2.7', suppressedSinceLast: 4 });
    expect(JSON.stringify(logger.entries)).not.toContain('public');
  });

  it('keeps the trap when the device lookup throws', async () => {
    const { receiver, logger, service, received } = setup({
      lookupDevice: () => {
        throw new Error('inventory reloading');
      },
    });
    await service.start(LISTEN, never());
    receiver.send(linkDown('10.0.0.1', 3));
    await service.flush();
    expect(received[0]?.deviceId).toBeNull();
    expect(logger.at('error').some((e) => e.msg?.startsWith('device lookup failed'))).toBe(true);
  });

  it('writes a full batch at once, without waiting for the timer', async () => {
    const { receiver, store, service } = setup({ maxBatch: 3 });
    await service.start(LISTEN, never());
    for (let i = 1; i <= 3; i++) receiver.send(linkDown('10.0.0.1', i));
    await Promise.resolve();
    await service.flush();
    expect(store.appends).toBe(1);
    expect(store.events).toHaveLength(3);
  });

  it('still pushes events the store refuses, and counts them', async () => {
    const { receiver, store, logger, service, received } = setup();
    store.fail = true;
    await service.start(LISTEN, never());
    receiver.send(linkDown('10.0.0.1', 3));
    await service.flush();
    expect(received).toHaveLength(1);
    expect(service.stats()).toMatchObject({ stored: 0, storeFailures: 1 });
    expect(logger.at('error').some((e) => e.msg === 'trap events could not be stored')).toBe(true);
  });

  it('drops and counts events beyond maxPending while the store is stuck', async () => {
    const { receiver, store, service } = setup({ maxPending: 3, maxBatch: 100 });
    await service.start(LISTEN, never());
    store.hang = true;
    receiver.send(linkDown('10.0.0.1', 1));
    void service.flush();
    // The write of the first event starts (and never ends) once earlier store work has run.
    for (let i = 0; i < 100 && store.appends === 0; i++) await Promise.resolve();
    expect(store.appends).toBe(1);
    for (let i = 2; i <= 6; i++) receiver.send(linkDown('10.0.0.1', i));
    expect(service.stats()).toMatchObject({ events: 6, overflowed: 2 });
  });

  it('logs dropped datagrams per reason and source, at most once a minute', async () => {
    const { receiver, logger, service } = setup();
    await service.start(LISTEN, never());
    const drop = {
      reason: 'badCommunity',
      source: { address: '192.0.2.9', port: 1, family: 'IPv4' },
      detail: 'x',
    } as const;
    for (let i = 0; i < 10; i++) receiver.handlers?.onDrop(drop);
    receiver.handlers?.onDrop({ ...drop, reason: 'malformed' });
    const dropped = logger.at('warn').filter((e) => e.msg === 'trap datagram dropped');
    expect(dropped.map((e) => (e.obj as { reason: string }).reason)).toEqual(['badCommunity', 'malformed']);
  });

  it('stays stopped when the listener cannot bind, and can start later', async () => {
    const { receiver, service } = setup();
    receiver.failNext = new UpstreamError('snmp-traps', 'ADDRESS_IN_USE', 'in use');
    await expect(service.start(LISTEN, never())).rejects.toMatchObject({ code: 'ADDRESS_IN_USE' });
    expect(service.stats().listening).toBeNull();
    await service.start(LISTEN, never());
    expect(service.stats().listening).not.toBeNull();
    await expect(service.start(LISTEN, never())).rejects.toThrow(/running/);
  });

  it('on stop closes the listener, writes what is pending, and can start again', async () => {
    const { receiver, store, service, received } = setup();
    await service.start(LISTEN, never());
    const firstSignal = receiver.signal;
    receiver.send(linkDown('10.0.0.1', 3));
    await service.stop();
    await service.stop();
    expect(receiver.closes).toBe(1);
    expect(firstSignal?.aborted).toBe(true);
    expect(store.events).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(service.stats().listening).toBeNull();
    await service.start(LISTEN, never());
    receiver.send(linkDown('10.0.0.1', 4));
    await service.flush();
    expect(received).toHaveLength(2);
  });

  it('applies retention at start and then on its interval', async () => {
    const { clock, store, service } = setup({
      retention: { maxEvents: 500, maxAgeMs: 3_600_000 },
      pruneIntervalMs: 60_000,
    });
    await service.start(LISTEN, never());
    await service.flush();
    expect(store.prunes).toEqual([{ before: clock.now() - 3_600_000, keep: 500 }]);
    clock.advance(60_000);
    await service.flush();
    expect(store.prunes).toHaveLength(2);
    await service.stop();
    clock.advance(600_000);
    await service.flush();
    expect(store.prunes).toHaveLength(2);
  });

  it('keeps delivering to other subscribers when one throws', async () => {
    const { receiver, logger, service, received } = setup();
    service.subscribe(() => {
      throw new Error('broken panel');
    });
    const late: TrapEvent[] = [];
    const unsubscribe = service.subscribe((e) => late.push(e));
    await service.start(LISTEN, never());
    receiver.send(linkDown('10.0.0.1', 3));
    await service.flush();
    expect(received).toHaveLength(1);
    expect(late).toHaveLength(1);
    expect(logger.at('error').some((e) => e.msg === 'trap event subscriber failed')).toBe(true);
    unsubscribe();
    receiver.send(linkDown('10.0.0.1', 4));
    await service.flush();
    expect(late).toHaveLength(1);
  });
});

describe('TrapService rate limit', () => {
  const limits = { perSecond: 2, burst: 5, globalPerSecond: 100, globalBurst: 100, stormQuietMs: 60_000 };

  it('stores a burst, counts the rest per source, and records the storm once, then one summary', async () => {
    const { receiver, store, clock, logger, service, received } = setup({ rateLimit: limits });
    await service.start(LISTEN, never());
    for (let i = 0; i < 30; i++) receiver.send(linkDown('10.0.0.1', 3));
    await service.flush();
    const storm = received.filter((e) => e.kind === 'trapStorm');
    expect(received.filter((e) => e.kind === 'linkDown')).toHaveLength(5);
    expect(storm).toHaveLength(1);
    expect(storm[0]).toMatchObject({
      deviceId: 'a-core-sw',
      severity: 'warning',
      trapOid: '0.0',
      key: 'device%3Aa-core-sw/trapStorm/',
      clears: [],
      attributes: { limit: 'source', perSecond: 2, burst: 5 },
    });
    expect(trapEventSchema.parse(storm[0])).toEqual(storm[0]);
    expect(service.stats()).toMatchObject({
      rateLimited: 25,
      rateLimitedBySource: { 'device:a-core-sw': 25 },
      activeStorms: 1,
    });
    expect(logger.at('warn').filter((e) => e.msg?.startsWith('trap storm'))).toHaveLength(1);

    // Still storming 30 s later: no second storm event; the 1-token refill per 0.5 s lets some through.
    clock.advance(30_000);
    for (let i = 0; i < 100; i++) receiver.send(linkDown('10.0.0.1', 3));
    await service.flush();
    expect(received.filter((e) => e.kind === 'trapStorm')).toHaveLength(1);
    expect(service.stats().rateLimited).toBe(120); // 5 of the 100 passed (the bucket was full)

    // Quiet for 59 s: not over yet; at 60 s, one summary clearing the storm.
    clock.advance(59_000);
    await service.flush();
    expect(received.filter((e) => e.kind === 'trapStorm')).toHaveLength(1);
    clock.advance(1_000);
    await service.flush();
    const summary = received.filter((e) => e.kind === 'trapStorm')[1];
    expect(summary).toMatchObject({
      severity: 'cleared',
      clears: [storm[0]?.key],
      attributes: { limit: 'source', dropped: 120, durationSeconds: 30 },
    });
    expect(service.stats().activeStorms).toBe(0);
    expect(store.events).toEqual(received);

    // A new storm later is a new start.
    for (let i = 0; i < 6; i++) receiver.send(linkDown('10.0.0.1', 4));
    await service.flush();
    expect(received.filter((e) => e.kind === 'trapStorm')).toHaveLength(3);
  });

  it('limits each source on its own: a storming device does not silence another', async () => {
    const { receiver, service, received } = setup({ rateLimit: limits });
    await service.start(LISTEN, never());
    for (let i = 0; i < 50; i++) receiver.send(linkDown('10.0.0.1', 1));
    receiver.send(linkDown('192.0.2.9', 2));
    await service.flush();
    expect(received.filter((e) => e.key.startsWith('source%3A192.0.2.9/linkDown'))).toHaveLength(1);
    expect(service.stats().rateLimitedBySource).toEqual({ 'device:a-core-sw': 45 });
  });

  it('limits an unknown sender by the origin it names (a proxy forwarding for many)', async () => {
    const { receiver, service, received } = setup({ rateLimit: limits });
    await service.start(LISTEN, never());
    for (const agent of ['192.0.2.1', '192.0.2.2'])
      for (let i = 0; i < 6; i++) receiver.send(linkDown('198.51.100.5', 1, { agentAddress: agent }));
    await service.flush();
    expect(received.filter((e) => e.kind === 'linkDown')).toHaveLength(10);
    expect(received.filter((e) => e.kind === 'trapStorm').map((e) => e.key)).toEqual([
      'source%3A192.0.2.1/trapStorm/',
      'source%3A192.0.2.2/trapStorm/',
    ]);
  });

  it('caps all sources together, as one storm of the receiver naming the worst source', async () => {
    const { receiver, clock, service, received } = setup({
      rateLimit: { ...limits, burst: 100, perSecond: 100, globalPerSecond: 1, globalBurst: 10 },
    });
    await service.start(LISTEN, never());
    for (let i = 0; i < 40; i++) receiver.send(linkDown(`192.0.2.${i % 4}`, 1));
    await service.flush();
    expect(received.filter((e) => e.kind === 'linkDown')).toHaveLength(10);
    const storms = received.filter((e) => e.kind === 'trapStorm');
    expect(storms).toHaveLength(1);
    expect(storms[0]).toMatchObject({
      deviceId: null,
      instance: 'receiver',
      key: 'source%3A127.0.0.1/trapStorm/receiver',
      attributes: { limit: 'global', perSecond: 1, burst: 10 },
    });
    clock.advance(60_000);
    await service.flush();
    expect(received.filter((e) => e.kind === 'trapStorm')[1]).toMatchObject({
      severity: 'cleared',
      clears: [storms[0]?.key],
      attributes: { dropped: 30, sources: 4, topSourceDropped: 8 },
    });
  });

  it('ends a storm going on when it stops, so its alarm clears', async () => {
    const { receiver, service, received } = setup({ rateLimit: limits });
    await service.start(LISTEN, never());
    for (let i = 0; i < 8; i++) receiver.send(linkDown('10.0.0.1', 1));
    await service.stop();
    const storms = received.filter((e) => e.kind === 'trapStorm');
    expect(storms.map((e) => e.severity)).toEqual(['warning', 'cleared']);
    expect(storms[1]?.attributes).toMatchObject({ dropped: 3 });
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => setup({ rateLimit: { perSecond: 0 } })).toThrow(/rateLimit.perSecond/);
    expect(() => setup({ rateLimit: { stormQuietMs: -1 } })).toThrow(/stormQuietMs/);
  });
});
