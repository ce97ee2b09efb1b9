/**
 * Pure edits of a dashboard document: create, rename, set its time, add a panel where the
 * 12-column grid has room, remove one, and pick a free id for a copy. The engine validates again on save.
 */
import {
  DASHBOARD_SCHEMA_VERSION,
  DEFAULT_DASHBOARD_TIME,
  type Dashboard,
  type DashboardTime,
  type Panel,
  type PanelSeries,
} from '../../../../shared/domain/dashboard';

export const GRID_COLUMNS = 12;
const ID_MAX = 63;

/** `Salle B: UPS` → `salle-b-ups` (the document id pattern: lower-case letters, digits, dashes). */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? 'dashboard' : slug;
}

/** `id`, or `id-2`, `id-3` ... the first that none of `taken` uses. */
export function freeId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${id.slice(0, ID_MAX - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function newDashboard(title: string, taken: ReadonlySet<string>): Dashboard {
  return {
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    id: freeId(slugify(title), taken),
    title: title.trim(),
    description: '',
    time: DEFAULT_DASHBOARD_TIME,
    refreshSeconds: 30,
    panels: [],
  };
}

/** The period the dashboard opens on: a preset that follows the clock, or a fixed one. */
export function setDashboardTime(dashboard: Dashboard, time: DashboardTime): Dashboard {
  return { ...dashboard, time };
}

export function renameDashboard(dashboard: Dashboard, title: string): Dashboard {
  return { ...dashboard, title: title.trim() };
}

type Layout = Panel['layout'];

function overlaps(a: Layout, b: Layout): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The first place, row by row, where a `w`×`h` panel overlaps no other. */
export function freePlace(panels: readonly Pick<Panel, 'layout'>[], w: number, h: number): Layout {
  const width = Math.min(GRID_COLUMNS, Math.max(1, w));
  for (let y = 0; ; y += 1)
    for (let x = 0; x + width <= GRID_COLUMNS; x += 1) {
      const candidate = { x, y, w: width, h };
      if (!panels.some((p) => overlaps(p.layout, candidate))) return candidate;
    }
}

export interface NewPanel {
  readonly title: string;
  readonly series: readonly PanelSeries[];
}

export function addPanel(dashboard: Dashboard, panel: NewPanel): Dashboard {
  const ids = new Set(dashboard.panels.map((p) => p.id));
  let n = dashboard.panels.length + 1;
  while (ids.has(`panel-${n}`)) n += 1;
  return {
    ...dashboard,
    panels: [
      ...dashboard.panels,
      {
        id: `panel-${n}`,
        title: panel.title.trim(),
        kind: 'timeseries',
        series: [...panel.series],
        layout: freePlace(dashboard.panels, 6, 4),
      },
    ],
  };
}

export function removePanel(dashboard: Dashboard, panelId: string): Dashboard {
  return { ...dashboard, panels: dashboard.panels.filter((p) => p.id !== panelId) };
}
