/**
 * Wall-clock time in an IANA time zone, with `Intl` only (no date library). Times are UTC inside
 * (epoch milliseconds) and are cut into local days, shifts and maintenance windows in a zone of
 * their own (DESIGN.md section 3): a DST day has 23 or 25 hours, a wall time may not exist (the
 * spring gap) or happen twice (the autumn overlap).
 *
 * Also the civil-calendar arithmetic the schedules need (dates as day numbers, weekdays) and the
 * zod schemas of local dates, times and zones, so that every schedule reads them the same way.
 *
 * The renderer has its own copy of part of this (renderer/src/lib/i18n/zoned-time.ts); that copy
 * resolves a skipped wall time by moving it forward by the size of the gap, this one to the first
 * instant after the gap, which is what a schedule wants (a 02:30 hand-off on the spring day happens
 * when 03:00 comes, not at 03:30).
 */
import { z } from 'zod';

const DAY_MS = 86_400_000;

/** A calendar date, `month` 1-12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A time of day to the minute. */
export interface LocalTime {
  readonly hour: number;
  readonly minute: number;
}

/** A wall-clock time to the minute: a date and a time of day, in no zone yet. */
export interface WallTime extends LocalDate, LocalTime {}

/** The calendar fields of an instant in a zone; `weekday` is ISO 8601: 1 = Monday ... 7 = Sunday. */
export interface ZonedParts extends WallTime {
  readonly second: number;
  readonly weekday: number;
}

/** Weekday numbering used everywhere in Vigie's schedules: ISO 8601, 1 = Monday ... 7 = Sunday. */
export const weekdaySchema = z.number().int().min(1).max(7);

/** A non-empty set of weekdays, each at most once. */
export const weekdayListSchema = z
  .array(weekdaySchema)
  .min(1)
  .max(7)
  .refine((days) => new Set(days).size === days.length, { message: 'a weekday is listed twice' });

/** Latest instant a schedule may name (the end of year 9999): keeps `Date` arithmetic sane. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** An instant: whole epoch milliseconds (UTC), from 1970 to the end of 9999. */
export const epochMsSchema = z.number().int().min(0).max(MAX_EPOCH_MS);

const formats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** IANA names (`Europe/Brussels`, `UTC`); refuses the offset zones (`+01:00`) newer engines accept. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/** True when `timeZone` is an IANA zone name that this runtime's `Intl` knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!ZONE_NAME.test(timeZone)) return false;
  try {
    partsFormat(timeZone);
    return true;
  } catch (err: unknown) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/** An IANA time zone name known to `Intl` (`Europe/Brussels`). */
export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Brussels' });

/** Milliseconds of a civil date and time read as if it were UTC (years before 100 included). */
function civilMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** Days since 1970-01-01 of a calendar date (negative before). */
export function dayNumber(date: LocalDate): number {
  return Math.floor(civilMs(date.year, date.month, date.day) / DAY_MS);
}

