import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metricSourceSchema, VigieError, type MetricSource } from '../../../../shared/api';
import { silentLogger } from '../../ports/logger';
import type { MetricPoint, MetricStoreHealth } from '../../ports/metric-store';
import { UpstreamError } from '../../ports/upstream-error';
import { DurableWriteQueue } from './durable-write-queue';
import { frameName, MetricsService, type MetricsQueryRequest, type MetricSourceDef } from './metrics-service';
import { FakeClock } from './test-support/fake-clock';
import { MemoryMetricStore } from './test-support/memory-metric-store';
import { RecordingLogger } from './test-support/recording-logger';
import { waitUntil } from './test-support/wait-until';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;

let dir: string;
const services: MetricsService[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-metrics-'));
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

interface Setup {
  readonly service: MetricsService;
  readonly clock: FakeClock;
  readonly store: MemoryMetricStore;
  readonly logger: RecordingLogger;
  /** Every payload the service announced. */
  readonly announced: MetricSource[][];
}

function setup(
  options: {
    store?: MemoryMetricStore;
    queue?: DurableWriteQueue;
    clock?: FakeClock;
    extra?: MetricSourceDef[];
  } = {},
): Setup {
  const clock = options.clock ?? new FakeClock(T0);
  const store = options.store ?? new MemoryMetricStore('embedded');
  const logger = new RecordingLogger();
  const service = new MetricsService({
    sources: [
      {
        id: 'embedded',
        name: 'Embedded store',
        kind: 'embedded',
        store,
        ...(options.queue ? { queue: options.queue } : {}),
      },
      ...(options.extra ?? []),
    ],
    clock,
    logger,
  });
  services.push(service);
  const announced: MetricSource[][] = [];
  service.onChange((payload) => announced.push(payload.sources));
  return { service, clock, store, logger, announced };
}

function source(service: MetricsService, id = 'embedded'): MetricSource {
  const found = service.sources().sources.find((s) => s.id === id);
  if (!found) throw new Error(`no source ${id}`);
  return found;
}

/** Resolves once the source's state satisfies `condition` (checked on every announcement). */
function sourceUntil(service: MetricsService, condition: (s: MetricSource) => boolean, id = 'embedded') {
  return waitUntil(
    (l) => service.onChange(l),
    () => condition(source(service, id)),
  );
}

function request(overrides: Partial<MetricsQueryRequest> = {}): MetricsQueryRequest {
  return {
    source: 'embedded',
    measurement: 'vigie',
    field: 'latency',
    where: [],
    groupBy: [],
    aggregation: 'mean',
    from: T0 - HOUR,
    to: T0,
    widthPx: 600,
    ...overrides,
  };
}

function latencyPoint(source: string, time: number, value: number | null): MetricPoint {
  return { measurement: 'vigie', tags: { source, zone: 'zone-a' }, fields: { latency: value }, time };
}

describe('MetricsService sources', () => {
  it('shows a source as connecting until its first probe answers, then connected', async () => {
    const { service, announced } = setup();
    const before = source(service);
    expect(before).toMatchObject({ state: 'connecting', lastOkAt: null, lastError: null, queuedPoints: 0 });
    expect(metricSourceSchema.parse(before)).toEqual(before);
    service.start();
    expect(source(service).state).toBe('connecting');
    await sourceUntil(service, (s) => s.state !== 'connecting');
    const after = source(service);
    expect(after).toEqual({
      id: 'embedded',
      name: 'Embedded store',
      kind: 'embedded',
      state: 'connected',
      lastOkAt: T0,
      lastError: null,
      clockSkewMs: null,
      queuedPoints: 0,
      dropped: null,
    });
    expect(metricSourceSchema.parse(after)).toEqual(after);
    expect(announced.map((list) => list[0]?.state)).toEqual(['connecting', 'connected']);
  });

  it('shows an unreachable store as unreachable with its error, never as connected', async () => {
    const store = new MemoryMetricStore('influx');
    store.setUnreachable('UNAVAILABLE');
    const { service, announced, clock } = setup({ store });
    service.start();
    await sourceUntil(service, (s) => s.state !== 'connecting');
    expect(source(service)).toMatchObject({
      state: 'unreachable',
      lastOkAt: null,
      lastError: { code: 'UNAVAILABLE', message: 'store unavailable', at: T0 },
    });
    for (let probe = 1; probe <= 3; probe += 1) {
      clock.advance(10_000);
      await sourceUntil(service, (s) => s.lastError?.at === T0 + probe * 10_000);
    }
    expect(announced.flat().some((s) => s.state === 'connected')).toBe(false);
    expect(source(service)).toMatchObject({ state: 'unreachable', lastOkAt: null });
  });

  it('turns unreachable when a connected store stops answering, keeping when it last answered', async () => {
    const { service, store, clock } = setup();
    service.start();
    await sourceUntil(service, (s) => s.state === 'connected');
    store.setUnreachable('TIMEOUT');
    clock.advance(10_000);
    await sourceUntil(service, (s) => s.state === 'unreachable');
    expect(source(service)).toMatchObject({ lastOkAt: T0, lastError: { code: 'TIMEOUT', at: T0 + 10_000 } });
    store.setUnreachable(null);
    clock.advance(10_000);
    await sourceUntil(service, (s) => s.state === 'connected');
    expect(source(service)).toMatchObject({ lastOkAt: T0 + 20_000, lastError: null });
  });

  it('gives up a probe that never answers at its deadline', async () => {
    const store = new MemoryMetricStore();
    store.ping = () => new Promise<MetricStoreHealth>(() => undefined);
    const { service, clock } = setup({ store });
    service.start();
    clock.advance(5_000);
    await sourceUntil(service, (s) => s.state === 'unreachable');
    expect(source(service).lastError).toMatchObject({ code: 'TIMEOUT' });
  });

  it('computes the clock skew from the server time and warns above 30 s, once', async () => {
    const store = new MemoryMetricStore();
    store.health = { version: '1.6.7', serverTime: T0 + 45_000 };
    const { service, clock, logger } = setup({ store });
    service.start();
    await sourceUntil(service, (s) => s.state === 'connected');
    expect(source(service).clockSkewMs).toBe(45_000);
    expect(logger.at('warn').filter((e) => e.msg?.includes('clock'))).toHaveLength(1);

    store.health = { version: '1.6.7', serverTime: T0 + 10_000 + 50_000 };
    clock.advance(10_000);
    await sourceUntil(service, (s) => s.lastOkAt === T0 + 10_000);
    expect(logger.at('warn').filter((e) => e.msg?.includes('clock'))).toHaveLength(1);

    store.health = { version: '1.6.7', serverTime: T0 + 20_000 - 2_000 };
    clock.advance(10_000);
    await sourceUntil(service, (s) => s.clockSkewMs === -2_000);
    expect(logger.at('warn').filter((e) => e.msg?.includes('clock'))).toHaveLength(1);
  });

  it('leaves the skew unknown when the store does not report its time', async () => {
    const { service, logger } = setup();
    service.start();
    await sourceUntil(service, (s) => s.state === 'connected');
    expect(source(service).clockSkewMs).toBeNull();
    expect(logger.at('warn')).toEqual([]);
  });

  it('probes on its interval and disposes of every timer on stop', async () => {
    const store = new MemoryMetricStore();
    let pings = 0;
    const ping = store.ping.bind(store);
    store.ping = (signal) => {
      pings += 1;
      return ping(signal);
    };
    const { service, clock } = setup({ store });
    service.start();
    await sourceUntil(service, (s) => s.state === 'connected');
    expect(pings).toBe(1);
    clock.advance(9_999);
    expect(pings).toBe(1);
    clock.advance(1);
    await sourceUntil(service, (s) => s.lastOkAt === T0 + 10_000);
    expect(pings).toBe(2);
    await service.stop();
    expect(clock.pendingTimers()).toBe(0);
    expect(store.closed).toBe(true);
    clock.advance(60_000);
    expect(pings).toBe(2);
  });

  it('shows the queue: points waiting and points dropped', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    store.setUnreachable('UNAVAILABLE');
    const queue = await DurableWriteQueue.open({
      dir,
      store,
      clock,
      logger: silentLogger,
      flushDelayMs: 0,
      maxPoints: 10,
    });
    const { service, announced } = setup({ store, queue, clock });
    service.start();
    await sourceUntil(service, (s) => s.state === 'unreachable');
    await service.write(Array.from({ length: 14 }, (_, i) => latencyPoint('a-api', T0 + i, i)));
    expect(source(service)).toMatchObject({
      state: 'unreachable',
      queuedPoints: 10,
      dropped: { count: 4, lastAt: T0 },
    });
    // Queue counters are announced at most once a second (they change with every poll).
    const seen = announced.length;
    clock.advance(1_000);
    expect(announced.length).toBe(seen + 1);
    expect(announced.at(-1)?.[0]).toMatchObject({ queuedPoints: 10, dropped: { count: 4 } });
    await service.stop();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('flushes the queue as soon as a probe finds the store back, without waiting out the backoff', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    store.setUnreachable('UNAVAILABLE');
    const queue = await DurableWriteQueue.open({
      dir,
      store,
      clock,
      logger: silentLogger,
      flushDelayMs: 0,
      maxPoints: 1000,
      retryInitialMs: 10 * 60_000,
    });
    const { service } = setup({ store, queue, clock });
    service.start();
    await sourceUntil(service, (s) => s.state === 'unreachable');
    await service.write([latencyPoint('a-api', T0, 12)]);
    await waitUntil(
      (l) => queue.onChange(l),
      () => queue.stats().lastError !== null,
    );
    store.setUnreachable(null);
    clock.advance(10_000);
    await waitUntil(
      (l) => queue.onChange(l),
      () => queue.stats().queuedPoints === 0,
    );
    expect(store.points).toHaveLength(1);
    expect(clock.now()).toBe(T0 + 10_000);
  });

  it('shows a store that answers pings but refuses writes as connected, with the write error', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    store.write = () => Promise.reject(new UpstreamError('embedded', 'AUTH', 'write not allowed'));
    const queue = await DurableWriteQueue.open({
      dir,
      store,
      clock,
      logger: silentLogger,
      flushDelayMs: 0,
      maxPoints: 1000,
    });
    const { service } = setup({ store, queue, clock });
    service.start();
    await sourceUntil(service, (s) => s.state === 'connected');
    await service.write([latencyPoint('a-api', T0, 12)]);
    await waitUntil(
      (l) => queue.onChange(l),
      () => queue.stats().lastError !== null,
    );
    clock.advance(1_000);
    await sourceUntil(service, (s) => s.lastError !== null);
    expect(source(service)).toMatchObject({
      state: 'connected',
      lastError: { code: 'AUTH', message: 'write not allowed' },
      queuedPoints: 1,
    });
  });

  it('routes writes to the default source, and straight to the store when it has no queue', async () => {
    const other = new MemoryMetricStore('influx');
    const { service, store } = setup({
      extra: [{ id: 'influx', name: 'InfluxDB', kind: 'influxdb', store: other }],
    });
    await service.write([latencyPoint('a-api', T0, 1)]);
    await service.write([]);
    expect(store.points).toHaveLength(1);
    expect(other.points).toHaveLength(0);
    expect(service.sources().sources.map((s) => s.id)).toEqual(['embedded', 'influx']);
  });

  it('refuses a configuration without sources, with duplicate ids or an unknown default', () => {
    const clock = new FakeClock(T0);
    const store = new MemoryMetricStore();
    const def: MetricSourceDef = { id: 'a', name: 'A', kind: 'embedded', store };
    expect(() => new MetricsService({ sources: [], clock, logger: silentLogger })).toThrow();
    expect(() => new MetricsService({ sources: [def, def], clock, logger: silentLogger })).toThrow(
      /duplicate/,
    );
    expect(
      () => new MetricsService({ sources: [def], defaultSourceId: 'b', clock, logger: silentLogger }),
    ).toThrow(/default/);
  });
});

