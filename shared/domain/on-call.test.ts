import { describe, expect, it } from 'vitest';
import {
  ON_CALL_LOOKAHEAD_MS,
  onCallAt,
  onCallScheduleSchema,
  onCallTimeline,
  scheduleIssues,
  type OnCallSchedule,
  type OnCallSegment,
} from './on-call';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An instant written in UTC, to the minute: `utc('2026-03-29T01:00')`. Brussels is UTC+1 in winter. */
const utc = (text: string): number => Date.parse(`${text}:00Z`);

function schedule(input: unknown): OnCallSchedule {
  return onCallScheduleSchema.parse(input);
}

/** Checks what every timeline owes the UI, then returns it. */
function timeline(s: OnCallSchedule, from: number, to: number): OnCallSegment[] {
  const segments = onCallTimeline(s, from, to);
  expect(segments[0]?.from).toBe(from);
  expect(segments.at(-1)?.to).toBe(to);
  segments.forEach((segment, i) => {
    expect(segment.to).toBeGreaterThan(segment.from);
    const next = segments[i + 1];
    if (next === undefined) return;
    expect(next.from).toBe(segment.to);
    const same =
      next.person === segment.person &&
      next.rotationId === segment.rotationId &&
      next.override === segment.override;
    expect(same).toBe(false);
  });
  return segments;
}

/** Monday 2 March 2026, 08:00 in Brussels: alice, then bob, then carol, a week each. */
const weekly = schedule({
  id: 'ops',
  name: 'Operations',
  timeZone: 'Europe/Brussels',
  rotations: [
    {
      id: 'primary',
      start: '2026-03-02T08:00',
      shift: { unit: 'days', count: 7 },
      members: ['alice', 'bob', 'carol'],
    },
  ],
});

describe('onCallAt with a weekly rotation of three people', () => {
  it('is nobody before the rotation starts', () => {
    expect(onCallAt(weekly, utc('2026-03-02T06:59'))).toBeNull();
  });

  it('hands over every Monday at 08:00 local, in turn, and says until when', () => {
    expect(onCallAt(weekly, utc('2026-03-02T07:00'))).toEqual({
      person: 'alice',
      rotationId: 'primary',
      override: false,
      until: utc('2026-03-09T07:00'),
    });
    expect(onCallAt(weekly, utc('2026-03-09T06:59'))?.person).toBe('alice');
    expect(onCallAt(weekly, utc('2026-03-09T07:00'))?.person).toBe('bob');
    expect(onCallAt(weekly, utc('2026-03-18T03:00'))?.person).toBe('carol');
    expect(onCallAt(weekly, utc('2026-03-25T12:00'))?.person).toBe('alice');
  });

  it('hands over at 08:00 local after the spring change too: a week of 167 hours', () => {
    const before = onCallAt(weekly, utc('2026-03-23T07:00'));
    expect(before).toMatchObject({ person: 'alice', until: utc('2026-03-30T06:00') });
    expect((before?.until ?? 0) - utc('2026-03-23T07:00')).toBe(167 * HOUR);
    expect(onCallAt(weekly, utc('2026-03-30T05:59'))?.person).toBe('alice');
    expect(onCallAt(weekly, utc('2026-03-30T06:00'))?.person).toBe('bob');
  });

  it('finds the shift from the date alone, years after the start', () => {
    // Monday 14 January 2030 is 202 weeks after the start: 202 % 3 = 1, bob.
    expect(onCallAt(weekly, utc('2030-01-14T06:59'))?.person).toBe('alice');
    expect(onCallAt(weekly, utc('2030-01-14T07:00'))).toMatchObject({
      person: 'bob',
      until: utc('2030-01-21T07:00'),
    });
  });
});

