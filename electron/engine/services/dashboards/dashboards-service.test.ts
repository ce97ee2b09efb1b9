import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardSchema, type Dashboard } from '../../../../shared/domain/dashboard';
import { DuckDbStateStore } from '../../adapters/duckdb/duckdb-state-store';
import { configSchema } from '../../config/schema';
import type { Clock } from '../../ports/clock';
import { autoDashboards } from './auto-dashboards';
import { DashboardsService } from './dashboards-service';

const inventory = configSchema.parse({
  inventory: {
    zones: [
      { id: 'zone-a', name: 'Zone A', kind: 'primary' },
      { id: 'zone-b', name: 'Zone B', kind: 'primary' },
    ],
    devices: [
      {
        id: 'a-ups-1',
        zone: 'zone-a',
        name: 'UPS 1',
        kind: 'ups',
        address: 'h',
        snmp: { version: '2c', community: 'c' },
      },
    ],
    services: [
      { id: 'a-api', zone: 'zone-a', name: 'API gateway', url: 'http://127.0.0.1:1/h' },
      { id: 'b-api', zone: 'zone-b', name: 'API gateway', url: 'http://127.0.0.1:2/h' },
    ],
  },
}).inventory;

const clock: Clock = { now: () => 5_000, setTimeout: () => () => undefined };
const operator = { seat: 'ws#1', role: 'operator' };
const doc = (title = 'Night shift') => ({
  schemaVersion: 1,
  id: 'night-shift',
  title,
  panels: [
    {
      id: 'latency',
      title: 'Latency',
      kind: 'timeseries',
      series: [{ source: 'main', measurement: 'vigie', field: 'latency' }],
      layout: { x: 0, y: 0, w: 12, h: 4 },
    },
  ],
});

let store: DuckDbStateStore;
let service: DashboardsService;
beforeEach(async () => {
  store = await DuckDbStateStore.open(':memory:');
  service = new DashboardsService(inventory, store, store, clock);
});
afterEach(async () => {
  await store.close();
});

describe('autoDashboards', () => {
  it('builds a valid dashboard per zone and per service across zones', () => {
    const list = autoDashboards(inventory);
    expect(list.map((d) => d.id)).toEqual([
      'auto-zone-zone-a',
      'auto-zone-zone-b',
      'auto-service-api-gateway',
    ]);
    for (const d of list) expect(dashboardSchema.safeParse(d).success).toBe(true);
    const service = list.find((d) => d.id === 'auto-service-api-gateway');
    expect(service?.panels[0]?.series.map((s) => s.where[0]?.value)).toEqual(['a-api', 'b-api']);
    // Zone A has a UPS: its battery panel filters on the zone and the kind.
    expect(list[0]?.panels[0]?.series[0]?.where).toEqual([
      { key: 'zone', op: '=', value: 'zone-a' },
      { key: 'kind', op: '=', value: 'ups' },
    ]);
  });
});

