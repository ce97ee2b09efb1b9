/**
 * Belgian public holidays (the ten legal ones), for business-hours SLA schedules: a holiday has no
 * scheduled time, so an outage on it does not count against a business-hours SLA.
 *
 * Pure calendar arithmetic: Easter is computed (Gregorian calendar), the movable feasts follow
 * from it. Regional and community holidays (11 July, 27 September, 15 November...) and bridge days
 * are not legal holidays; an SLA that observes them lists them itself.
 */
import { dateOfDayNumber, dayNumber, type LocalDate } from './zoned-time';

/** The legal public holidays of Belgium, in calendar order. */
export const BELGIAN_HOLIDAYS = [
  'new-year',
  'easter-monday',
  'labour-day',
  'ascension',
  'whit-monday',
  'national-day',
  'assumption',
  'all-saints',
  'armistice',
  'christmas',
] as const;
export type BelgianHoliday = (typeof BELGIAN_HOLIDAYS)[number];

/** One public holiday: its date (`YYYY-MM-DD`, a local date in no zone) and which one it is. */
export interface PublicHoliday {
  readonly date: string;
  readonly holiday: BelgianHoliday;
}

/** First and last years the Gregorian computation below is used for (Vigie's dates start in 1970). */
const MIN_YEAR = 1583;
const MAX_YEAR = 9999;

/**
 * Easter Sunday of `year` in the Gregorian calendar (the anonymous algorithm of 1876, as given by
 * Meeus): 5 April 2026, 28 March 2027. Throws a RangeError outside 1583-9999.
 */
export function easterSunday(year: number): LocalDate {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw new RangeError(`Easter is computed for the years ${MIN_YEAR} to ${MAX_YEAR}, not ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return { year, month: Math.floor(n / 31), day: (n % 31) + 1 };
}

/** `YYYY-MM-DD` of a calendar date. */
export function formatLocalDate(date: LocalDate): string {
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/**
 * The ten legal public holidays of Belgium in `year`, in calendar order: New Year (1 January),
 * Easter Monday, Labour Day (1 May), Ascension (Easter + 39 days, a Thursday), Whit Monday
 * (Easter + 50 days), National Day (21 July), Assumption (15 August), All Saints (1 November),
 * Armistice (11 November) and Christmas (25 December). A holiday that falls on a Sunday stays on
 * its date (Belgian law moves the day off, not the holiday). Throws a RangeError outside 1583-9999.
 */
export function belgianPublicHolidays(year: number): PublicHoliday[] {
  const easter = dayNumber(easterSunday(year));
  const fixed = (month: number, day: number): string => formatLocalDate({ year, month, day });
  const afterEaster = (days: number): string => formatLocalDate(dateOfDayNumber(easter + days));
  const holidays: PublicHoliday[] = [
    { date: fixed(1, 1), holiday: 'new-year' },
    { date: afterEaster(1), holiday: 'easter-monday' },
    { date: fixed(5, 1), holiday: 'labour-day' },
    { date: afterEaster(39), holiday: 'ascension' },
    { date: afterEaster(50), holiday: 'whit-monday' },
    { date: fixed(7, 21), holiday: 'national-day' },
    { date: fixed(8, 15), holiday: 'assumption' },
    { date: fixed(11, 1), holiday: 'all-saints' },
    { date: fixed(11, 11), holiday: 'armistice' },
    { date: fixed(12, 25), holiday: 'christmas' },
  ];
  // Ascension can fall on 1 May (2008) and Whit Monday in June: keep calendar order whatever the year.
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

/** Just the dates of {@link belgianPublicHolidays}, for a schedule's `holidays` list. */
export function belgianPublicHolidayDates(year: number): string[] {
  return belgianPublicHolidays(year).map((h) => h.date);
}
