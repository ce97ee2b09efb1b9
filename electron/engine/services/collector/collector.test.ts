import { describe, expect, it } from 'vitest';
import { EnvFileSecretResolver } from '../../adapters/secrets/env-file-secret-resolver';
import { configSchema } from '../../config/schema';
import { UPS } from '../../mibs/oids';
import type { Clock } from '../../ports/clock';
import type { HttpProbe } from '../../ports/http-probe';
import { silentLogger } from '../../ports/logger';
import type { MetricPoint } from '../../ports/metric-store';
import type { SnmpClient, SnmpVarbind } from '../../ports/snmp-client';
import type { Sample, SourceState, StateStore } from '../../ports/state-store';
import { UpstreamError } from '../../ports/upstream-error';
import { Collector } from './collector';

const config = configSchema.parse({
  inventory: {
    zones: [{ id: 'zone-a', name: 'Zone A', kind: 'primary' }],
    devices: [
      {
        id: 'a-ups-1',
        zone: 'zone-a',
        name: 'UPS 1',
        kind: 'ups',
        address: '127.0.0.1',
        snmp: { version: '2c', community: 'x' },
      },
    ],
    services: [{ id: 'a-api', zone: 'zone-a', name: 'API', url: 'http://127.0.0.1:1/health' }],
  },
});

const clock: Clock = { now: () => 1_000_000, setTimeout: () => () => undefined };

function memoryStore(): StateStore & { samples: Sample[]; states: SourceState[] } {
  const samples: Sample[] = [];
  const states: SourceState[] = [];
  return {
    samples,
    states,
    commitPoll: (s, st) => {
      samples.push(...s);
      states.push(...st);
      return Promise.resolve();
    },
    loadStates: () => Promise.resolve([]),
    history: () => Promise.resolve({ times: [], values: [] }),
    close: () => Promise.resolve(),
  };
}

const upsAnswer = (oids: readonly string[]): SnmpVarbind[] =>
  oids.map((oid) => ({
    oid,
    value:
      oid === UPS.estimatedChargeRemaining
        ? { type: 'integer', value: 87 }
        : oid === UPS.outputSource
          ? { type: 'integer', value: 5 }
          : { type: 'integer', value: 2 },
  }));

const http: HttpProbe = {
  check: () => Promise.resolve({ statusCode: 200, latencyMs: 42, serverDate: null }),
};

function collector(snmp: SnmpClient, store = memoryStore(), points: MetricPoint[] = []) {
  const c = new Collector({
    inventory: config.inventory,
    polling: config.polling,
    snmp,
    secrets: new EnvFileSecretResolver({}),
    http,
    store,
    clock,
    logger: silentLogger,
    metrics: {
      enqueue: (p) => {
        points.push(...p);
        return Promise.resolve();
      },
    },
  });
  return { c, store, points };
}

const device = { kind: 'device' as const, def: config.inventory.devices[0]!, intervalMs: 10_000 };

describe('Collector', () => {
  it('commits a device poll, then hands its readings on as one metric point', async () => {
    const snmp: SnmpClient = {
      get: (_t, oids) => Promise.resolve(upsAnswer(oids)),
      subtree: () => Promise.resolve([]),
      walkColumns: (_t, columns) => Promise.resolve(columns.map(() => [])),
      close: () => Promise.resolve(),
    };
    const { c, store, points } = collector(snmp);
    await c.pollOnce(device);
    expect(store.states[0]).toMatchObject({
      sourceId: 'a-ups-1',
      status: 'degraded',
      condition: 'onBattery',
      lastSampleAt: 1_000_000,
    });
    expect(store.samples.find((s) => s.reading === 'batteryCharge')?.value).toBe(87);
    expect(points).toEqual([
      expect.objectContaining({
        measurement: 'vigie',
        tags: { source: 'a-ups-1', zone: 'zone-a', kind: 'ups' },
        time: 1_000_000,
      }),
    ]);
    expect(points[0]?.fields.batteryCharge).toBe(87);
  });

  it('retries once, then marks a silent device unreachable keeping its last values and writing no sample', async () => {
    let calls = 0;
    let fail = false;
    const snmp: SnmpClient = {
      get: (_t, oids) => {
        calls += 1;
        return fail
          ? Promise.reject(new UpstreamError('snmp:x', 'TIMEOUT', 'no answer'))
          : Promise.resolve(upsAnswer(oids));
      },
      subtree: () => Promise.resolve([]),
      walkColumns: (_t, columns) => Promise.resolve(columns.map(() => [])),
      close: () => Promise.resolve(),
    };
    const { c, store } = collector(snmp);
    await c.pollOnce(device);
    fail = true;
    calls = 0;
    const before = store.samples.length;
    await c.pollOnce(device);
    expect(calls).toBe(2);
    expect(store.samples.length).toBe(before);
    expect(store.states.at(-1)).toMatchObject({
      status: 'unknown',
      condition: 'unreachable',
      lastSampleAt: 1_000_000,
      lastError: { code: 'TIMEOUT' },
    });
    expect(store.states.at(-1)?.readings.length).toBeGreaterThan(0);
  });

  it('judges a service from its probe and records its latency', async () => {
    const snmp: SnmpClient = {
      get: () => Promise.resolve([]),
      subtree: () => Promise.resolve([]),
      walkColumns: (_t, columns) => Promise.resolve(columns.map(() => [])),
      close: () => Promise.resolve(),
    };
    const { c, store, points } = collector(snmp);
    await c.pollOnce({ kind: 'service', def: config.inventory.services[0]!, intervalMs: 5000 });
    expect(store.states[0]).toMatchObject({ sourceId: 'a-api', status: 'up', condition: 'ok' });
    expect(points[0]).toMatchObject({ tags: { source: 'a-api', kind: 'service' }, fields: { latency: 42 } });
  });
});
