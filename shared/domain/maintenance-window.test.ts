import { describe, expect, it } from 'vitest';
import {
  activeOccurrence,
  activeWindowsFor,
  inScope,
  maintenanceScheduleSchema,
  maintenanceScopeSchema,
  maintenanceWindowSchema,
  occurrences,
  type MaintenanceSchedule,
  type MaintenanceWindow,
} from './maintenance-window';

const DAY = 86_400_000;
/** An instant written in UTC, to the minute: `utc('2026-03-29T01:00')`. Brussels is UTC+1 in winter. */
const utc = (text: string): number => Date.parse(`${text}:00Z`);

function window(schedule: unknown, scope: unknown = { devices: ['a-ups-1'] }): MaintenanceWindow {
  return maintenanceWindowSchema.parse({
    id: 'w',
    title: 'UPS battery replacement',
    scope,
    schedule,
    createdBy: 'alice',
    createdAt: utc('2026-01-01T00:00'),
  });
}

const recurring = {
  kind: 'recurring',
  timeZone: 'Europe/Brussels',
  startTime: '02:00',
  durationMinutes: 120,
  firstDate: '2026-01-01',
} as const;

describe('occurrences', () => {
  it('lists a one-off window when it meets the period, whole, and nothing otherwise', () => {
    const once = window({ kind: 'once', from: utc('2026-03-10T20:00'), to: utc('2026-03-10T23:00') });
    const whole = [{ from: utc('2026-03-10T20:00'), to: utc('2026-03-10T23:00') }];
    expect(occurrences(once, utc('2026-03-10T00:00'), utc('2026-03-11T00:00'))).toEqual(whole);
    expect(occurrences(once, utc('2026-03-10T22:00'), utc('2026-03-10T22:30'))).toEqual(whole);
    expect(occurrences(once, utc('2026-03-10T23:00'), utc('2026-03-11T00:00'))).toEqual([]);
    expect(occurrences(once, utc('2026-03-10T00:00'), utc('2026-03-10T20:00'))).toEqual([]);
  });

  it('starts a daily 02:00 window at 03:00 on 29 March 2026, when 02:00 does not exist, for its full two hours', () => {
    const daily = window({ ...recurring, freq: 'daily' });
    expect(occurrences(daily, utc('2026-03-27T00:00'), utc('2026-03-31T00:00'))).toEqual([
      { from: utc('2026-03-27T01:00'), to: utc('2026-03-27T03:00') },
      { from: utc('2026-03-28T01:00'), to: utc('2026-03-28T03:00') },
      { from: utc('2026-03-29T01:00'), to: utc('2026-03-29T03:00') }, // 03:00 to 05:00 summer time
      { from: utc('2026-03-30T00:00'), to: utc('2026-03-30T02:00') }, // 02:00 summer time again
    ]);
  });

  it('starts a daily 02:00 window at the first 02:00 on 25 October 2026', () => {
    const daily = window({ ...recurring, freq: 'daily' });
    expect(occurrences(daily, utc('2026-10-24T12:00'), utc('2026-10-26T12:00'))).toEqual([
      { from: utc('2026-10-25T00:00'), to: utc('2026-10-25T02:00') },
      { from: utc('2026-10-26T01:00'), to: utc('2026-10-26T03:00') },
    ]);
  });

  it('repeats a weekly window on Tuesdays and Thursdays only', () => {
    const weekly = window({
      ...recurring,
      freq: 'weekly',
      weekdays: [2, 4],
      startTime: '22:00',
      durationMinutes: 60,
    });
    expect(occurrences(weekly, utc('2026-03-09T00:00'), utc('2026-03-23T00:00'))).toEqual([
      { from: utc('2026-03-10T21:00'), to: utc('2026-03-10T22:00') },
      { from: utc('2026-03-12T21:00'), to: utc('2026-03-12T22:00') },
      { from: utc('2026-03-17T21:00'), to: utc('2026-03-17T22:00') },
      { from: utc('2026-03-19T21:00'), to: utc('2026-03-19T22:00') },
    ]);
  });

  it('skips the months without a 31st for a monthly window on the 31st', () => {
    const monthly = window({ ...recurring, freq: 'monthly', dayOfMonth: 31, startTime: '01:00' });
    const starts = occurrences(monthly, utc('2026-01-01T00:00'), utc('2027-01-01T00:00')).map((o) => o.from);
    expect(starts).toEqual([
      utc('2026-01-31T00:00'),
      utc('2026-03-30T23:00'), // 31 March 01:00 summer time
      utc('2026-05-30T23:00'),
      utc('2026-07-30T23:00'),
      utc('2026-08-30T23:00'),
      utc('2026-10-31T00:00'), // winter time again
      utc('2026-12-31T00:00'),
    ]);
  });

  it('starts on firstDate and stops after lastDate, both local dates', () => {
    const bounded = window({ ...recurring, freq: 'daily', firstDate: '2026-03-10', lastDate: '2026-03-12' });
    expect(occurrences(bounded, utc('2026-03-01T00:00'), utc('2026-04-01T00:00')).map((o) => o.from)).toEqual(
      [utc('2026-03-10T01:00'), utc('2026-03-11T01:00'), utc('2026-03-12T01:00')],
    );
  });

  it('includes an occurrence that began before the period and still runs in it', () => {
    const weekLong = window({
      ...recurring,
      freq: 'weekly',
      weekdays: [6],
      startTime: '00:00',
      durationMinutes: 10_080,
    });
    expect(occurrences(weekLong, utc('2026-03-13T12:00'), utc('2026-03-13T13:00'))).toEqual([
      { from: utc('2026-03-06T23:00'), to: utc('2026-03-13T23:00') },
    ]);
  });

  it('is empty for an empty period and refuses a reversed or over-long one', () => {
    const daily = window({ ...recurring, freq: 'daily' });
    expect(occurrences(daily, utc('2026-03-10T01:30'), utc('2026-03-10T01:30'))).toEqual([]);
    expect(() => occurrences(daily, utc('2026-03-10T00:00'), utc('2026-03-09T00:00'))).toThrow(RangeError);
    expect(() => occurrences(daily, utc('2026-01-01T00:00'), utc('2026-01-01T00:00') + 401 * DAY)).toThrow(
      RangeError,
    );
    expect(() => occurrences(daily, Number.NaN, utc('2026-01-01T00:00'))).toThrow(RangeError);
    expect(occurrences(daily, utc('2026-01-01T00:00'), utc('2026-01-01T00:00') + 400 * DAY)).toHaveLength(
      400,
    );
  });
});

