/**
 * MetricsService.query on `raw` requests too dense to fetch point by point: the engine asks the
 * store for first/min/max/last per pixel column (`queryM4`) and draws them as the raw line would
 * (shared/domain/m4-points.ts); narrow ranges stay raw.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../ports/logger';
import type { MetricPoint } from '../../ports/metric-store';
import { MetricsService, type MetricsQueryRequest } from './metrics-service';
import { FakeClock } from './test-support/fake-clock';
import { MemoryMetricStore } from './test-support/memory-metric-store';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const services: MetricsService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function setup(options: { resolutionMs?: number } = {}): {
  service: MetricsService;
  store: MemoryMetricStore;
} {
  const store = new MemoryMetricStore('influx');
  const service = new MetricsService({
    sources: [{ id: 'influx', name: 'InfluxDB', kind: 'influxdb', store, maxRows: 20_000 }],
    clock: new FakeClock(T0),
    logger: silentLogger,
    ...(options.resolutionMs === undefined ? {} : { resolutionMs: options.resolutionMs }),
  });
  services.push(service);
  return { service, store };
}

function request(overrides: Partial<MetricsQueryRequest> = {}): MetricsQueryRequest {
  return {
    source: 'influx',
    measurement: 'vigie',
    field: 'latency',
    where: [{ key: 'source', op: '=', value: 'a-api' }],
    groupBy: ['zone'],
    aggregation: 'raw',
    from: T0 - DAY,
    to: T0,
    widthPx: 1000,
    ...overrides,
  };
}

function latency(time: number, value: number, source = 'a-api'): MetricPoint {
  return { measurement: 'vigie', tags: { source, zone: 'zone-a' }, fields: { latency: value }, time };
}

describe('MetricsService.query, raw requests as m4 buckets', () => {
  it('asks the store for first/min/max/last per pixel column when raw would exceed 4 points per column', async () => {
    const { service, store } = setup();
    // 1 day over 1,000 columns: 86.4 s per column, 8.64 points at 10 s.
    const from = T0 - DAY + 1_234;
    const result = await service.query(request({ from }));
    expect(store.queries).toEqual([]);
    expect(store.m4Queries).toHaveLength(1);
    const step = Math.ceil((T0 - from) / 1000);
    expect(store.m4Queries[0]).toEqual({
      measurement: 'vigie',
      field: 'latency',
      where: [{ key: 'source', op: '=', value: 'a-api' }],
      groupBy: ['zone'],
      from,
      to: T0,
      stepMs: step,
      // A bucket starts on `from`: bucket k is pixel column k.
      offsetMs: from % step,
      maxRows: 20_000,
    });
    expect(result.stepMs).toBe(step);
    expect(result.queryText).toBe('memory: m4(vigie.latency)');
  });

  it('keeps narrow ranges raw, and never turns an aggregation into m4', async () => {
    const { service, store } = setup();
    // 1 hour over 1,000 columns: 3.6 s per column, under a point per column.
    await service.query(request({ from: T0 - HOUR }));
    // Exactly 4 points per column is still raw.
    await service.query(request({ from: T0 - 40_000_000 }));
    for (const aggregation of ['mean', 'min', 'max', 'last'] as const)
      await service.query(request({ aggregation }));
    expect(store.m4Queries).toEqual([]);
    expect(store.queries.map((q) => q.aggregation)).toEqual(['raw', 'raw', 'mean', 'min', 'max', 'last']);
  });

  it('reckons points per column at the configured collection resolution', async () => {
    const { service, store } = setup({ resolutionMs: 1_000 });
    // 1 hour over 600 columns: 6 s per column, 6 points at 1 s.
    await service.query(request({ from: T0 - HOUR, widthPx: 600 }));
    expect(store.m4Queries).toHaveLength(1);
    expect(store.queries).toEqual([]);
  });

  it('draws first at the bucket start, the extremes and last at its middle, nothing for an empty bucket', async () => {
    const { service, store } = setup();
    const from = T0 - 4 * 60_000;
    // 4 columns of 1 min over 4 min; points every 5 s in columns 0, 1 and 3 (column 2 is empty).
    const points: MetricPoint[] = [];
    for (const column of [0, 1, 3]) {
      for (let i = 0; i < 12; i++) {
        const t = from + column * 60_000 + i * 5_000;
        points.push(latency(t, column === 1 ? 7 : i === 3 ? 100 : i === 8 ? -5 : 10 + i));
      }
    }
    points.push(latency(from + 60_000, 1, 'b-api'));
    await service.write(points);
    const result = await service.query(request({ from, to: T0, widthPx: 4 }));
    expect(store.m4Queries[0]).toMatchObject({ stepMs: 60_000, offsetMs: from % 60_000 });
    expect(result.frames).toHaveLength(1);
    const frame = result.frames[0];
    expect(frame).toMatchObject({
      name: 'vigie.latency{zone=zone-a}',
      tags: { zone: 'zone-a' },
      unit: 'milliseconds',
    });
    const mid = (column: number): number => from + column * 60_000 + 30_000;
    expect(frame?.times).toEqual([
      from,
      mid(0),
      mid(0),
      mid(0),
      from + 60_000,
      from + 180_000,
      mid(3),
      mid(3),
      mid(3),
    ]);
    // Columns 0 and 3: first 10, min -5, max 100, last 21; column 1 flat at 7: one point; column 2
    // and the bucket starting on `to`: none (the line crosses them, as the raw line would).
    expect(frame?.values).toEqual([10, -5, 100, 21, 7, 10, -5, 100, 21]);
    expect(frame?.values).not.toContain(0);
  });

  it('passes truncation and store errors through', async () => {
    const { service, store } = setup();
    store.m4Answer = {
      series: [{ tags: { zone: 'zone-a' }, times: [T0 - DAY], first: [1], min: [1], max: [3], last: [2] }],
      truncated: true,
      queryText: 'SELECT first(...)',
    };
    const result = await service.query(request());
    expect(result).toMatchObject({ truncated: true, queryText: 'SELECT first(...)' });
    expect(result.frames[0]?.values).toEqual([1, 1, 3, 2]);
    store.setUnreachable('UNAVAILABLE');
    await expect(service.query(request())).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
