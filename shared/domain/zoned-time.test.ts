import { describe, expect, it } from 'vitest';
import {
  dateOfDayNumber,
  dayNumber,
  isValidTimeZone,
  parseLocalDate,
  parseLocalTime,
  parseWallTime,
  timeZoneSchema,
  weekdayOfDayNumber,
  zonedParts,
  zonedToUtc,
} from './zoned-time';

const BRUSSELS = 'Europe/Brussels';
/** An instant written in UTC, to the minute: `utc('2026-03-29T01:00')`. */
const utc = (text: string): number => Date.parse(`${text}:00Z`);
const wall = (year: number, month: number, day: number, hour: number, minute: number) => ({
  year,
  month,
  day,
  hour,
  minute,
});

describe('zonedParts', () => {
  it('reads the wall clock on both sides of the spring change in Brussels (29 March 2026)', () => {
    expect(zonedParts(utc('2026-03-29T00:59') + 59_000, BRUSSELS)).toEqual({
      ...wall(2026, 3, 29, 1, 59),
      second: 59,
      weekday: 7,
    });
    expect(zonedParts(utc('2026-03-29T01:00'), BRUSSELS)).toEqual({
      ...wall(2026, 3, 29, 3, 0),
      second: 0,
      weekday: 7,
    });
  });

  it('reads 02:30 twice on the autumn change in Brussels (25 October 2026)', () => {
    expect(zonedParts(utc('2026-10-25T00:30'), BRUSSELS)).toMatchObject(wall(2026, 10, 25, 2, 30));
    expect(zonedParts(utc('2026-10-25T01:30'), BRUSSELS)).toMatchObject(wall(2026, 10, 25, 2, 30));
  });

  it('numbers weekdays from 1 = Monday to 7 = Sunday, in the zone (not in UTC)', () => {
    // Sunday 23:30 UTC is already Monday in Brussels.
    expect(zonedParts(utc('2026-03-01T23:30'), BRUSSELS).weekday).toBe(1);
    expect(zonedParts(utc('2026-03-01T23:30'), 'UTC').weekday).toBe(7);
    expect(zonedParts(utc('2026-03-07T12:00'), BRUSSELS).weekday).toBe(6);
  });
});

describe('zonedToUtc', () => {
  it('maps ordinary wall times with the offset in force (winter +1 h, summer +2 h)', () => {
    expect(zonedToUtc(wall(2026, 1, 15, 8, 0), BRUSSELS)).toBe(utc('2026-01-15T07:00'));
    expect(zonedToUtc(wall(2026, 7, 15, 8, 0), BRUSSELS)).toBe(utc('2026-07-15T06:00'));
  });

  it('maps a wall time skipped in spring to the first instant after the gap (03:00 local)', () => {
    expect(zonedToUtc(wall(2026, 3, 29, 1, 59), BRUSSELS)).toBe(utc('2026-03-29T00:59'));
    expect(zonedToUtc(wall(2026, 3, 29, 2, 0), BRUSSELS)).toBe(utc('2026-03-29T01:00'));
    expect(zonedToUtc(wall(2026, 3, 29, 2, 30), BRUSSELS)).toBe(utc('2026-03-29T01:00'));
    expect(zonedToUtc(wall(2026, 3, 29, 2, 59), BRUSSELS)).toBe(utc('2026-03-29T01:00'));
    expect(zonedToUtc(wall(2026, 3, 29, 3, 0), BRUSSELS)).toBe(utc('2026-03-29T01:00'));
    expect(zonedToUtc(wall(2026, 3, 29, 3, 1), BRUSSELS)).toBe(utc('2026-03-29T01:01'));
  });

  it('maps a wall time that happens twice in autumn to its first occurrence (still summer time)', () => {
    expect(zonedToUtc(wall(2026, 10, 25, 1, 59), BRUSSELS)).toBe(utc('2026-10-24T23:59'));
    expect(zonedToUtc(wall(2026, 10, 25, 2, 0), BRUSSELS)).toBe(utc('2026-10-25T00:00'));
    expect(zonedToUtc(wall(2026, 10, 25, 2, 30), BRUSSELS)).toBe(utc('2026-10-25T00:30'));
    expect(zonedToUtc(wall(2026, 10, 25, 3, 0), BRUSSELS)).toBe(utc('2026-10-25T02:00'));
  });

  it('gives back every instant of both 2026 change days to the minute, the repeated hour as its first', () => {
    for (const day of ['2026-03-28T22:00', '2026-10-24T22:00'])
      for (let at = utc(day); at < utc(day) + 8 * 3_600_000; at += 60_000) {
        const back = zonedToUtc(zonedParts(at, BRUSSELS), BRUSSELS);
        const repeated = at >= utc('2026-10-25T01:00') && at < utc('2026-10-25T02:00');
        expect(back).toBe(repeated ? at - 3_600_000 : at);
      }
  });

  it('handles other zones and a half-hour change (New York, Lord Howe Island)', () => {
    expect(zonedToUtc(wall(2026, 3, 8, 2, 30), 'America/New_York')).toBe(utc('2026-03-08T07:00'));
    expect(zonedToUtc(wall(2026, 11, 1, 1, 30), 'America/New_York')).toBe(utc('2026-11-01T05:30'));
    // Lord Howe moves from +10:30 to +11:00 at 02:00 local on 4 October 2026: 02:15 does not exist.
    expect(zonedToUtc(wall(2026, 10, 4, 2, 15), 'Australia/Lord_Howe')).toBe(utc('2026-10-03T15:30'));
    expect(zonedToUtc(wall(2026, 6, 1, 12, 0), 'Asia/Kolkata')).toBe(utc('2026-06-01T06:30'));
  });
});

describe('isValidTimeZone', () => {
  it('accepts IANA names and refuses unknown names, offsets and empty text', () => {
    expect(isValidTimeZone('Europe/Brussels')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('+01:00')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('Europe/Brussels\n')).toBe(false);
    expect(timeZoneSchema.safeParse('Europe/Nowhere').success).toBe(false);
  });
});

describe('local dates and times', () => {
  it('refuses days the calendar does not have and times past 23:59', () => {
    expect(parseLocalDate('2026-02-28')).toEqual({ year: 2026, month: 2, day: 28 });
    expect(parseLocalDate('2026-02-29')).toBeNull();
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate('2026-04-31')).toBeNull();
    expect(parseLocalDate('2026-13-01')).toBeNull();
    expect(parseLocalDate('26-01-01')).toBeNull();
    expect(parseLocalTime('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(parseLocalTime('24:00')).toBeNull();
    expect(parseLocalTime('12:60')).toBeNull();
    expect(parseLocalTime('8:00')).toBeNull();
    expect(parseWallTime('2026-03-29T02:30')).toEqual(wall(2026, 3, 29, 2, 30));
    expect(parseWallTime('2026-03-29 02:30')).toBeNull();
    expect(parseWallTime('2026-03-29T02:30Z')).toBeNull();
  });

  it('counts days from 1970-01-01 (a Thursday) both ways', () => {
    expect(dayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(weekdayOfDayNumber(0)).toBe(4);
    expect(weekdayOfDayNumber(-1)).toBe(3);
    const day = dayNumber({ year: 2026, month: 3, day: 29 });
    expect(dateOfDayNumber(day)).toEqual({ year: 2026, month: 3, day: 29 });
    expect(weekdayOfDayNumber(day)).toBe(7);
  });
});