describe('activeOccurrence', () => {
  const nightly = window({ ...recurring, freq: 'daily', startTime: '23:00', durationMinutes: 180 });

  it('finds the occurrence that started the day before and is still running', () => {
    // Wednesday 11 March 01:30 local: the window opened on Tuesday at 23:00.
    expect(activeOccurrence(nightly, utc('2026-03-11T00:30'))).toEqual({
      from: utc('2026-03-10T22:00'),
      to: utc('2026-03-11T01:00'),
    });
  });

  it('includes the start and excludes the end', () => {
    expect(activeOccurrence(nightly, utc('2026-03-10T22:00'))?.from).toBe(utc('2026-03-10T22:00'));
    expect(activeOccurrence(nightly, utc('2026-03-11T01:00'))).toBeNull();
    expect(activeOccurrence(nightly, utc('2026-03-11T12:00'))).toBeNull();
  });

  it('keeps the one ending last where long occurrences overlap', () => {
    const overlapping = window({ ...recurring, freq: 'daily', startTime: '00:00', durationMinutes: 2_880 });
    expect(activeOccurrence(overlapping, utc('2026-03-11T12:00'))).toEqual({
      from: utc('2026-03-10T23:00'),
      to: utc('2026-03-12T23:00'),
    });
  });
});

describe('inScope', () => {
  const scope = maintenanceScopeSchema.parse({ zones: ['zone-a'], tags: ['role:db'] });

  it('matches a subject by its zone', () => {
    expect(inScope(scope, { deviceId: 'a-ups-1', zoneId: 'zone-a' })).toBe(true);
    expect(inScope(scope, { deviceId: 'b-ups-1', zoneId: 'zone-b' })).toBe(false);
    expect(inScope(scope, { serviceId: 'portal', zoneId: null })).toBe(false);
  });

  it('matches a subject that shares any tag', () => {
    expect(inScope(scope, { serviceId: 'orders-db', tags: ['tier:1', 'role:db'] })).toBe(true);
    expect(inScope(scope, { serviceId: 'portal', tags: ['role:web'] })).toBe(false);
    expect(inScope(scope, { serviceId: 'portal', tags: [] })).toBe(false);
  });

  it('matches listed devices and services, and nothing for an empty subject', () => {
    const listed = maintenanceScopeSchema.parse({ devices: ['a-ups-1'], services: ['portal'] });
    expect(inScope(listed, { deviceId: 'a-ups-1' })).toBe(true);
    expect(inScope(listed, { serviceId: 'portal' })).toBe(true);
    expect(inScope(listed, { deviceId: 'portal' })).toBe(false);
    expect(inScope(listed, {})).toBe(false);
  });
});