describe('MetricsService requests', () => {
  it('answers NOT_FOUND for an unknown source', async () => {
    const { service } = setup();
    const expectNotFound = async (call: Promise<unknown>): Promise<void> => {
      const err: unknown = await call.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VigieError);
      expect((err as VigieError).code).toBe('NOT_FOUND');
    };
    await expectNotFound(service.query(request({ source: 'nope' })));
    await expectNotFound(service.catalog('nope'));
    await expectNotFound(service.tagValues('nope', 'vigie', 'zone'));
  });

  it('lets the UpstreamError of an unreachable store through', async () => {
    const store = new MemoryMetricStore('influx');
    store.setUnreachable('UNAVAILABLE');
    const { service } = setup({ store });
    await expect(service.query(request())).rejects.toBeInstanceOf(UpstreamError);
    await expect(service.catalog('embedded', 'vigie')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(service.tagValues('embedded', 'vigie', 'zone')).rejects.toBeInstanceOf(UpstreamError);
  });

  it('sizes the step from the chart width and passes the row cap', async () => {
    const { service, store } = setup();
    // A few buckets per column of the plot: 4 per column of 360 is one a minute over a day.
    const day = await service.query(request({ from: T0 - 24 * HOUR, to: T0, widthPx: 360 }));
    expect(day.stepMs).toBe(60_000);
    expect(store.queries[0]).toMatchObject({ stepMs: 60_000, maxRows: 500_000, aggregation: 'mean' });
    // Never finer than the collection resolution, whatever the width.
    const short = await service.query(request({ from: T0 - 60_000, to: T0, widthPx: 4000 }));
    expect(short.stepMs).toBe(10_000);
  });

  it("passes a source's own row cap", async () => {
    const influx = new MemoryMetricStore('influx');
    const { service } = setup({
      extra: [{ id: 'influx', name: 'InfluxDB', kind: 'influxdb', store: influx, maxRows: 2_000 }],
    });
    await service.query(request({ source: 'influx', aggregation: 'raw' }));
    expect(influx.queries[0]).toMatchObject({ maxRows: 2_000, aggregation: 'raw', measurement: 'vigie' });
  });

  it('names frames measurement.field with their tags, with the unit of what Vigie writes', async () => {
    const { service } = setup();
    await service.write([
      latencyPoint('a-api', T0 - 30_000, 20),
      latencyPoint('a-api', T0 - 20_000, 40),
      latencyPoint('b-api', T0 - 20_000, 7),
      { measurement: 'cpu', tags: {}, fields: { usage: 0.5 }, time: T0 - 10_000 },
    ]);
    const result = await service.query(request({ groupBy: ['source'], from: T0 - 60_000, widthPx: 6 }));
    expect(result.frames.map((f) => f.name).sort()).toEqual([
      'vigie.latency{source=a-api}',
      'vigie.latency{source=b-api}',
    ]);
    const a = result.frames.find((f) => f.tags.source === 'a-api');
    expect(a?.unit).toBe('milliseconds');
    expect(a?.values.filter((v) => v !== null)).toEqual([20, 40]);
    expect(a?.values).toContain(null);
    expect(result.queryText).toBe('memory: mean(vigie.latency)');
    const cpu = await service.query(request({ measurement: 'cpu', field: 'usage', aggregation: 'raw' }));
    expect(cpu.frames[0]).toMatchObject({
      name: 'cpu.usage',
      unit: null,
      times: [T0 - 10_000],
      values: [0.5],
    });
  });

  it('reduces a long raw series to at most 4 points per column, keeping its min and max', async () => {
    const store = new MemoryMetricStore();
    const { service } = setup({ store });
    const from = T0 - HOUR;
    const widthPx = 100;
    const n = 36_000;
    const times = Array.from({ length: n }, (_, i) => from + i * 100);
    const values = times.map((_, i) => (i === 12_345 ? 1_000 : i === 23_456 ? -1_000 : Math.sin(i / 50)));
    store.queryAnswer = { series: [{ tags: {}, times, values }], truncated: false, queryText: 'SELECT raw' };
    const result = await service.query(request({ aggregation: 'raw', from, to: T0, widthPx }));
    const frame = result.frames[0]!;
    expect(frame.times.length).toBeLessThanOrEqual(4 * widthPx);
    expect(frame.times.length).toBe(frame.values.length);
    const perColumn = new Map<number, number>();
    for (const t of frame.times) {
      // The column arithmetic of a linear chart scale (offset over range, times the width).
      const column = Math.min(widthPx - 1, Math.floor(((t - from) / (T0 - from)) * widthPx));
      perColumn.set(column, (perColumn.get(column) ?? 0) + 1);
    }
    expect(Math.max(...perColumn.values())).toBeLessThanOrEqual(4);
    expect(perColumn.size).toBe(widthPx);
    expect(Math.max(...(frame.values as number[]))).toBe(1_000);
    expect(Math.min(...(frame.values as number[]))).toBe(-1_000);
    expect(frame.times).toEqual([...frame.times].sort((x, y) => x - y));
    expect(frame.times[0]).toBe(times[0]);
    // 'column-mean': the last value closes the last column, at the mean time of its points.
    expect(frame.values.at(-1)).toBe(values.at(-1));
    expect(frame.times.at(-1)).toBeGreaterThan(T0 - HOUR / widthPx);
  });

  it('keeps a gap of a long raw series as a gap', async () => {
    const store = new MemoryMetricStore();
    const { service } = setup({ store });
    const from = T0 - HOUR;
    const times = Array.from({ length: 10_000 }, (_, i) => from + i * 360);
    const values = times.map((_, i) => (i >= 5_000 && i < 5_200 ? null : 1));
    store.queryAnswer = { series: [{ tags: {}, times, values }], truncated: false, queryText: 'q' };
    // 36 s per column: at most 4 points per column at the 10 s resolution, so the engine asks for
    // raw points (wider columns are asked as m4 buckets: metrics-service-m4.test.ts).
    const result = await service.query(request({ aggregation: 'raw', from, to: T0, widthPx: 100 }));
    expect(result.frames[0]!.values).toContain(null);
    expect(result.frames[0]!.values).not.toContain(0);
  });

  it('leaves a raw series of at most 4 points per column as it is, and reports truncation', async () => {
    const store = new MemoryMetricStore();
    const { service } = setup({ store });
    const times = Array.from({ length: 400 }, (_, i) => T0 - HOUR + i * 9_000);
    const values = times.map((_, i) => i);
    store.queryAnswer = {
      series: [{ tags: { zone: 'zone-a' }, times, values }],
      truncated: true,
      queryText: 'q',
    };
    const result = await service.query(request({ aggregation: 'raw', widthPx: 100 }));
    expect(result.frames[0]).toMatchObject({ times, values, tags: { zone: 'zone-a' } });
    expect(result.truncated).toBe(true);
    expect(result.queryText).toBe('q');
  });

  it('turns a non-finite value from a store into a gap', async () => {
    const store = new MemoryMetricStore();
    const { service } = setup({ store });
    store.queryAnswer = {
      series: [{ tags: {}, times: [T0 - 2, T0 - 1], values: [Number.NaN, 3] }],
      truncated: false,
      queryText: 'q',
    };
    const result = await service.query(request());
    expect(result.frames[0]?.values).toEqual([null, 3]);
  });

  it('lists the catalog and tag values', async () => {
    const { service } = setup();
    await service.write([latencyPoint('a-api', T0, 1), latencyPoint('b-api', T0, 2)]);
    expect(await service.catalog('embedded')).toEqual({ measurements: ['vigie'], fields: [], tagKeys: [] });
    expect(await service.catalog('embedded', 'vigie')).toEqual({
      measurements: ['vigie'],
      fields: [{ name: 'latency', type: 'float' }],
      tagKeys: ['source', 'zone'],
    });
    expect(await service.tagValues('embedded', 'vigie', 'source')).toEqual({ values: ['a-api', 'b-api'] });
  });

  it('gives up a request the store never answers, at its deadline', async () => {
    const store = new MemoryMetricStore();
    store.measurements = () => new Promise<string[]>(() => undefined);
    const { service, clock } = setup({ store });
    const call = service.catalog('embedded');
    clock.advance(30_000);
    await expect(call).rejects.toMatchObject({ name: 'UpstreamError', code: 'TIMEOUT' });
  });
});

describe('frameName', () => {
  it('sorts tags by key so the same series always has the same name', () => {
    expect(frameName('vigie', 'latency', {})).toBe('vigie.latency');
    expect(frameName('vigie', 'latency', { zone: 'b', source: 'a' })).toBe('vigie.latency{source=a,zone=b}');
  });
});
