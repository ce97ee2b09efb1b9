import { describe, expect, it } from 'vitest';
import {
  DASHBOARD_SCHEMA_VERSION,
  parseDashboardDocument,
  resolveDashboardTime,
  sameDashboardTime,
} from './dashboard';

const panel = {
  id: 'latency',
  title: 'Latency',
  kind: 'timeseries',
  series: [{ source: 'main', measurement: 'vigie', field: 'latency' }],
  layout: { x: 0, y: 0, w: 12, h: 4 },
};
const v1 = (extra: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  id: 'night-shift',
  title: 'Night shift',
  panels: [panel],
  ...extra,
});
const v2 = (time: unknown) => ({
  schemaVersion: 2,
  id: 'incident',
  title: 'Incident',
  panels: [panel],
  time,
});

describe('parseDashboardDocument', () => {
  it('migrates a version 1 range preset to a relative time and says it did', () => {
    const parsed = parseDashboardDocument(v1({ range: '24h' }));
    expect(parsed).toMatchObject({
      ok: true,
      migratedFrom: 1,
      dashboard: { schemaVersion: DASHBOARD_SCHEMA_VERSION, time: { kind: 'relative', preset: '24h' } },
    });
    expect(parsed.ok && 'range' in parsed.dashboard).toBe(false);
  });

  it('gives a version 1 document without range the default it had (6 h)', () => {
    expect(parseDashboardDocument(v1())).toMatchObject({
      ok: true,
      dashboard: { time: { kind: 'relative', preset: '6h' } },
    });
  });

  it('names the version 1 field when its range cannot be carried over', () => {
    expect(parseDashboardDocument(v1({ range: '2h' }))).toEqual({
      ok: false,
      issues: [{ path: 'range', message: 'must be one of 15m, 1h, 6h, 24h, 7d, 30d' }],
    });
    expect(parseDashboardDocument(v1({ time: { kind: 'relative', preset: '1h' } }))).toMatchObject({
      ok: false,
      issues: [{ path: 'time' }],
    });
  });

  it('reads an absolute period in epoch milliseconds or ISO 8601 with an offset', () => {
    const from = Date.UTC(2024, 2, 10, 13, 0);
    const to = Date.UTC(2024, 2, 10, 15, 30);
    const expected = { ok: true, migratedFrom: null, dashboard: { time: { kind: 'absolute', from, to } } };
    expect(parseDashboardDocument(v2({ kind: 'absolute', from, to }))).toMatchObject(expected);
    expect(
      parseDashboardDocument(
        v2({ kind: 'absolute', from: '2024-03-10T14:00:00+01:00', to: '2024-03-10T15:30:00.000Z' }),
      ),
    ).toMatchObject(expected);
  });

  it('refuses an ISO time without its offset, an end before the start, and a range in version 2', () => {
    const local = parseDashboardDocument(v2({ kind: 'absolute', from: '2024-03-10T14:00', to: 1 }));
    expect(local.ok ? [] : local.issues.map((i) => i.path)).toContain('time.from');
    const backwards = parseDashboardDocument(v2({ kind: 'absolute', from: 2_000, to: 1_000 }));
    expect(backwards).toEqual({
      ok: false,
      issues: [{ path: 'time.to', message: '"to" must be after "from"' }],
    });
    const old = parseDashboardDocument({ ...v2({ kind: 'relative', preset: '1h' }), range: '1h' });
    expect(old.ok ? [] : old.issues).toEqual([
      {
        path: 'range',
        message:
          'unknown field: version 2 replaced "range" with "time" ({ "kind": "relative", "preset": ... })',
      },
    ]);
  });

  it('refuses a version from the future with the version it reads', () => {
    expect(parseDashboardDocument({ ...v1(), schemaVersion: 3 })).toEqual({
      ok: false,
      issues: [
        { path: 'schemaVersion', message: 'version 3 was written by a newer Vigie; this one reads up to 2' },
      ],
    });
  });
});

describe('dashboard time', () => {
  it('resolves a relative time to the preset ending now and an absolute one to itself', () => {
    expect(resolveDashboardTime({ kind: 'relative', preset: '1h' }, 10_000_000)).toEqual({
      from: 10_000_000 - 3_600_000,
      to: 10_000_000,
    });
    expect(resolveDashboardTime({ kind: 'absolute', from: 1, to: 2 }, 10_000_000)).toEqual({
      from: 1,
      to: 2,
    });
  });

  it('compares times by value', () => {
    expect(sameDashboardTime({ kind: 'relative', preset: '1h' }, { kind: 'relative', preset: '1h' })).toBe(
      true,
    );
    expect(
      sameDashboardTime({ kind: 'absolute', from: 1, to: 2 }, { kind: 'absolute', from: 1, to: 3 }),
    ).toBe(false);
    expect(sameDashboardTime({ kind: 'relative', preset: '1h' }, { kind: 'absolute', from: 1, to: 2 })).toBe(
      false,
    );
  });
});
