import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  belgianPublicHolidayDates,
  belgianPublicHolidays,
  easterSunday,
  formatLocalDate,
} from './belgian-holidays';
import { dayNumber, parseLocalDate, weekdayOfDayNumber } from './zoned-time';

const weekday = (date: string): number => {
  const parsed = parseLocalDate(date);
  if (parsed === null) throw new Error(`bad date ${date}`);
  return weekdayOfDayNumber(dayNumber(parsed));
};

describe('easterSunday', () => {
  it('matches published Easter dates, including the earliest and latest possible', () => {
    const known: Array<[number, string]> = [
      [1818, '1818-03-22'], // earliest possible date
      [1943, '1943-04-25'], // latest possible date
      [2000, '2000-04-23'],
      [2008, '2008-03-23'],
      [2011, '2011-04-24'],
      [2019, '2019-04-21'],
      [2024, '2024-03-31'],
      [2025, '2025-04-20'],
      [2026, '2026-04-05'],
      [2027, '2027-03-28'],
      [2038, '2038-04-25'],
      [2285, '2285-03-22'],
    ];
    for (const [year, date] of known) expect(formatLocalDate(easterSunday(year)), String(year)).toBe(date);
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const easter = easterSunday(year);
        expect(weekdayOfDayNumber(dayNumber(easter))).toBe(7);
        const monthDay = formatLocalDate(easter).slice(5);
        expect(monthDay >= '03-22' && monthDay <= '04-25').toBe(true);
      }),
    );
  });

  it('refuses years outside the Gregorian computation', () => {
    expect(() => easterSunday(1582)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});

describe('belgianPublicHolidays', () => {
  it('lists the ten legal holidays of 2026 in calendar order', () => {
    expect(belgianPublicHolidays(2026)).toEqual([
      { date: '2026-01-01', holiday: 'new-year' },
      { date: '2026-04-06', holiday: 'easter-monday' },
      { date: '2026-05-01', holiday: 'labour-day' },
      { date: '2026-05-14', holiday: 'ascension' },
      { date: '2026-05-25', holiday: 'whit-monday' },
      { date: '2026-07-21', holiday: 'national-day' },
      { date: '2026-08-15', holiday: 'assumption' },
      { date: '2026-11-01', holiday: 'all-saints' },
      { date: '2026-11-11', holiday: 'armistice' },
      { date: '2026-12-25', holiday: 'christmas' },
    ]);
  });

  it('puts the movable feasts of 2025 after Easter on 20 April', () => {
    expect(belgianPublicHolidayDates(2025)).toEqual([
      '2025-01-01',
      '2025-04-21',
      '2025-05-01',
      '2025-05-29',
      '2025-06-09',
      '2025-07-21',
      '2025-08-15',
      '2025-11-01',
      '2025-11-11',
      '2025-12-25',
    ]);
  });

  it('keeps both holidays when Ascension falls on Labour Day (2008)', () => {
    const may1 = belgianPublicHolidays(2008).filter((h) => h.date === '2008-05-01');
    expect(may1.map((h) => h.holiday)).toEqual(['labour-day', 'ascension']);
  });

  it('always has Easter Monday and Whit Monday on Mondays and Ascension on a Thursday', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 2200 }), (year) => {
        const byName = new Map(belgianPublicHolidays(year).map((h) => [h.holiday, h.date]));
        expect(weekday(byName.get('easter-monday') ?? '')).toBe(1);
        expect(weekday(byName.get('whit-monday') ?? '')).toBe(1);
        expect(weekday(byName.get('ascension') ?? '')).toBe(4);
        const dates = belgianPublicHolidayDates(year);
        expect(dates).toHaveLength(10);
        expect([...dates].sort()).toEqual(dates);
      }),
    );
  });
});
