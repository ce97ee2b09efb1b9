/** Metric sources, catalogs and query answers for the explorer and chart tests. */
import type { MetricFrame, RequestIn, ResponseOf } from '../../../../shared/api';
import { FIXTURE_NOW } from './fixtures';
import { failure, ok, type FakeHandlers } from './fake-transport';

type Source = ResponseOf<'metrics.sources'>['sources'][number];

/** 13:55 in Brussels: when the unreachable InfluxDB last answered. */
export const INFLUX_LAST_OK_AT = Date.UTC(2026, 10, 23, 12, 55, 0);
/** 14:01 in Brussels: when its queue last dropped a point. */
export const INFLUX_LAST_DROP_AT = Date.UTC(2026, 10, 23, 13, 1, 0);

export function embeddedSource(overrides: Partial<Source> = {}): Source {
  return {
    id: 'main',
    name: 'Embedded store',
    kind: 'embedded',
    state: 'connected',
    lastOkAt: FIXTURE_NOW - 5_000,
    lastError: null,
    clockSkewMs: 120,
    queuedPoints: 0,
    dropped: null,
    ...overrides,
  };
}

export function unreachableInflux(overrides: Partial<Source> = {}): Source {
  return {
    id: 'influx-dc2',
    name: 'InfluxDB DC2',
    kind: 'influxdb',
    state: 'unreachable',
    lastOkAt: INFLUX_LAST_OK_AT,
    lastError: {
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 10.0.0.7:8086',
      at: FIXTURE_NOW - 10_000,
    },
    clockSkewMs: 45_000,
    queuedPoints: 1_234,
    dropped: { count: 56, lastAt: INFLUX_LAST_DROP_AT },
    ...overrides,
  };
}

export function fixtureCatalog(request: RequestIn<'metrics.catalog'>): ResponseOf<'metrics.catalog'> {
  const measurements = ['system', 'vigie'];
  if (request.measurement !== 'vigie') return { measurements, fields: [], tagKeys: [] };
  return {
    measurements,
    fields: [
      { name: 'batteryCharge', type: 'float' },
      { name: 'latency', type: 'float' },
      { name: 'note', type: 'string' },
      { name: 'temperature', type: 'float' },
    ],
    tagKeys: ['kind', 'source', 'zone'],
  };
}

const TAG_VALUES: Readonly<Record<string, readonly string[]>> = {
  kind: ['service', 'ups'],
  source: ['api-a', 'ups-a1', 'web-b'],
  zone: ['a', 'b', 'witness'],
};

/** A frame every minute over the last five minutes of the range, with one gap. */
export function fixtureFrame(
  request: RequestIn<'metrics.query'>,
  tags: Record<string, string> = {},
): MetricFrame {
  const times = [4, 3, 2, 1, 0].map((minutes) => request.to - minutes * 60_000);
  return {
    name: request.field,
    tags,
    unit: request.field === 'latency' ? 'milliseconds' : 'percent',
    times,
    values: [120, 125, null, 131, 128],
  };
}

export function fixtureQueryResult(
  request: RequestIn<'metrics.query'>,
  overrides: Partial<ResponseOf<'metrics.query'>> = {},
): ResponseOf<'metrics.query'> {
  const groups = request.groupBy ?? [];
  const frames =
    groups.length === 0
      ? [fixtureFrame(request)]
      : (TAG_VALUES[groups[0] ?? ''] ?? []).map((value) =>
          fixtureFrame(request, { [groups[0] ?? '']: value }),
        );
  return {
    frames,
    truncated: false,
    queryText: `SELECT ${request.aggregation ?? 'mean'}("${request.field}") FROM "${request.measurement}" WHERE time >= ${request.from}ms AND time <= ${request.to}ms`,
    stepMs: 10_000,
    ...overrides,
  };
}

/** Handlers for every metrics channel; override any of them. */
export function metricHandlers(
  sources: readonly Source[] = [embeddedSource(), unreachableInflux()],
  overrides: FakeHandlers = {},
): FakeHandlers {
  return {
    'metrics.sources': () => ok({ sources: [...sources] }),
    'metrics.catalog': (request) =>
      sources.some((s) => s.id === request.source) ? ok(fixtureCatalog(request)) : failure('NOT_FOUND'),
    'metrics.tagValues': (request) => ok({ values: [...(TAG_VALUES[request.key] ?? [])] }),
    'metrics.query': (request) => ok(fixtureQueryResult(request)),
    ...overrides,
  };
}
