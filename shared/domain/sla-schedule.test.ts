import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { belgianPublicHolidayDates } from './belgian-holidays';
import {
  datesOfMonth,
  localDayPeriod,
  localMonthPeriod,
  scheduledIntervals,
  slaScheduleSchema,
  totalMs,
  type SlaSchedule,
} from './sla-schedule';

const HOUR = 3_600_000;
/** An instant written in UTC, to the minute. Brussels is UTC+1 in winter, UTC+2 in summer. */
const utc = (text: string): number => Date.parse(`${text}:00Z`);
const BXL = 'Europe/Brussels';

const officeHours: SlaSchedule = slaScheduleSchema.parse({
  kind: 'business-hours',
  hours: [{ weekdays: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' }],
  holidays: belgianPublicHolidayDates(2026),
});
const wholeDays = (weekdays: number[]): SlaSchedule =>
  slaScheduleSchema.parse({ kind: 'business-hours', hours: [{ weekdays, from: '00:00', to: '24:00' }] });

describe('slaScheduleSchema', () => {
  it('defaults the zone to Europe/Brussels and the holidays to none', () => {
    expect(slaScheduleSchema.parse({ kind: '24x7' })).toEqual({ kind: '24x7', timeZone: BXL });
    const parsed = slaScheduleSchema.parse({
      kind: 'business-hours',
      hours: [{ weekdays: [1], from: '08:00', to: '24:00' }],
    });
    expect(parsed).toMatchObject({ timeZone: BXL, holidays: [] });
  });

  it('refuses ranges that end before they start, bad times, unknown zones and stray fields', () => {
    const base = { kind: 'business-hours', hours: [{ weekdays: [1], from: '08:00', to: '18:00' }] };
    expect(slaScheduleSchema.safeParse(base).success).toBe(true);
    for (const bad of [
      { ...base, hours: [{ weekdays: [1], from: '18:00', to: '08:00' }] },
      { ...base, hours: [{ weekdays: [1], from: '08:00', to: '08:00' }] },
      { ...base, hours: [{ weekdays: [1], from: '24:00', to: '24:00' }] },
      { ...base, hours: [{ weekdays: [1], from: '8:00', to: '18:00' }] },
      { ...base, hours: [{ weekdays: [8], from: '08:00', to: '18:00' }] },
      { ...base, hours: [] },
      { ...base, holidays: ['2026-02-30'] },
      { ...base, timeZone: 'Mars/Olympus' },
      { ...base, extra: true },
      { kind: '24x7', holidays: [] },
    ])
      expect(slaScheduleSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});

describe('local periods', () => {
  it('gives the DST days of 2026 in Brussels 23 and 25 hours', () => {
    const spring = localDayPeriod({ year: 2026, month: 3, day: 29 }, BXL);
    expect(spring).toEqual({ from: utc('2026-03-28T23:00'), to: utc('2026-03-29T22:00') });
    expect(spring.to - spring.from).toBe(23 * HOUR);
    const autumn = localDayPeriod({ year: 2026, month: 10, day: 25 }, BXL);
    expect(autumn).toEqual({ from: utc('2026-10-24T22:00'), to: utc('2026-10-25T23:00') });
    expect(autumn.to - autumn.from).toBe(25 * HOUR);
  });

  it('cuts months at local midnight and tiles them with their days', () => {
    const march = localMonthPeriod(2026, 3, BXL);
    expect(march).toEqual({ from: utc('2026-02-28T23:00'), to: utc('2026-03-31T22:00') });
    expect(march.to - march.from).toBe((31 * 24 - 1) * HOUR);
    const december = localMonthPeriod(2026, 12, BXL);
    expect(december.to).toBe(utc('2026-12-31T23:00'));
    const days = datesOfMonth(2026, 3).map((d) => localDayPeriod(d, BXL));
    expect(days).toHaveLength(31);
    expect(days[0]?.from).toBe(march.from);
    expect(days[30]?.to).toBe(march.to);
    days.slice(1).forEach((d, i) => expect(d.from).toBe(days[i]?.to));
    expect(datesOfMonth(2028, 2)).toHaveLength(29);
    expect(datesOfMonth(2026, 2)).toHaveLength(28);
  });
});

describe('scheduledIntervals', () => {
  it('is the whole period for 24x7, and nothing for an empty period', () => {
    const schedule = slaScheduleSchema.parse({ kind: '24x7' });
    expect(scheduledIntervals(schedule, 10, 500)).toEqual([{ from: 10, to: 500 }]);
    expect(scheduledIntervals(schedule, 10, 10)).toEqual([]);
    expect(() => scheduledIntervals(schedule, 10, 5)).toThrow(RangeError);
    expect(() => scheduledIntervals(schedule, 0.5, 5)).toThrow(RangeError);
  });

  it('places Mon-Fri 07:00-19:00 in local time on both sides of the spring change', () => {
    // Friday 27 March (UTC+1) and Monday 30 March (UTC+2); the weekend in between has none.
    const got = scheduledIntervals(officeHours, utc('2026-03-27T00:00'), utc('2026-03-31T00:00'));
    expect(got).toEqual([
      { from: utc('2026-03-27T06:00'), to: utc('2026-03-27T18:00') },
      { from: utc('2026-03-30T05:00'), to: utc('2026-03-30T17:00') },
    ]);
  });

  it('clips business hours to the period', () => {
    const got = scheduledIntervals(officeHours, utc('2026-03-27T10:00'), utc('2026-03-30T06:30'));
    expect(got).toEqual([
      { from: utc('2026-03-27T10:00'), to: utc('2026-03-27T18:00') },
      { from: utc('2026-03-30T05:00'), to: utc('2026-03-30T06:30') },
    ]);
  });

  it('skips public holidays: May 2026 has 21 weekdays, 3 of them holidays, so 18 x 12 hours', () => {
    const may = localMonthPeriod(2026, 5, BXL);
    const got = scheduledIntervals(officeHours, may.from, may.to);
    expect(got).toHaveLength(18);
    expect(totalMs(got)).toBe(18 * 12 * HOUR);
    // Friday 1 May, Thursday 14 May (Ascension) and Monday 25 May (Whit Monday) are not there.
    for (const holiday of [utc('2026-05-01T10:00'), utc('2026-05-14T10:00'), utc('2026-05-25T10:00')])
      expect(got.some((i) => i.from <= holiday && holiday < i.to)).toBe(false);
    expect(got[0]).toEqual({ from: utc('2026-05-04T05:00'), to: utc('2026-05-04T17:00') });
  });

  it('makes 00:00-24:00 ranges 23 and 25 hours long on the DST Sundays, merged with their neighbours', () => {
    const sundays = wholeDays([7]);
    const spring = localDayPeriod({ year: 2026, month: 3, day: 29 }, BXL);
    expect(scheduledIntervals(sundays, spring.from - HOUR, spring.to + HOUR)).toEqual([spring]);
    const autumn = localDayPeriod({ year: 2026, month: 10, day: 25 }, BXL);
    expect(totalMs(scheduledIntervals(sundays, autumn.from, autumn.to))).toBe(25 * HOUR);
    // Saturday and Sunday touch at midnight: one interval.
    const weekend = scheduledIntervals(wholeDays([6, 7]), utc('2026-10-23T00:00'), utc('2026-10-27T00:00'));
    expect(weekend).toEqual([{ from: utc('2026-10-23T22:00'), to: utc('2026-10-25T23:00') }]);
  });

  it('drops the skipped hour and doubles the repeated one inside a range', () => {
    const night = slaScheduleSchema.parse({
      kind: 'business-hours',
      hours: [{ weekdays: [7], from: '02:00', to: '03:00' }],
    });
    // 29 March: 02:00-03:00 does not exist on the wall clock.
    expect(scheduledIntervals(night, utc('2026-03-28T00:00'), utc('2026-03-30T00:00'))).toEqual([]);
    // 25 October: from the first 02:00 (summer time) to 03:00 (winter time) is two real hours.
    expect(scheduledIntervals(night, utc('2026-10-24T00:00'), utc('2026-10-26T00:00'))).toEqual([
      { from: utc('2026-10-25T00:00'), to: utc('2026-10-25T02:00') },
    ]);
  });

  it('counts overlapping ranges once and reads hours in the schedule zone', () => {
    const overlapping = slaScheduleSchema.parse({
      kind: 'business-hours',
      timeZone: 'UTC',
      hours: [
        { weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '12:00' },
        { weekdays: [1], from: '10:00', to: '14:00' },
      ],
    });
    expect(scheduledIntervals(overlapping, utc('2026-03-02T00:00'), utc('2026-03-03T00:00'))).toEqual([
      { from: utc('2026-03-02T08:00'), to: utc('2026-03-02T14:00') },
    ]);
  });

  it('equals 24x7 when every day is scheduled 00:00-24:00 (property)', () => {
    const always = wholeDays([1, 2, 3, 4, 5, 6, 7]);
    const start = utc('2026-01-01T00:00');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 364 * 24 * 60 }),
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        (a, len) => {
          const from = start + a * 60_000;
          const to = from + len * 60_000;
          expect(scheduledIntervals(always, from, to)).toEqual(len === 0 ? [] : [{ from, to }]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('is the union of its pieces when a period is split anywhere (property)', () => {
    const start = utc('2026-03-20T00:00');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        (x, y, z) => {
          const [a, b, c] = [x, y, z].sort((p, q) => p - q).map((m) => start + (m ?? 0) * 60_000) as [
            number,
            number,
            number,
          ];
          const whole = scheduledIntervals(officeHours, a, c);
          const pieces = [...scheduledIntervals(officeHours, a, b), ...scheduledIntervals(officeHours, b, c)];
          expect(totalMs(pieces)).toBe(totalMs(whole));
          for (const i of whole) expect(i.to).toBeGreaterThan(i.from);
          whole.slice(1).forEach((i, k) => expect(i.from).toBeGreaterThan(whole[k]?.to ?? Infinity));
        },
      ),
      { numRuns: 50 },
    );
  });
});
