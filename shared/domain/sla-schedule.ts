/**
 * When an SLA applies: around the clock (24x7), or business hours per weekday in the SLA's own
 * time zone minus public holidays. {@link scheduledIntervals} cuts a period into the instants the
 * SLA counts; the availability maths (sla-availability.ts) only ever measures inside them.
 *
 * Local days are cut in the schedule's zone (default Europe/Brussels), so a 07:00-19:00 day is
 * 12 real hours on every date, and a whole DST day lasts 23 or 25 hours (DESIGN.md section 3).
 * Everything is pure: periods are epoch-ms parameters, results are whole milliseconds.
 */
import { z } from 'zod';
import { missingCase } from './missing-case';
import {
  dayNumber,
  localDateSchema,
  mustParse,
  parseLocalDate,
  parseLocalTime,
  timeZoneSchema,
  weekdayListSchema,
  weekdayOfDayNumber,
  zonedDayNumber,
  zonedDayTimeToUtc,
  type LocalDate,
  type LocalTime,
} from './zoned-time';

/** The zone an SLA is cut in when its catalogue entry names none. */
export const DEFAULT_SLA_TIME_ZONE = 'Europe/Brussels';

/** A period or a piece of one: `[from, to)` in epoch ms. */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

/** The end of a range of business hours: `HH:mm`, or `24:00` for the end of the day. */
const endTimeSchema = z.string().refine((text) => text === '24:00' || parseLocalTime(text) !== null, {
  message: 'must be a time of day HH:mm (00:01-24:00)',
});

/** Minutes since local midnight of a range bound; `24:00` is 1440. */
function boundMinutes(text: string): number {
  if (text === '24:00') return 1_440;
  const time = mustParse(parseLocalTime, text);
  return time.hour * 60 + time.minute;
}

/** Business hours on some weekdays: `from` (included) to `to` (excluded), local wall-clock times. */
export const businessHoursRangeSchema = z
  .strictObject({
    /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
    weekdays: weekdayListSchema,
    /** Local start `HH:mm`. */
    from: z.string().refine((text) => parseLocalTime(text) !== null, {
      message: 'must be a time of day HH:mm (00:00-23:59)',
    }),
    /** Local end `HH:mm`, or `24:00`; after `from` (a night shift is two ranges, one per day). */
    to: endTimeSchema,
  })
  .refine(
    (r) =>
      parseLocalTime(r.from) === null ||
      (r.to !== '24:00' && parseLocalTime(r.to) === null) ||
      boundMinutes(r.to) > boundMinutes(r.from),
    { message: '"to" must be after "from" on the same day', path: ['to'] },
  );
export type BusinessHoursRange = z.infer<typeof businessHoursRangeSchema>;

/** An SLA that applies around the clock, every day of the year, holidays included. */
export const alwaysScheduleSchema = z.strictObject({
  kind: z.literal('24x7'),
  /** The zone the SLA's days and months are cut in. */
  timeZone: timeZoneSchema.default(DEFAULT_SLA_TIME_ZONE),
});

/** An SLA that applies in business hours only, per weekday, except on the listed holidays. */
export const businessHoursScheduleSchema = z.strictObject({
  kind: z.literal('business-hours'),
  /** The zone the hours, the holidays and the SLA's days and months are read in. */
  timeZone: timeZoneSchema.default(DEFAULT_SLA_TIME_ZONE),
  /** The ranges; overlapping ones simply add up to their union. */
  hours: z.array(businessHoursRangeSchema).min(1).max(50),
  /**
   * Local dates `YYYY-MM-DD` with no scheduled time at all (public holidays, see
   * belgian-holidays.ts). Listing a date twice is harmless.
   */
  holidays: z.array(localDateSchema).max(5_000).default([]),
});

/** An SLA's schedule: 24x7, or business hours with holidays. */
export const slaScheduleSchema = z.discriminatedUnion('kind', [
  alwaysScheduleSchema,
  businessHoursScheduleSchema,
]);
export type SlaSchedule = z.infer<typeof slaScheduleSchema>;

function checkPeriod(from: number, to: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from)
    throw new RangeError(`not a period of whole milliseconds: ${from} to ${to}`);
}