describe('DashboardsService', () => {
  it('saves a new dashboard, audits it first, and lists it beside the built-in ones', async () => {
    const changes: number[] = [];
    service.onChange((l) => changes.push(l.length));
    const saved = await service.save(doc(), undefined, operator);
    expect(saved.summary).toEqual({
      id: 'night-shift',
      title: 'Night shift',
      origin: 'user',
      revision: 1,
      updatedAt: 5_000,
      updatedBy: 'ws#1',
    });
    expect((await store.list(5))[0]).toMatchObject({
      action: 'dashboards.save',
      target: 'night-shift',
      actor: 'ws#1',
    });
    expect((await service.list()).map((d) => `${d.origin}:${d.id}`)).toContain('user:night-shift');
    expect(changes).toEqual([4]);
  });

  it('refuses a save based on an old revision, so two editors never overwrite each other', async () => {
    await service.save(doc(), undefined, operator);
    await service.save(doc('Renamed'), 1, operator);
    await expect(service.save(doc('Stale edit'), 1, operator)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.save(doc('Duplicate'), undefined, operator)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect((await service.get('night-shift')).dashboard.title).toBe('Renamed');
  });

  it('names the field of an invalid dashboard', async () => {
    await expect(
      service.save({ ...doc(), panels: [{ id: 'x' }] }, undefined, operator),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/panels\.0\./) as unknown,
    });
  });

  it('keeps built-in dashboards read-only', async () => {
    await expect(
      service.save({ ...doc(), id: 'auto-zone-zone-a' }, undefined, operator),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.delete('auto-zone-zone-a', operator)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('exports JSON that imports back to the same dashboard', async () => {
    await service.save(doc(), undefined, operator);
    const { fileName, json } = await service.exportJson('night-shift');
    expect(fileName).toBe('vigie-dashboard-night-shift.json');
    const back = service.importJson(json);
    expect(back.ok && back.dashboard).toEqual((await service.get('night-shift')).dashboard);
  });

  it('imports a version 1 file as Vigie 0.1 exported it, migrated to the current version', () => {
    const json = readFileSync(
      new URL('../../../../test/fixtures/dashboards/night-shift-v1.json', import.meta.url),
      'utf8',
    );
    const parsed = service.importJson(json);
    expect(parsed).toMatchObject({
      ok: true,
      migratedFrom: 1,
      dashboard: {
        schemaVersion: 2,
        id: 'night-shift',
        time: { kind: 'relative', preset: '24h' },
        refreshSeconds: 60,
        panels: [{ id: 'ups-battery' }, { id: 'latency', series: [{ aggregation: 'p95', label: 'p95' }] }],
      },
    });
  });

  it('still reads dashboards the table holds in version 1, migrated on read, and saves them as version 2', async () => {
    // A row as Vigie 0.1 wrote it: the document JSON in version 1.
    const v1 = JSON.parse(
      readFileSync(
        new URL('../../../../test/fixtures/dashboards/night-shift-v1.json', import.meta.url),
        'utf8',
      ),
    ) as Dashboard;
    await store.saveDashboard(v1, undefined, 'ws#0', 1_000);
    const read = await service.get('night-shift');
    expect(read.summary.revision).toBe(1);
    expect(read.dashboard.time).toEqual({ kind: 'relative', preset: '24h' });
    expect((await service.list()).map((d) => d.id)).toContain('night-shift');
    const saved = await service.save(
      { ...read.dashboard, time: { kind: 'absolute', from: '2024-03-10T13:00:00Z', to: 1_710_084_600_000 } },
      1,
      operator,
    );
    expect(saved.dashboard.time).toEqual({
      kind: 'absolute',
      from: 1_710_075_600_000,
      to: 1_710_084_600_000,
    });
    const { json } = await service.exportJson('night-shift');
    expect(JSON.parse(json)).toMatchObject({
      schemaVersion: 2,
      time: { kind: 'absolute', from: 1_710_075_600_000, to: 1_710_084_600_000 },
    });
  });

  it('refuses to import what is not JSON, a future version, or a prototype-polluting key', () => {
    expect(service.importJson('{')).toMatchObject({ ok: false, issues: [{ path: '(document)' }] });
    expect(service.importJson(JSON.stringify({ ...doc(), schemaVersion: 9 }))).toMatchObject({
      ok: false,
      issues: [{ path: 'schemaVersion', message: expect.stringMatching(/newer Vigie/) as unknown }],
    });
    expect(
      service.importJson('{"schemaVersion":1,"__proto__":{"polluted":true},"id":"x","title":"x","panels":[]}')
        .ok,
    ).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deletes a user dashboard after auditing it, and says when there is none', async () => {
    await service.save(doc(), undefined, operator);
    await service.delete('night-shift', operator);
    await expect(service.get('night-shift')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.delete('night-shift', operator)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await store.list(1))[0]?.action).toBe('dashboards.delete');
  });
});
