/** `metrics.query` with a transform: counters as rates, scale and offset, the resulting unit. */
import { afterEach, describe, expect, it } from 'vitest';
import { seriesTransformSchema, type SeriesTransformInput } from '../../../../shared/domain/series-transform';
import { MetricsService, type MetricsQueryRequest } from './metrics-service';
import { FakeClock } from './test-support/fake-clock';
import { MemoryMetricStore } from './test-support/memory-metric-store';
import { RecordingLogger } from './test-support/recording-logger';

const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;
const services: MetricsService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function setup(unitOf?: (measurement: string, field: string) => string | null) {
  const store = new MemoryMetricStore('telegraf');
  const service = new MetricsService({
    sources: [{ id: 'telegraf', name: 'Telegraf', kind: 'influxdb', store }],
    clock: new FakeClock(T0),
    logger: new RecordingLogger(),
    ...(unitOf ? { unitOf } : {}),
  });
  services.push(service);
  return { service, store };
}

function request(
  transform: SeriesTransformInput,
  overrides: Partial<MetricsQueryRequest> = {},
): MetricsQueryRequest {
  return {
    source: 'telegraf',
    measurement: 'interface',
    field: 'ifHCInOctets',
    where: [{ key: 'agent_host', op: '=', value: '10.1.0.2' }],
    groupBy: ['ifDescr'],
    aggregation: 'mean',
    from: T0 - HOUR,
    to: T0,
    widthPx: 360,
    transform: seriesTransformSchema.parse(transform),
    ...overrides,
  };
}

describe('MetricsService query transforms', () => {
  it('reads a counter per bucket with last and answers its rate in bits per second', async () => {
    const { service, store } = setup();
    store.queryAnswer = {
      series: [
        {
          tags: { ifDescr: 'xe-0/0/1' },
          times: [T0 - 30_000, T0 - 20_000, T0 - 10_000],
          values: [1_000_000, 2_250_000, 3_500_000],
        },
      ],
      truncated: false,
      queryText: 'q',
    };
    const result = await service.query(request({ rate: true, scale: 8, unit: 'bitsPerSecond' }));
    expect(store.queries[0]).toMatchObject({ aggregation: 'last', stepMs: 10_000 });
    expect(result.frames[0]).toMatchObject({
      name: 'interface.ifHCInOctets{ifDescr=xe-0/0/1}',
      unit: 'bitsPerSecond',
      values: [null, 1_000_000, 1_000_000],
    });
  });

  it('makes a counter reset a gap and keeps raw samples raw', async () => {
    const { service, store } = setup();
    store.queryAnswer = {
      series: [{ tags: {}, times: [T0 - 20_000, T0 - 10_000, T0], values: [900, 50, 150] }],
      truncated: false,
      queryText: 'q',
    };
    const result = await service.query(request({ rate: true }, { aggregation: 'raw' }));
    expect(store.queries[0]?.aggregation).toBe('raw');
    expect(result.frames[0]).toMatchObject({ unit: null, values: [null, null, 10] });
  });

  it('turns CPU idle into busy with the unit the transform names', async () => {
    const { service, store } = setup(() => 'percent');
    store.queryAnswer = {
      series: [{ tags: {}, times: [T0 - 10_000, T0], values: [97, null] }],
      truncated: false,
      queryText: 'q',
    };
    const result = await service.query(
      request({ scale: -1, offset: 100, unit: 'percent' }, { measurement: 'cpu', field: 'usage_idle' }),
    );
    expect(store.queries[0]?.aggregation).toBe('mean');
    expect(result.frames[0]).toMatchObject({ unit: 'percent', values: [3, null] });
  });

  it('keeps the field unit when the transform changes nothing', async () => {
    const { service, store } = setup(() => 'seconds');
    store.queryAnswer = {
      series: [{ tags: {}, times: [T0], values: [0.25] }],
      truncated: false,
      queryText: 'q',
    };
    const result = await service.query(request({}, { measurement: 'http_response', field: 'response_time' }));
    expect(result.frames[0]).toMatchObject({ unit: 'seconds', values: [0.25] });
  });
});