/** The calendar date `days` days after 1970-01-01. */
export function dateOfDayNumber(days: number): LocalDate {
  const date = new Date(days * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a day number; 1970-01-01 was a Thursday. */
export function weekdayOfDayNumber(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The calendar fields of instant `at` (epoch ms) in `timeZone`. */
export function zonedParts(at: number, timeZone: string): ZonedParts {
  const fields: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(at))
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  const year = fields['year'] ?? 1970;
  const month = fields['month'] ?? 1;
  const day = fields['day'] ?? 1;
  return {
    year,
    month,
    day,
    // Some engines still write midnight as 24 with h23 (on the same date): normalise.
    hour: (fields['hour'] ?? 0) % 24,
    minute: fields['minute'] ?? 0,
    second: fields['second'] ?? 0,
    weekday: weekdayOfDayNumber(dayNumber({ year, month, day })),
  };
}

/** Wall-clock time of `at` in `timeZone`, as ms read as if it were UTC (to the second). */
function wallMs(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  return civilMs(p.year, p.month, p.day, p.hour, p.minute, p.second);
}

/** The zone's offset from UTC at instant `at`, in ms (Brussels: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(at: number, timeZone: string): number {
  const whole = Math.floor(at / 1_000) * 1_000;
  return wallMs(whole, timeZone) - whole;
}

/**
 * The instant (epoch ms) at which the wall clock in `timeZone` shows `wall`. Fields out of range
 * roll over as `Date.UTC` does (31 April is 1 May); parse with the schemas below to refuse them.
 *
 * - A wall time skipped by a DST change (02:30 on 29 March 2026 in Europe/Brussels, where 02:00
 *   jumps to 03:00) maps to the first instant after the gap: 03:00 local (01:00 UTC).
 * - A wall time that happens twice (02:30 on 25 October 2026 in Brussels) maps to its first
 *   occurrence, still on summer time (00:30 UTC).
 */
export function zonedToUtc(wall: WallTime, timeZone: string): number {
  const local = civilMs(wall.year, wall.month, wall.day, wall.hour, wall.minute);
  // The offsets in force around that wall time: no zone changes twice within two days.
  const offsets = new Set([
    zoneOffsetMs(local - DAY_MS, timeZone),
    zoneOffsetMs(local, timeZone),
    zoneOffsetMs(local + DAY_MS, timeZone),
  ]);
  const candidates = [...offsets].map((offset) => local - offset);
  const exact = candidates.filter((at) => wallMs(at, timeZone) === local);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the first instant whose wall clock has passed `local` is where the gap ends.
  // Transitions fall on whole seconds, so search seconds between the two readings.
  let low = Math.min(...candidates) / 1_000;
  let high = Math.max(...candidates) / 1_000;
  if (wallMs(low * 1_000, timeZone) >= local) return low * 1_000;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallMs(middle * 1_000, timeZone) >= local) high = middle;
    else low = middle;
  }
  return high * 1_000;
}

/** The calendar date of instant `at` in `timeZone`, as a day number (see {@link dayNumber}). */
export function zonedDayNumber(at: number, timeZone: string): number {
  return dayNumber(zonedParts(at, timeZone));
}

/** The instant at which day number `days` shows `time` in `timeZone` (see {@link zonedToUtc}). */
export function zonedDayTimeToUtc(days: number, time: LocalTime, timeZone: string): number {
  return zonedToUtc({ ...dateOfDayNumber(days), hour: time.hour, minute: time.minute }, timeZone);
}

/** Minutes since midnight of a time of day. */
export function minuteOfDay(time: LocalTime): number {
  return time.hour * 60 + time.minute;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

/** A `YYYY-MM-DD` text as a date; null when it is not a day of the calendar (2026-02-30). */
export function parseLocalDate(text: string): LocalDate | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1970 || month < 1 || month > 12 || day < 1) return null;
  // The calendar rolls 31 April over into May: refuse what it does not have.
  if (new Date(civilMs(year, month, day)).getUTCDate() !== day) return null;
  return { year, month, day };
}

/** An `HH:mm` text (00:00-23:59) as a time of day; null otherwise. */
export function parseLocalTime(text: string): LocalTime | null {
  const match = TIME.exec(text);
  if (!match) return null;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

/** A `YYYY-MM-DDTHH:mm` text as a wall time; null when either part is invalid. */
export function parseWallTime(text: string): WallTime | null {
  const match = DATE_TIME.exec(text);
  const date = match ? parseLocalDate(match[1] ?? '') : null;
  const time = match ? parseLocalTime(match[2] ?? '') : null;
  return date && time ? { ...date, ...time } : null;
}

/** A calendar date `YYYY-MM-DD` (from 1970), in no zone. */
export const localDateSchema = z
  .string()
  .refine((text) => parseLocalDate(text) !== null, { message: 'must be a date YYYY-MM-DD' });

/** A time of day `HH:mm`, 00:00 to 23:59. */
export const localTimeSchema = z
  .string()
  .refine((text) => parseLocalTime(text) !== null, { message: 'must be a time of day HH:mm (00:00-23:59)' });

/** A wall-clock time `YYYY-MM-DDTHH:mm` (from 1970), in no zone. */
export const wallTimeSchema = z
  .string()
  .refine((text) => parseWallTime(text) !== null, { message: 'must be a local time YYYY-MM-DDTHH:mm' });

/** Parses a text the schemas above accepted; throws on anything else (a caller's bug). */
export function mustParse<T>(parse: (text: string) => T | null, text: string): T {
  const value = parse(text);
  if (value === null) throw new RangeError(`not a valid local date or time: ${JSON.stringify(text)}`);
  return value;
}