/**
 * The parts of `[from, to)` that `schedule` counts, in order, disjoint, and never two that touch
 * (they are merged: 24x7 is always one interval, a Monday 00:00-24:00 and a Tuesday 00:00-24:00
 * are one). Each is clipped to the period.
 *
 * A business-hours range is placed on each local date with {@link zonedDayTimeToUtc}: on the
 * spring DST day a 02:00-03:00 range in Brussels is empty (the clock skips that hour) and a
 * 00:00-24:00 range lasts 23 hours; on the autumn day 00:00-24:00 lasts 25 hours. A holiday removes
 * the whole local date. Throws a RangeError for a period that is not whole milliseconds.
 */
export function scheduledIntervals(schedule: SlaSchedule, from: number, to: number): Interval[] {
  checkPeriod(from, to);
  if (to === from) return [];
  switch (schedule.kind) {
    case '24x7':
      return [{ from, to }];
    case 'business-hours':
      return businessIntervals(schedule, from, to);
    default:
      throw missingCase(schedule);
  }
}

type BusinessHoursSchedule = Extract<SlaSchedule, { kind: 'business-hours' }>;

function businessIntervals(schedule: BusinessHoursSchedule, from: number, to: number): Interval[] {
  const { timeZone } = schedule;
  const holidays = new Set(schedule.holidays.map((text) => dayNumber(mustParse(parseLocalDate, text))));
  // Per weekday, the ranges in minutes, merged so that overlapping ranges count once.
  const perWeekday = new Map<number, Array<[number, number]>>();
  for (let weekday = 1; weekday <= 7; weekday++) {
    const ranges = schedule.hours
      .filter((r) => r.weekdays.includes(weekday))
      .map((r): [number, number] => [boundMinutes(r.from), boundMinutes(r.to)]);
    perWeekday.set(weekday, mergeRanges(ranges));
  }
  const result: Interval[] = [];
  // A local date overlaps [from, to) only if it is within a day of the dates of from and to.
  const lastDay = zonedDayNumber(to, timeZone);
  for (let day = zonedDayNumber(from, timeZone) - 1; day <= lastDay; day++) {
    if (holidays.has(day)) continue;
    for (const [start, end] of perWeekday.get(weekdayOfDayNumber(day)) ?? []) {
      const begin = Math.max(from, localInstant(day, start, timeZone));
      const finish = Math.min(to, localInstant(day, end, timeZone));
      if (finish > begin) pushMerged(result, { from: begin, to: finish });
    }
  }
  return result;
}

/** The instant of minute `minutes` (0-1440) of local day `day`; 1440 is the next day's midnight. */
function localInstant(day: number, minutes: number, timeZone: string): number {
  if (minutes === 1_440) return zonedDayTimeToUtc(day + 1, { hour: 0, minute: 0 }, timeZone);
  const time: LocalTime = { hour: Math.floor(minutes / 60), minute: minutes % 60 };
  return zonedDayTimeToUtc(day, time, timeZone);
}

function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Appends an interval that starts at or after the last one, merging when they touch. */
function pushMerged(list: Interval[], next: Interval): void {
  const last = list[list.length - 1];
  if (last !== undefined && next.from <= last.to)
    list[list.length - 1] = { from: last.from, to: Math.max(last.to, next.to) };
  else list.push(next);
}

/** Total milliseconds of disjoint intervals. */
export function totalMs(intervals: readonly Interval[]): number {
  let total = 0;
  for (const i of intervals) total += i.to - i.from;
  return total;
}

/**
 * The local date `date` in `timeZone` as a period `[00:00, next 00:00)`: 24 hours most days, 23 on
 * the spring DST day, 25 on the autumn one.
 */
export function localDayPeriod(date: LocalDate, timeZone: string): Interval {
  const day = dayNumber(date);
  return {
    from: zonedDayTimeToUtc(day, { hour: 0, minute: 0 }, timeZone),
    to: zonedDayTimeToUtc(day + 1, { hour: 0, minute: 0 }, timeZone),
  };
}

/** The local month `month` (1-12) of `year` in `timeZone`, from its first midnight to the next month's. */
export function localMonthPeriod(year: number, month: number, timeZone: string): Interval {
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    from: localDayPeriod({ year, month, day: 1 }, timeZone).from,
    to: localDayPeriod({ ...next, day: 1 }, timeZone).from,
  };
}

/** The local dates of a month, in order (28 to 31 of them). */
export function datesOfMonth(year: number, month: number): LocalDate[] {
  const first = dayNumber({ year, month, day: 1 });
  const next = dayNumber(
    month === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: month + 1, day: 1 },
  );
  const dates: LocalDate[] = [];
  for (let day = first; day < next; day++) dates.push({ year, month, day: day - first + 1 });
  return dates;
}
