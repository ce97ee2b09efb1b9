/**
 * Maintenance windows as the fake engine serves them to renderer tests: the replacement of UPS B1
 * (once, running now: 14:00–15:00 on 23 November 2026, Brussels), the database patching of
 * Tuesdays and Thursdays (recurring, 02:00 for two hours, next on Tuesday 24 November) and last
 * week's cabling in zone A (over). Listed with the running and next occurrence worked out by the
 * same pure rules as the engine's.
 */
import type { MaintenanceEntry } from '../../../../shared/api';
import {
  activeOccurrence,
  occurrences,
  type MaintenanceWindow,
} from '../../../../shared/domain/maintenance-window';
import { ok, type FakeHandlers } from './fake-transport';
import { FIXTURE_NOW } from './fixtures';

const MINUTE = 60_000;
const DAY = 86_400_000;

export function maintenanceWindow(
  overrides: Partial<MaintenanceWindow> & Pick<MaintenanceWindow, 'id'>,
): MaintenanceWindow {
  return {
    title: `Window ${overrides.id}`,
    reason: '',
    scope: { devices: [], services: [], zones: [], tags: [] },
    schedule: { kind: 'once', from: FIXTURE_NOW, to: FIXTURE_NOW + 60 * MINUTE },
    createdBy: 'day-seat',
    createdAt: FIXTURE_NOW - DAY,
    ...overrides,
  };
}

/** A window as `maintenance.list` lists it at `now`. */
export function maintenanceEntry(window: MaintenanceWindow, now: number = FIXTURE_NOW): MaintenanceEntry {
  const active = activeOccurrence(window, now);
  const next = occurrences(window, now, now + 366 * DAY).find((o) => o.from > now) ?? null;
  return {
    window,
    activeNow: active === null ? null : { from: active.from, to: active.to },
    next: next === null ? null : { from: next.from, to: next.to },
  };
}

export function fixtureMaintenanceWindows(): MaintenanceWindow[] {
  return [
    maintenanceWindow({
      id: 'mw-db-patch',
      title: 'Database patching',
      reason: 'Monthly security patches, rolling',
      scope: { devices: [], services: ['web-b'], zones: [], tags: ['role:db'] },
      schedule: {
        kind: 'recurring',
        timeZone: 'Europe/Brussels',
        freq: 'weekly',
        weekdays: [2, 4],
        startTime: '02:00',
        durationMinutes: 120,
        firstDate: '2026-11-01',
      },
    }),
    maintenanceWindow({
      id: 'mw-old-cabling',
      title: 'Cabling zone A',
      scope: { devices: [], services: [], zones: ['a'], tags: [] },
      schedule: { kind: 'once', from: FIXTURE_NOW - 7 * DAY, to: FIXTURE_NOW - 7 * DAY + 3 * 60 * MINUTE },
    }),
    maintenanceWindow({
      id: 'mw-ups-b1',
      title: 'UPS B1 battery replacement',
      reason: 'Batteries past end of life (ticket FAC-118)',
      scope: { devices: ['ups-b1'], services: [], zones: [], tags: [] },
      // 14:00–15:00 in Brussels.
      schedule: { kind: 'once', from: FIXTURE_NOW - 10 * MINUTE, to: FIXTURE_NOW + 50 * MINUTE },
    }),
  ];
}

export function maintenanceList(
  windows: MaintenanceWindow[] = fixtureMaintenanceWindows(),
  now = FIXTURE_NOW,
) {
  return { windows: windows.map((w) => maintenanceEntry(w, now)) };
}

/** `maintenance.list` over `windows` (a test may change the array). */
export function maintenanceHandlers(
  windows: MaintenanceWindow[] = fixtureMaintenanceWindows(),
): FakeHandlers {
  return { 'maintenance.list': () => ok(maintenanceList(windows)) };
}
