/** Dashboards for renderer tests: an in-memory engine store behind the fake transport's handlers. */
import type { DashboardSummary, RequestIn, ResponseOf } from '../../../../shared/api';
import { parseDashboardDocument, type Dashboard } from '../../../../shared/domain/dashboard';
import { failure, ok, type FakeHandlers } from './fake-transport';
import { FIXTURE_NOW } from './fixtures';

export function fixtureDashboard(overrides: Partial<Dashboard> = {}): Dashboard {
  return {
    schemaVersion: 2,
    id: 'ops-room',
    title: 'Operations room',
    description: '',
    time: { kind: 'relative', preset: '1h' },
    refreshSeconds: 30,
    panels: [
      {
        id: 'latency',
        title: 'API latency',
        kind: 'timeseries',
        series: [
          {
            source: 'main',
            measurement: 'vigie',
            field: 'latency',
            where: [{ key: 'source', op: '=', value: 'api-a' }],
            groupBy: [],
            aggregation: 'mean',
          },
        ],
        layout: { x: 0, y: 0, w: 6, h: 4 },
      },
      {
        id: 'battery',
        title: 'UPS battery',
        kind: 'timeseries',
        series: [
          {
            source: 'main',
            measurement: 'vigie',
            field: 'batteryCharge',
            where: [],
            groupBy: ['zone'],
            aggregation: 'min',
          },
        ],
        layout: { x: 6, y: 0, w: 6, h: 4 },
      },
    ],
    ...overrides,
  };
}

export function zoneDashboard(): Dashboard {
  return fixtureDashboard({
    id: 'auto-zone-a',
    title: 'Zone A',
    time: { kind: 'relative', preset: '6h' },
    panels: [
      {
        id: 'temperature',
        title: 'Temperatures',
        kind: 'timeseries',
        series: [
          {
            source: 'main',
            measurement: 'vigie',
            field: 'temperature',
            where: [{ key: 'zone', op: '=', value: 'a' }],
            groupBy: [],
            aggregation: 'max',
          },
        ],
        layout: { x: 0, y: 0, w: 12, h: 4 },
      },
    ],
  });
}

interface Stored {
  summary: DashboardSummary;
  dashboard: Dashboard;
}

export interface FakeDashboardStore {
  readonly handlers: FakeHandlers;
  readonly entries: Map<string, Stored>;
  list(): ResponseOf<'dashboards.list'>;
  /** Makes someone else's save: bumps the revision behind the console's back. */
  saveElsewhere(dashboard: Dashboard, by: string): void;
}

/** An engine-like store: auto dashboards are read-only, saves check the base revision. */
export function createDashboardStore(): FakeDashboardStore {
  const entries = new Map<string, Stored>();
  entries.set('auto-zone-a', {
    summary: {
      id: 'auto-zone-a',
      title: 'Zone A',
      origin: 'auto',
      revision: 0,
      updatedAt: null,
      updatedBy: null,
    },
    dashboard: zoneDashboard(),
  });
  entries.set('ops-room', {
    summary: {
      id: 'ops-room',
      title: 'Operations room',
      origin: 'user',
      revision: 3,
      updatedAt: FIXTURE_NOW - 3_600_000,
      updatedBy: 'marie',
    },
    dashboard: fixtureDashboard(),
  });
  const list = () => ({ dashboards: [...entries.values()].map((e) => e.summary) });

  function put(dashboard: Dashboard, by: string): Stored {
    const previous = entries.get(dashboard.id);
    const stored: Stored = {
      summary: {
        id: dashboard.id,
        title: dashboard.title,
        origin: 'user',
        revision: (previous?.summary.revision ?? 0) + 1,
        updatedAt: FIXTURE_NOW,
        updatedBy: by,
      },
      dashboard,
    };
    entries.set(dashboard.id, stored);
    return stored;
  }

  const handlers: FakeHandlers = {
    'dashboards.list': () => ok(list()),
    'dashboards.get': ({ id }) => {
      const entry = entries.get(id);
      return entry ? ok({ summary: entry.summary, dashboard: entry.dashboard }) : failure('NOT_FOUND');
    },
    'dashboards.save': (request: RequestIn<'dashboards.save'>) => {
      const parsed = parseDashboardDocument(request.dashboard);
      if (!parsed.ok) return failure('VALIDATION', parsed.issues[0]?.message ?? 'invalid');
      const current = entries.get(parsed.dashboard.id);
      if (current?.summary.origin === 'auto') return failure('FORBIDDEN', 'auto dashboards are read-only');
      if (current && current.summary.revision !== request.baseRevision)
        return failure('CONFLICT', `revision ${current.summary.revision} is newer`, 'corr-conflict');
      const stored = put(parsed.dashboard, 'jan');
      return ok({ summary: stored.summary, dashboard: stored.dashboard });
    },
    'dashboards.delete': ({ id }) => {
      entries.delete(id);
      return ok({ id });
    },
    'dashboards.import': ({ json }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(json);
      } catch {
        return ok({ ok: false, issues: [{ path: '(document)', message: 'not JSON' }] });
      }
      const parsed = parseDashboardDocument(raw);
      return ok(
        parsed.ok ? { ok: true, dashboard: parsed.dashboard, migratedFrom: parsed.migratedFrom } : parsed,
      );
    },
    'dashboards.export': ({ id }) => {
      const entry = entries.get(id);
      return entry
        ? ok({ fileName: `vigie-dashboard-${id}.json`, json: JSON.stringify(entry.dashboard, null, 2) })
        : failure('NOT_FOUND');
    },
  };

  return {
    handlers,
    entries,
    list,
    saveElsewhere: (dashboard, by) => void put(dashboard, by),
  };
}