describe('activeWindowsFor', () => {
  it('keeps the windows that cover the subject and are running now, in order', () => {
    const tonight: MaintenanceSchedule = {
      kind: 'once',
      from: utc('2026-03-10T20:00'),
      to: utc('2026-03-10T23:00'),
    };
    const tomorrow: MaintenanceSchedule = {
      kind: 'once',
      from: utc('2026-03-11T20:00'),
      to: utc('2026-03-11T23:00'),
    };
    const windows = [
      { ...window(tonight, { zones: ['zone-a'] }), id: 'zone-a-tonight' },
      { ...window(tomorrow, { zones: ['zone-a'] }), id: 'zone-a-tomorrow' },
      { ...window(tonight, { zones: ['zone-b'] }), id: 'zone-b-tonight' },
      { ...window(tonight, { tags: ['role:db'] }), id: 'databases-tonight' },
    ];
    const subject = { deviceId: 'a-db-1', zoneId: 'zone-a', tags: ['role:db'] };
    expect(activeWindowsFor(windows, subject, utc('2026-03-10T21:00')).map((w) => w.id)).toEqual([
      'zone-a-tonight',
      'databases-tonight',
    ]);
    expect(activeWindowsFor(windows, subject, utc('2026-03-10T23:00'))).toEqual([]);
  });
});

describe('maintenance schemas', () => {
  it('defaults the reason and the empty scope lists', () => {
    const parsed = window({ kind: 'once', from: 0, to: 1 }, { tags: ['role:db'] });
    expect(parsed.reason).toBe('');
    expect(parsed.scope).toEqual({ devices: [], services: [], zones: [], tags: ['role:db'] });
  });

  it.each([
    ['a one-off ending before it starts', { kind: 'once', from: 2000, to: 1000 }],
    ['a one-off ending at its start', { kind: 'once', from: 1000, to: 1000 }],
    ['a one-off in ISO text', { kind: 'once', from: '2026-03-10T20:00Z', to: '2026-03-10T23:00Z' }],
    ['an unknown kind', { kind: 'sometimes', from: 0, to: 1 }],
    ['an unknown freq', { ...recurring, freq: 'hourly' }],
    ['a start at 24:00', { ...recurring, freq: 'daily', startTime: '24:00' }],
    ['a start without its leading zero', { ...recurring, freq: 'daily', startTime: '2:00' }],
    ['a start at minute 60', { ...recurring, freq: 'daily', startTime: '02:60' }],
    ['a weekly window without weekdays', { ...recurring, freq: 'weekly' }],
    ['a weekly window with no weekday', { ...recurring, freq: 'weekly', weekdays: [] }],
    ['a weekly window on day 0', { ...recurring, freq: 'weekly', weekdays: [0] }],
    ['a weekly window listing Monday twice', { ...recurring, freq: 'weekly', weekdays: [1, 1] }],
    ['a daily window with weekdays', { ...recurring, freq: 'daily', weekdays: [1] }],
    ['a monthly window without its day', { ...recurring, freq: 'monthly' }],
    ['a monthly window on the 32nd', { ...recurring, freq: 'monthly', dayOfMonth: 32 }],
    [
      'a weekly window with a day of the month',
      { ...recurring, freq: 'weekly', weekdays: [1], dayOfMonth: 1 },
    ],
    ['a zero duration', { ...recurring, freq: 'daily', durationMinutes: 0 }],
    ['a duration over a week', { ...recurring, freq: 'daily', durationMinutes: 10_081 }],
    ['an unknown zone', { ...recurring, freq: 'daily', timeZone: 'Europe/Atlantis' }],
    ['a first date that is not a date', { ...recurring, freq: 'daily', firstDate: '2026-02-30' }],
    ['a last date before the first', { ...recurring, freq: 'daily', lastDate: '2025-12-31' }],
    ['an extra field', { ...recurring, freq: 'daily', every: 2 }],
  ])('refuses %s', (_name, schedule) => {
    expect(maintenanceScheduleSchema.safeParse(schedule).success).toBe(false);
  });

  it('refuses an empty scope, naming what it needs', () => {
    const result = maintenanceScopeSchema.safeParse({ devices: [], tags: [] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/device, service, zone or tag/);
  });

  it('refuses a window without its author or with an upper-case device id', () => {
    const valid = {
      id: 'w',
      title: 'x',
      scope: { devices: ['a-ups-1'] },
      schedule: { kind: 'once', from: 0, to: 1 },
      createdBy: 'alice',
      createdAt: 0,
    };
    expect(maintenanceWindowSchema.safeParse(valid).success).toBe(true);
    expect(maintenanceWindowSchema.safeParse({ ...valid, createdBy: '' }).success).toBe(false);
    expect(maintenanceWindowSchema.safeParse({ ...valid, scope: { devices: ['A-UPS-1'] } }).success).toBe(
      false,
    );
  });
});
