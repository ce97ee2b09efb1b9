/**
 * Numbers, times and relative ages through Intl for the operator's language, in the operator's
 * time zone (times are UTC inside, shown in the zone: DESIGN.md section 3).
 */
import type { Locale } from '../../../../shared/i18n';

/** The Intl locale for each catalog language: Belgian conventions for FR and NL, British for EN (24-hour clock). */
export const INTL_LOCALES: Readonly<Record<Locale, string>> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB' };

export const DEFAULT_TIME_ZONE = 'Europe/Brussels';

/** `timeZone` when Intl knows it, otherwise the default (a bad config must not blank the console). */
export function safeTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone }).format(0);
    return timeZone;
  } catch (err: unknown) {
    if (err instanceof RangeError) return DEFAULT_TIME_ZONE;
    throw err;
  }
}

export interface Formatters {
  /** A number with the locale's separators. */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** `14:02` in the operator's zone; earlier days get their date too (`21/11 14:02`). */
  time(epochMs: number, now: number): string;
  /** `14:02:07` in the operator's zone (the header clock). */
  clock(epochMs: number): string;
  /** The zone's short name at that instant (`CET`, `UTC+1` ...). */
  zoneName(epochMs: number): string;
  /** Full date and time with seconds, for detail views. */
  dateTime(epochMs: number): string;
  /** `12 sec ago` / `il y a 12 s` / `12 sec. geleden` for an age in ms (negative ages count as 0). */
  age(ageMs: number): string;
  /** `in 8 sec` for a delay in ms. */
  inFuture(delayMs: number): string;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function relativeParts(ms: number): [number, Intl.RelativeTimeFormatUnit] {
  if (ms < MINUTE) return [Math.floor(ms / SECOND), 'second'];
  if (ms < HOUR) return [Math.floor(ms / MINUTE), 'minute'];
  if (ms < DAY) return [Math.floor(ms / HOUR), 'hour'];
  return [Math.floor(ms / DAY), 'day'];
}

export function createFormatters(locale: Locale, timeZone: string): Formatters {
  const tag = INTL_LOCALES[locale];
  const numberFormats = new Map<string, Intl.NumberFormat>();
  const hm = new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayHm = new Intl.DateTimeFormat(tag, {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const hms = new Intl.DateTimeFormat(tag, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const zone = new Intl.DateTimeFormat(tag, { timeZone, timeZoneName: 'short' });
  const full = new Intl.DateTimeFormat(tag, {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'medium',
    hourCycle: 'h23',
  });
  const calendarDay = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'always', style: 'short' });

  return {
    number(value, options) {
      const key = JSON.stringify(options ?? {});
      let format = numberFormats.get(key);
      if (!format) {
        format = new Intl.NumberFormat(tag, options);
        numberFormats.set(key, format);
      }
      return format.format(value);
    },
    time(epochMs, now) {
      return calendarDay.format(epochMs) === calendarDay.format(now)
        ? hm.format(epochMs)
        : dayHm.format(epochMs);
    },
    clock: (epochMs) => hms.format(epochMs),
    zoneName: (epochMs) =>
      zone.formatToParts(epochMs).find((part) => part.type === 'timeZoneName')?.value ?? timeZone,
    dateTime: (epochMs) => full.format(epochMs),
    age(ageMs) {
      const [value, unit] = relativeParts(Math.max(0, ageMs));
      return relative.format(-value, unit);
    },
    inFuture(delayMs) {
      const [value, unit] = relativeParts(Math.max(0, delayMs) + SECOND - 1);
      return relative.format(value, unit);
    },
  };
}
