/**
 * The whole engine in-process on the training estate, over real loopback SNMP and HTTP: every
 * tile gets a fresh value, the zone A power failure is seen through the real poller, and
 * `restore` ends it. Polling is sped up (1 s) so the test waits on events, not on time.
 */
import { testContext } from '../../electron/engine/test-support/call-context';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '../../shared/api';
import { configSchema } from '../../electron/engine/config/schema';
import { startEngine, type Engine } from '../../electron/engine/engine';
import { testLogger } from '../support/test-logger';

let engine: Engine;
let dataDir = '';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-engine-'));
  const config = configSchema.parse({
    estate: true,
    polling: { deviceIntervalSeconds: 1, serviceIntervalSeconds: 1, timeoutMs: 1500 },
  });
  engine = await startEngine({ config, dataDir, version: 'test', logger: testLogger('engine-estate') });
});
afterAll(async () => {
  await engine?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves with the first overview (current or pushed) that satisfies `predicate`. */
function until(predicate: (o: Overview) => boolean, timeoutMs = 30_000): Promise<Overview> {
  return new Promise((resolve, reject) => {
    if (predicate(engine.overview())) {
      resolve(engine.overview());
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `condition not met within ${timeoutMs} ms; last overview:\n${JSON.stringify(engine.overview().tiles.map((t) => [t.id, t.status, t.condition]))}`,
        ),
      );
    }, timeoutMs);
    const off = engine.onEvent((event, payload) => {
      if (event === 'overview.changed' && predicate(payload as Overview)) {
        clearTimeout(timer);
        off();
        resolve(payload as Overview);
      }
    });
  });
}

const ctx = testContext(['operator'], 'test');

describe('the engine on the training estate', () => {
  it('polls every device and service of the three sites to a fresh, known state', async () => {
    const o = await until((x) => x.tiles.every((t) => !t.stale && t.primary !== null));
    expect(o.zones.map((z) => z.id)).toEqual(['zone-a', 'zone-b', 'witness']);
    expect(o.tiles.filter((t) => t.kind === 'ups')).toHaveLength(6);
    expect(o.tiles.filter((t) => t.kind === 'service').length).toBeGreaterThanOrEqual(13);
    for (const t of o.tiles.filter((x) => x.kind === 'ups'))
      expect(t.primary).toMatchObject({ key: 'batteryCharge', unit: 'percent' });
    for (const t of o.tiles.filter((x) => x.kind === 'sensor')) expect(t.primary?.value).toBeGreaterThan(10);
    expect(o.training).toBe(true);
  });

  it('sees the zone A power failure through SNMP and HTTP, and its end after restore', async () => {
    await until((x) =>
      x.tiles
        .filter((t) => t.kind === 'switch')
        .every((t) => typeof t.primary?.value === 'number' && t.primary.value > 0),
    );
    await engine.handlers['estate.runScenario']({ id: 'zone-a-power-failure' }, ctx);
    const failing = await until((x) =>
      x.tiles
        .filter((t) => t.zoneId === 'zone-a' && t.kind === 'ups')
        .every((t) => t.condition === 'onBattery' || t.condition === 'batteryLow'),
    );
    expect(
      failing.tiles
        .filter((t) => t.zoneId === 'zone-b' && t.kind === 'ups')
        .every((t) => t.condition === 'ok'),
    ).toBe(true);
    await until((x) =>
      x.tiles
        .filter((t) => t.zoneId === 'zone-a' && t.kind === 'service')
        .some((t) => t.status === 'degraded' || t.status === 'down'),
    );
    const scenarios = await engine.handlers['estate.scenarios']({}, ctx);
    expect(scenarios.active?.id).toBe('zone-a-power-failure');

    await engine.handlers['estate.runScenario']({ id: 'restore' }, ctx);
    await until((x) =>
      x.tiles.filter((t) => t.zoneId === 'zone-a' && t.kind === 'ups').every((t) => t.condition === 'ok'),
    );
  });

  it('serves the history of what it stored, gaps as null, never zeros', async () => {
    const tile = engine.overview().tiles.find((t) => t.id === 'a-ups-1');
    expect(tile?.lastSampleAt).not.toBeNull();
    const frame = await engine.handlers['tiles.history'](
      { tileId: 'a-ups-1', reading: 'batteryCharge', from: 0, to: Date.now(), maxPoints: 100 },
      ctx,
    );
    expect(frame.unit).toBe('percent');
    expect(frame.times.length).toBeGreaterThan(3);
    expect(frame.times).toEqual([...frame.times].sort((a, b) => a - b));
  });

  it('writes what it collects to the embedded metric store, readable as chart frames', async () => {
    const sources = await engine.handlers['metrics.sources']({}, ctx);
    expect(sources.sources).toEqual([expect.objectContaining({ id: 'main', kind: 'embedded' })]);
    const query = () =>
      engine.handlers['metrics.query'](
        {
          source: 'main',
          measurement: 'vigie',
          field: 'batteryCharge',
          where: [{ key: 'source', op: '=', value: 'a-ups-1' }],
          groupBy: [],
          aggregation: 'raw',
          from: 0,
          to: Date.now() + 1000,
          widthPx: 800,
        },
        ctx,
      );
    // The queue flushes about once a second: wait on the store, not on a timer.
    let frames = (await query()).frames;
    for (let i = 0; i < 100 && !(frames[0]?.values.some((v) => v !== null) ?? false); i++) {
      await new Promise<void>((resolve) => {
        const off = engine.onEvent((event) => {
          if (event === 'overview.changed') {
            off();
            resolve();
          }
        });
      });
      frames = (await query()).frames;
    }
    expect(frames).toHaveLength(1);
    expect(frames[0]?.values.some((v) => typeof v === 'number' && v > 0 && v <= 100)).toBe(true);
    const catalog = await engine.handlers['metrics.catalog']({ source: 'main', measurement: 'vigie' }, ctx);
    expect(catalog.measurements).toContain('vigie');
    expect(catalog.tagKeys).toEqual(expect.arrayContaining(['source', 'zone', 'kind']));
    expect(catalog.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['batteryCharge', 'latency', 'temperature']),
    );
  });

  it('refuses an unknown scenario with NOT_FOUND', async () => {
    await expect(engine.handlers['estate.runScenario']({ id: 'meteor-strike' }, ctx)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
