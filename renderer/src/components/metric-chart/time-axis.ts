/**
 * The time axis of the charts without a date adapter: ticks on round wall-clock times of the
 * operator's zone (every 5 min, every hour, at local midnight ...) and labels through
 * Intl.DateTimeFormat with that zone. A plain linear scale would put ticks on round numbers of
 * milliseconds (every 200,000 ms is every 3 min 20 s), which no operator reads as time.
 */
import { localToEpoch, zoneOffsetMs } from '../../lib/i18n/zoned-time';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick steps, shortest first; day steps are cut at local midnight. */
export const TICK_STEPS_MS: readonly number[] = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
];

/** The shortest step that puts at most `maxTicks` ticks on [from, to]. */
export function tickStepFor(from: number, to: number, maxTicks: number): number {
  const span = Math.max(1, to - from);
  const wanted = span / Math.max(1, Math.floor(maxTicks));
  return TICK_STEPS_MS.find((step) => step >= wanted) ?? Math.ceil(wanted / (7 * DAY)) * 7 * DAY;
}

/** 1 January 1970 was a Thursday: day index + 3 is a multiple of 7 on Mondays. */
const MONDAY_SHIFT = 3;

/**
 * Tick positions (epoch ms) on [from, to] at round wall-clock times of `timeZone`, at most about
 * `maxTicks` of them. DST days keep their ticks on round local times (23 or 25 hours a day).
 */
export function timeTicks(from: number, to: number, maxTicks: number, timeZone: string): number[] {
  if (!(to > from) || !Number.isFinite(from) || !Number.isFinite(to)) return [];
  const step = tickStepFor(from, to, maxTicks);
  const localFrom = from + zoneOffsetMs(from, timeZone);
  const localTo = to + zoneOffsetMs(to, timeZone);
  const ticks: number[] = [];
  if (step < DAY) {
    for (let local = Math.ceil(localFrom / step) * step; local <= localTo; local += step) {
      const at = localToEpoch(local, timeZone);
      if (at >= from && at <= to && at !== ticks[ticks.length - 1]) ticks.push(at);
    }
    return ticks;
  }
  const days = step / DAY;
  for (let day = Math.ceil(localFrom / DAY); day * DAY <= localTo; day += 1) {
    const aligned = days === 7 || days === 14 ? (day + MONDAY_SHIFT) % days === 0 : day % days === 0;
    if (!aligned) continue;
    const at = localToEpoch(day * DAY, timeZone);
    if (at >= from && at <= to) ticks.push(at);
  }
  return ticks;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, timeZone: string, kind: 'hms' | 'hm' | 'dm' | 'full'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${kind}`;
  let result = formats.get(key);
  if (!result) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'hms'
        ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
        : kind === 'hm'
          ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : kind === 'dm'
            ? { day: '2-digit', month: '2-digit' }
            : { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' };
    result = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, result);
  }
  return result;
}

/**
 * The label of a tick: `14:05` on a range of a day or less (`14:05:30` for steps under a
 * minute), the date above the time on longer ranges, the date alone for day steps.
 */
export function tickLabel(
  value: number,
  stepMs: number,
  spanMs: number,
  locale: string,
  timeZone: string,
): string | string[] {
  if (stepMs >= DAY) return format(locale, timeZone, 'dm').format(value);
  const time = format(locale, timeZone, stepMs < MINUTE ? 'hms' : 'hm').format(value);
  if (spanMs <= DAY) return time;
  return [time, format(locale, timeZone, 'dm').format(value)];
}

/** A full date and time with seconds (tooltips). */
export function fullTimeLabel(value: number, locale: string, timeZone: string): string {
  return format(locale, timeZone, 'full').format(value);
}