describe('daily and hourly hand-offs across DST', () => {
  it('hands a daily rotation over at 08:00 local before and after the autumn change (a 25-hour shift)', () => {
    const daily = schedule({
      id: 'daily',
      name: 'Daily',
      timeZone: 'Europe/Brussels',
      rotations: [
        { id: 'day', start: '2026-10-20T08:00', shift: { unit: 'days', count: 1 }, members: ['x', 'y'] },
      ],
    });
    expect(timeline(daily, utc('2026-10-24T00:00'), utc('2026-10-27T00:00'))).toEqual([
      {
        from: utc('2026-10-24T00:00'),
        to: utc('2026-10-24T06:00'),
        person: 'y',
        rotationId: 'day',
        override: false,
      },
      {
        from: utc('2026-10-24T06:00'),
        to: utc('2026-10-25T07:00'),
        person: 'x',
        rotationId: 'day',
        override: false,
      },
      {
        from: utc('2026-10-25T07:00'),
        to: utc('2026-10-26T07:00'),
        person: 'y',
        rotationId: 'day',
        override: false,
      },
      {
        from: utc('2026-10-26T07:00'),
        to: utc('2026-10-27T00:00'),
        person: 'x',
        rotationId: 'day',
        override: false,
      },
    ]);
  });

  it('hands an hourly rotation over every 12 real hours across the spring change (20:00, then 09:00 local)', () => {
    const twelve = schedule({
      id: 'twelve',
      name: 'Twelve hours',
      timeZone: 'Europe/Brussels',
      rotations: [
        { id: 'half', start: '2026-03-28T20:00', shift: { unit: 'hours', count: 12 }, members: ['a', 'b'] },
      ],
    });
    expect(
      timeline(twelve, utc('2026-03-28T19:00'), utc('2026-03-30T07:00')).map((s) => [s.from, s.person]),
    ).toEqual([
      [utc('2026-03-28T19:00'), 'a'],
      [utc('2026-03-29T07:00'), 'b'],
      [utc('2026-03-29T19:00'), 'a'],
    ]);
  });

  it('hands over at the end of the gap when the start time does not exist that day', () => {
    const early = schedule({
      id: 'early',
      name: 'Early',
      timeZone: 'Europe/Brussels',
      rotations: [
        { id: 'r', start: '2026-03-27T02:30', shift: { unit: 'days', count: 1 }, members: ['a', 'b'] },
      ],
    });
    expect(onCallAt(early, utc('2026-03-28T02:00'))).toMatchObject({
      person: 'b',
      until: utc('2026-03-29T01:00'),
    });
    expect(onCallAt(early, utc('2026-03-29T01:00'))).toMatchObject({
      person: 'a',
      until: utc('2026-03-30T00:30'),
    });
  });
});

