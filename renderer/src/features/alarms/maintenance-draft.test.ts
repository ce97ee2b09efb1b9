import { describe, expect, it } from 'vitest';
import { maintenanceWindow } from '../../lib/testing/maintenance-fixtures';
import { FIXTURE_NOW } from '../../lib/testing/fixtures';
import {
  buildSaveRequest,
  draftOf,
  fieldOfIssue,
  issuesByField,
  readWallInput,
  splitTags,
  wallInput,
  type MaintenanceDraft,
} from './maintenance-draft';

const BRUSSELS = 'Europe/Brussels';

function draft(overrides: Partial<MaintenanceDraft>): MaintenanceDraft {
  return { ...draftOf(null, FIXTURE_NOW, BRUSSELS), title: 'T', reason: 'R', zones: ['b'], ...overrides };
}

describe('the maintenance window draft', () => {
  it('reads one-off times in the operator’s zone, whatever the browser’s, across DST', () => {
    expect(readWallInput('2026-11-23T14:10', BRUSSELS)).toBe(Date.UTC(2026, 10, 23, 13, 10));
    expect(readWallInput('2026-07-01T14:10', BRUSSELS)).toBe(Date.UTC(2026, 6, 1, 12, 10));
    // 02:30 on the spring day does not exist in Brussels: it starts when the gap ends, 03:00 CEST.
    expect(readWallInput('2026-03-29T02:30', BRUSSELS)).toBe(Date.UTC(2026, 2, 29, 1, 0));
    // A browser that adds seconds.
    expect(readWallInput('2026-11-23T14:10:00', BRUSSELS)).toBe(Date.UTC(2026, 10, 23, 13, 10));
    expect(readWallInput('', BRUSSELS)).toBeNull();
    expect(readWallInput('2026-02-30T10:00', BRUSSELS)).toBeNull();
    expect(wallInput(Date.UTC(2026, 10, 23, 13, 10), 'America/New_York')).toBe('2026-11-23T08:10');
  });

  it('starts a new window on this minute for an hour, and holds a window being edited', () => {
    const blank = draftOf(null, FIXTURE_NOW + 42_000, BRUSSELS);
    expect(blank).toMatchObject({ from: '2026-11-23T14:10', to: '2026-11-23T15:10', weekdays: [1] });
    const edited = draftOf(
      maintenanceWindow({
        id: 'mw-1',
        reason: 'Yearly',
        scope: { devices: ['ups-b1'], services: [], zones: [], tags: ['role:db', 'rack/a-12'] },
        schedule: {
          kind: 'recurring',
          timeZone: 'UTC',
          freq: 'monthly',
          dayOfMonth: 31,
          startTime: '23:30',
          durationMinutes: 90,
          firstDate: '2026-01-01',
          lastDate: '2026-12-31',
        },
      }),
      FIXTURE_NOW,
      BRUSSELS,
    );
    expect(edited).toMatchObject({
      id: 'mw-1',
      kind: 'recurring',
      devices: ['ups-b1'],
      tags: 'role:db rack/a-12',
      timeZone: 'UTC',
      freq: 'monthly',
      dayOfMonth: '31',
      startTime: '23:30',
      duration: '90',
      lastDate: '2026-12-31',
    });
    const request = buildSaveRequest(edited, BRUSSELS);
    expect('request' in request && request.request.schedule).toEqual({
      kind: 'recurring',
      timeZone: 'UTC',
      freq: 'monthly',
      dayOfMonth: 31,
      startTime: '23:30',
      durationMinutes: 90,
      firstDate: '2026-01-01',
      lastDate: '2026-12-31',
    });
  });

  it('sends only the fields of the frequency, and refuses what the engine would', () => {
    const daily = buildSaveRequest(draft({ kind: 'recurring', freq: 'daily', dayOfMonth: '5' }), BRUSSELS);
    expect('request' in daily && daily.request.schedule).toEqual({
      kind: 'recurring',
      timeZone: BRUSSELS,
      freq: 'daily',
      startTime: '02:00',
      durationMinutes: 120,
      firstDate: '2026-11-23',
    });
    const bad = buildSaveRequest(
      draft({
        kind: 'recurring',
        freq: 'weekly',
        weekdays: [],
        timeZone: 'Mars/Olympus',
        startTime: '24:00',
        duration: '10081',
        lastDate: '2026-11-01',
      }),
      BRUSSELS,
    );
    expect('problems' in bad && Object.keys(bad.problems).sort()).toEqual([
      'duration',
      'lastDate',
      'startTime',
      'timeZone',
      'weekdays',
    ]);
    const monthly = buildSaveRequest(
      draft({ kind: 'recurring', freq: 'monthly', dayOfMonth: '32' }),
      BRUSSELS,
    );
    expect('problems' in monthly && Object.keys(monthly.problems)).toEqual(['dayOfMonth']);
  });

  it('takes tags separated by spaces or commas, each once, lower-case only', () => {
    expect(splitTags(' role:db, rack/a-12 role:db,,x ')).toEqual(['role:db', 'rack/a-12', 'x']);
    const request = buildSaveRequest(draft({ zones: [], tags: 'role:db' }), BRUSSELS);
    expect('request' in request && request.request.scope).toEqual({
      zones: [],
      devices: [],
      services: [],
      tags: ['role:db'],
    });
    const bad = buildSaveRequest(draft({ tags: 'Role:DB -x ok' }), BRUSSELS);
    expect('problems' in bad && bad.problems.tags).toEqual({
      key: 'maintenance.error.tags',
      params: { tags: 'Role:DB -x' },
    });
  });

  it('puts the engine’s issues at their fields', () => {
    expect(fieldOfIssue('schedule.durationMinutes')).toBe('duration');
    expect(fieldOfIssue('scope.tags.3')).toBe('tags');
    expect(fieldOfIssue('scope')).toBe('scope');
    expect(fieldOfIssue('schedule')).toBeNull();
    expect(fieldOfIssue('(request)')).toBeNull();
    expect(fieldOfIssue('schedule.constructor')).toBeNull();
    expect(
      issuesByField({
        code: 'VALIDATION',
        message: 'invalid',
        correlationId: 'c',
        issues: [
          { path: 'schedule.to', message: 'one' },
          { path: 'schedule.to', message: 'two' },
          { path: 'x', message: 'elsewhere' },
        ],
      }),
    ).toEqual({ to: 'one; two' });
    expect(issuesByField({ code: 'CONFLICT', message: 'x', correlationId: 'c' })).toEqual({});
  });
});