describe('layers and restrictions', () => {
  /**
   * alice and bob by week all day; nora and oscar by night (18:00-08:00 local, handing over at
   * 18:00 every day from Monday 2 March); pat and quinn by weekend (Saturday 00:00 to Monday 00:00).
   */
  const layered = schedule({
    id: 'layered',
    name: 'Layered',
    timeZone: 'Europe/Brussels',
    rotations: [
      {
        id: 'primary',
        start: '2026-03-02T08:00',
        shift: { unit: 'days', count: 7 },
        members: ['alice', 'bob'],
      },
      {
        id: 'nights',
        start: '2026-03-02T18:00',
        shift: { unit: 'days', count: 1 },
        members: ['nora', 'oscar'],
        restrict: { weekdays: [1, 2, 3, 4, 5, 6, 7], from: '18:00', to: '08:00' },
      },
      {
        id: 'weekend',
        start: '2026-03-07T00:00',
        shift: { unit: 'days', count: 7 },
        members: ['pat', 'quinn'],
        restrict: { weekdays: [6, 7], from: '00:00', to: '00:00' },
      },
    ],
  });

  it('lets a night layer above the day layer take over from 18:00 to 08:00 local', () => {
    // Wednesday 11 March: bob's week; night shift 9 (from Monday 2 March) is oscar's.
    expect(onCallAt(layered, utc('2026-03-11T11:00'))).toEqual({
      person: 'bob',
      rotationId: 'primary',
      override: false,
      until: utc('2026-03-11T17:00'),
    });
    expect(onCallAt(layered, utc('2026-03-11T21:00'))).toEqual({
      person: 'oscar',
      rotationId: 'nights',
      override: false,
      until: utc('2026-03-12T07:00'),
    });
  });

  it('puts the weekend layer above both, day and night', () => {
    // The second weekend of the weekend layer: quinn's.
    expect(onCallAt(layered, utc('2026-03-14T11:00'))).toMatchObject({
      person: 'quinn',
      rotationId: 'weekend',
    });
    expect(onCallAt(layered, utc('2026-03-14T22:00'))).toMatchObject({
      person: 'quinn',
      rotationId: 'weekend',
    });
    // Friday night (night shift 11) belongs to the night layer until the weekend begins at Saturday 00:00 local.
    expect(onCallAt(layered, utc('2026-03-13T21:00'))).toMatchObject({
      person: 'oscar',
      rotationId: 'nights',
      until: utc('2026-03-13T23:00'),
    });
    // The weekend ends at Monday 00:00 local: the night layer (shift 13) covers until 08:00.
    expect(timeline(layered, utc('2026-03-15T22:00'), utc('2026-03-16T09:00'))).toEqual([
      {
        from: utc('2026-03-15T22:00'),
        to: utc('2026-03-15T23:00'),
        person: 'quinn',
        rotationId: 'weekend',
        override: false,
      },
      {
        from: utc('2026-03-15T23:00'),
        to: utc('2026-03-16T07:00'),
        person: 'oscar',
        rotationId: 'nights',
        override: false,
      },
      {
        from: utc('2026-03-16T07:00'),
        to: utc('2026-03-16T09:00'),
        person: 'alice',
        rotationId: 'primary',
        override: false,
      },
    ]);
  });

  it('is nobody, and says so, where no layer covers the hour', () => {
    const officeHours = schedule({
      id: 'office',
      name: 'Office hours',
      timeZone: 'Europe/Brussels',
      rotations: [
        {
          id: 'business',
          start: '2026-03-02T08:00',
          shift: { unit: 'days', count: 7 },
          members: ['alice', 'bob'],
          restrict: { weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
        },
      ],
    });
    expect(onCallAt(officeHours, utc('2026-03-11T18:00'))).toBeNull();
    expect(onCallAt(officeHours, utc('2026-03-14T11:00'))).toBeNull();
    expect(timeline(officeHours, utc('2026-03-13T00:00'), utc('2026-03-17T00:00'))).toEqual([
      {
        from: utc('2026-03-13T00:00'),
        to: utc('2026-03-13T07:00'),
        person: null,
        rotationId: null,
        override: false,
      },
      {
        from: utc('2026-03-13T07:00'),
        to: utc('2026-03-13T17:00'),
        person: 'bob',
        rotationId: 'business',
        override: false,
      },
      {
        from: utc('2026-03-13T17:00'),
        to: utc('2026-03-16T07:00'),
        person: null,
        rotationId: null,
        override: false,
      },
      {
        from: utc('2026-03-16T07:00'),
        to: utc('2026-03-16T17:00'),
        person: 'alice',
        rotationId: 'business',
        override: false,
      },
      {
        from: utc('2026-03-16T17:00'),
        to: utc('2026-03-17T00:00'),
        person: null,
        rotationId: null,
        override: false,
      },
    ]);
  });

  it('keeps an overnight restriction at 18:00-08:00 local across the spring change', () => {
    const onlyNights = schedule({ ...layered, rotations: [layered.rotations[1]] });
    expect(
      timeline(onlyNights, utc('2026-03-28T12:00'), utc('2026-03-30T12:00')).filter((s) => s.person !== null),
    ).toEqual([
      // Night shift 26, Saturday 18:00 CET to Sunday 08:00 CEST: 13 real hours.
      {
        from: utc('2026-03-28T17:00'),
        to: utc('2026-03-29T06:00'),
        person: 'nora',
        rotationId: 'nights',
        override: false,
      },
      {
        from: utc('2026-03-29T16:00'),
        to: utc('2026-03-30T06:00'),
        person: 'oscar',
        rotationId: 'nights',
        override: false,
      },
    ]);
  });
});

describe('overrides', () => {
  const withOverrides = schedule({
    ...weekly,
    overrides: [
      {
        from: utc('2026-03-04T10:00'),
        to: utc('2026-03-04T14:00'),
        person: 'dave',
        reason: 'alice at the dentist',
      },
      { from: utc('2026-03-04T11:00'), to: utc('2026-03-04T12:00'), person: 'erin' },
    ],
  });

  it('puts the override person on call in the middle of a shift, then gives the shift back', () => {
    expect(onCallAt(withOverrides, utc('2026-03-04T09:00'))).toMatchObject({
      person: 'alice',
      until: utc('2026-03-04T10:00'),
    });
    expect(onCallAt(withOverrides, utc('2026-03-04T10:00'))).toEqual({
      person: 'dave',
      rotationId: null,
      override: true,
      until: utc('2026-03-04T11:00'),
    });
    expect(onCallAt(withOverrides, utc('2026-03-04T14:00'))).toMatchObject({
      person: 'alice',
      rotationId: 'primary',
      until: utc('2026-03-09T07:00'),
    });
  });

  it('lets the latest-starting of overlapping overrides win, and the earlier one resume after it', () => {
    expect(timeline(withOverrides, utc('2026-03-04T09:00'), utc('2026-03-04T15:00'))).toEqual([
      {
        from: utc('2026-03-04T09:00'),
        to: utc('2026-03-04T10:00'),
        person: 'alice',
        rotationId: 'primary',
        override: false,
      },
      {
        from: utc('2026-03-04T10:00'),
        to: utc('2026-03-04T11:00'),
        person: 'dave',
        rotationId: null,
        override: true,
      },
      {
        from: utc('2026-03-04T11:00'),
        to: utc('2026-03-04T12:00'),
        person: 'erin',
        rotationId: null,
        override: true,
      },
      {
        from: utc('2026-03-04T12:00'),
        to: utc('2026-03-04T14:00'),
        person: 'dave',
        rotationId: null,
        override: true,
      },
      {
        from: utc('2026-03-04T14:00'),
        to: utc('2026-03-04T15:00'),
        person: 'alice',
        rotationId: 'primary',
        override: false,
      },
    ]);
  });

  it('covers an hour no rotation covers', () => {
    const early = schedule({
      ...weekly,
      overrides: [{ from: utc('2026-03-01T12:00'), to: utc('2026-03-02T07:00'), person: 'dave' }],
    });
    expect(onCallAt(early, utc('2026-03-01T12:00'))).toMatchObject({
      person: 'dave',
      until: utc('2026-03-02T07:00'),
    });
  });
});

describe('onCallTimeline', () => {
  it('merges hand-offs to the same person and bounds onCallAt.until by the look-ahead', () => {
    const solo = schedule({
      id: 'solo',
      name: 'Solo',
      timeZone: 'UTC',
      rotations: [
        { id: 'r', start: '2026-01-01T00:00', shift: { unit: 'hours', count: 1 }, members: ['sam'] },
      ],
    });
    expect(timeline(solo, utc('2026-02-01T00:00'), utc('2026-03-01T00:00'))).toHaveLength(1);
    const at = utc('2026-02-01T00:30');
    expect(onCallAt(solo, at)?.until).toBe(at + ON_CALL_LOOKAHEAD_MS);
  });

  it('is empty for an empty period and refuses a reversed or over-long one', () => {
    expect(onCallTimeline(weekly, utc('2026-03-04T00:00'), utc('2026-03-04T00:00'))).toEqual([]);
    expect(() => onCallTimeline(weekly, utc('2026-03-04T00:00'), utc('2026-03-03T00:00'))).toThrow(
      RangeError,
    );
    expect(() =>
      onCallTimeline(weekly, utc('2026-01-01T00:00'), utc('2026-01-01T00:00') + 401 * DAY),
    ).toThrow(RangeError);
  });

  it('shows a month of the weekly rotation as one segment a week, nobody before it starts', () => {
    const segments = timeline(weekly, utc('2026-03-01T00:00'), utc('2026-04-01T00:00'));
    expect(segments.map((s) => s.person)).toEqual([null, 'alice', 'bob', 'carol', 'alice', 'bob']);
  });
});

describe('onCallScheduleSchema', () => {
  const valid = {
    id: 'ops',
    name: 'Operations',
    timeZone: 'Europe/Brussels',
    rotations: [
      { id: 'r', start: '2026-03-02T08:00', shift: { unit: 'days', count: 7 }, members: ['alice'] },
    ],
  };
  const rotation = valid.rotations[0];

  it('defaults the overrides to none', () => {
    expect(onCallScheduleSchema.parse(valid).overrides).toEqual([]);
  });

  it.each([
    ['an unknown zone', { ...valid, timeZone: 'Europe/Atlantis' }],
    ['no rotation', { ...valid, rotations: [] }],
    ['a start that is not a date', { ...valid, rotations: [{ ...rotation, start: '2026-02-30T08:00' }] }],
    ['a start with an offset', { ...valid, rotations: [{ ...rotation, start: '2026-03-02T08:00Z' }] }],
    ['a zero-length shift', { ...valid, rotations: [{ ...rotation, shift: { unit: 'days', count: 0 } }] }],
    ['a shift of weeks', { ...valid, rotations: [{ ...rotation, shift: { unit: 'weeks', count: 1 } }] }],
    ['no members', { ...valid, rotations: [{ ...rotation, members: [] }] }],
    [
      'a weekday 8',
      { ...valid, rotations: [{ ...rotation, restrict: { weekdays: [8], from: '18:00', to: '08:00' } }] },
    ],
    [
      'a restriction at 24:00',
      { ...valid, rotations: [{ ...rotation, restrict: { weekdays: [1], from: '18:00', to: '24:00' } }] },
    ],
    ['two rotations with one id', { ...valid, rotations: [rotation, rotation] }],
    ['an override ending at its start', { ...valid, overrides: [{ from: 1000, to: 1000, person: 'alice' }] }],
    ['an override in seconds', { ...valid, overrides: [{ from: 1.5, to: 1000, person: 'alice' }] }],
    ['an extra field', { ...valid, owner: 'alice' }],
  ])('refuses %s', (_name, input) => {
    expect(onCallScheduleSchema.safeParse(input).success).toBe(false);
  });
});

describe('scheduleIssues', () => {
  it('names the members and override persons nobody knows, with their paths', () => {
    const s = schedule({
      ...weekly,
      overrides: [
        { from: 0, to: 10, person: 'alice' },
        { from: 5, to: 15, person: 'mallory' },
      ],
    });
    expect(scheduleIssues(s, new Set(['alice', 'carol']))).toEqual([
      { path: ['rotations', 0, 'members', 1], message: 'unknown person "bob"' },
      { path: ['overrides', 1, 'person'], message: 'unknown person "mallory"' },
    ]);
    expect(scheduleIssues(s, new Set(['alice', 'bob', 'carol', 'mallory']))).toEqual([]);
  });
});
