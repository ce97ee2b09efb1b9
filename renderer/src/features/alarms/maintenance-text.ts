/**
 * Maintenance windows in words, for the operator's language and time zone: a one-off window as
 * its period ("23 Nov 2026, 14:10–15:10 (CET)"), a recurring one as its rule ("Every Tuesday and
 * Thursday 02:00–04:00 (Europe/Brussels), from 24 Nov 2026"), and where a window stands now
 * (active until, next, over). Dates, weekdays, lists and durations go through Intl.
 */
import type { MaintenanceEntry } from '../../../../shared/api';
import {
  activeOccurrence,
  occurrences,
  type MaintenanceOccurrence,
  type MaintenanceSchedule,
  type MaintenanceScope,
  type MaintenanceWindow,
} from '../../../../shared/domain/maintenance-window';
import { missingCase } from '../../../../shared/domain/missing-case';
import { minuteOfDay, parseLocalDate, parseLocalTime } from '../../../../shared/domain/zoned-time';
import type { Locale } from '../../../../shared/i18n';
import { INTL_LOCALES, type Formatters } from '../../lib/i18n/formatters';
import type { Translate } from '../../lib/i18n/i18n-context';

const MINUTES_PER_DAY = 1_440;
const DAY_MS = 86_400_000;
/** How far ahead the console looks for a window's next occurrence (as the engine does). */
const NEXT_HORIZON_MS = 366 * DAY_MS;

/** The Intl formats the texts need, built once per language and zone. */
export interface MaintenanceFormats {
  /** `23 Nov 2026, 14:10–15:10` in the operator's zone (the date once when both ends share it). */
  range(from: number, to: number): string;
  /** A local date `YYYY-MM-DD` as `24 Nov 2026` (no zone: it is a calendar date). */
  localDate(text: string): string;
  /** ISO weekday 1 (Monday) ... 7 (Sunday) by name. */
  weekday(day: number): string;
  /** `Tuesday and Thursday`. */
  list(items: readonly string[]): string;
  /** Minutes as `2 days`, `36 hours` or `90 minutes`. */
  duration(minutes: number): string;
}

export function createMaintenanceFormats(locale: Locale, timeZone: string): MaintenanceFormats {
  const tag = INTL_LOCALES[locale];
  const range = new Intl.DateTimeFormat(tag, {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
  });
  const date = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', dateStyle: 'medium' });
  const weekday = new Intl.DateTimeFormat(tag, { timeZone: 'UTC', weekday: 'long' });
  const list = new Intl.ListFormat(tag, { type: 'conjunction', style: 'long' });
  const units = new Map<string, Intl.NumberFormat>();
  const unit = (name: 'day' | 'hour' | 'minute') => {
    let format = units.get(name);
    if (!format) {
      format = new Intl.NumberFormat(tag, { style: 'unit', unit: name, unitDisplay: 'long' });
      units.set(name, format);
    }
    return format;
  };
  return {
    range: (from, to) => range.formatRange(from, to),
    localDate(text) {
      const parsed = parseLocalDate(text);
      return parsed === null ? text : date.format(Date.UTC(parsed.year, parsed.month - 1, parsed.day));
    },
    // 1 January 2024 was a Monday.
    weekday: (day) => weekday.format(Date.UTC(2024, 0, day)),
    list: (items) => list.format(items),
    duration(minutes) {
      if (minutes % MINUTES_PER_DAY === 0) return unit('day').format(minutes / MINUTES_PER_DAY);
      if (minutes % 60 === 0) return unit('hour').format(minutes / 60);
      return unit('minute').format(minutes);
    },
  };
}

export interface MaintenanceTextContext {
  readonly t: Translate;
  readonly fmt: Formatters;
  readonly formats: MaintenanceFormats;
}

function clockText(minutes: number): string {
  const inDay = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')}`;
}

/** `02:00–04:00`, `22:00–02:00 the next day`, or `from 22:00 for 2 days` (local wall-clock times). */
function spanText(context: MaintenanceTextContext, startTime: string, durationMinutes: number): string {
  const { t, formats } = context;
  const start = parseLocalTime(startTime);
  if (start === null) return startTime;
  if (durationMinutes >= MINUTES_PER_DAY)
    return t('maintenance.schedule.spanLong', {
      start: startTime,
      duration: formats.duration(durationMinutes),
    });
  const end = minuteOfDay(start) + durationMinutes;
  return t(end >= MINUTES_PER_DAY ? 'maintenance.schedule.spanNextDay' : 'maintenance.schedule.span', {
    start: startTime,
    end: clockText(end),
  });
}

/** The schedule in words (see the file's comment). */
export function scheduleText(context: MaintenanceTextContext, schedule: MaintenanceSchedule): string {
  const { t, fmt, formats } = context;
  switch (schedule.kind) {
    case 'once':
      return t('maintenance.schedule.once', {
        period: formats.range(schedule.from, schedule.to),
        zone: fmt.zoneName(schedule.from),
      });
    case 'recurring': {
      const span = spanText(context, schedule.startTime, schedule.durationMinutes);
      const zone = schedule.timeZone;
      let rule: string;
      switch (schedule.freq) {
        case 'daily':
          rule = t('maintenance.schedule.daily', { span, zone });
          break;
        case 'weekly': {
          const days = [...(schedule.weekdays ?? [])].sort((a, b) => a - b).map((d) => formats.weekday(d));
          rule = t('maintenance.schedule.weekly', { days: formats.list(days), span, zone });
          break;
        }
        case 'monthly': {
          const day = schedule.dayOfMonth ?? 1;
          rule = t('maintenance.schedule.monthly', { day: fmt.number(day), span, zone });
          if (day > 28)
            rule = `${rule} (${t('maintenance.schedule.skipsShortMonths', { day: fmt.number(day) })})`;
          break;
        }
        default:
          throw missingCase(schedule.freq);
      }
      const first = formats.localDate(schedule.firstDate);
      const dates =
        schedule.lastDate === undefined
          ? t('maintenance.schedule.since', { first })
          : t('maintenance.schedule.between', { first, last: formats.localDate(schedule.lastDate) });
      return t('maintenance.schedule.recurring', { rule, dates });
    }
    default:
      throw missingCase(schedule);
  }
}

/** Where a window stands at an instant. */
export type MaintenanceTiming =
  | { readonly kind: 'active'; readonly from: number; readonly until: number }
  | { readonly kind: 'next'; readonly from: number; readonly to: number }
  | { readonly kind: 'over' };

interface Worked {
  readonly timing: MaintenanceTiming;
  /** Until when the answer holds. */
  readonly validUntil: number;
}

/** Answers worked out here, per window, so a passed occurrence is not searched again every second. */
const worked = new WeakMap<MaintenanceWindow, Worked>();

function workOut(window: MaintenanceWindow, now: number): MaintenanceTiming {
  const held = worked.get(window);
  if (held && now < held.validUntil) return held.timing;
  const active = activeOccurrence(window, now);
  let result: Worked;
  if (active !== null)
    result = { timing: { kind: 'active', from: active.from, until: active.to }, validUntil: active.to };
  else {
    const next = occurrences(window, now, now + NEXT_HORIZON_MS).find((o) => o.from > now);
    result =
      next === undefined
        ? { timing: { kind: 'over' }, validUntil: now + DAY_MS }
        : { timing: { kind: 'next', from: next.from, to: next.to }, validUntil: next.from };
  }
  worked.set(window, result);
  return result.timing;
}

/**
 * Where `entry` stands at `now`: the engine's answer (the occurrence running when it listed the
 * window, and the next) while it still holds; once both have passed (the engine does not push
 * the passing of time), the same pure rules as the engine's, here.
 */
export function maintenanceTiming(entry: MaintenanceEntry, now: number): MaintenanceTiming {
  const known: MaintenanceOccurrence[] = [];
  if (entry.activeNow) known.push(entry.activeNow);
  if (entry.next) known.push(entry.next);
  let running: MaintenanceOccurrence | null = null;
  for (const o of known)
    if (o.from <= now && now < o.to && (running === null || o.to > running.to)) running = o;
  if (running !== null) return { kind: 'active', from: running.from, until: running.to };
  const upcoming = known.filter((o) => o.from > now).sort((a, b) => a.from - b.from)[0];
  if (upcoming) return { kind: 'next', from: upcoming.from, to: upcoming.to };
  if (known.length === 0) return { kind: 'over' };
  return workOut(entry.window, now);
}

/** Active first (ending soonest first), then the next to start, then those that are over. */
export function timingOrder(a: MaintenanceTiming, b: MaintenanceTiming): number {
  const rank = (x: MaintenanceTiming) => (x.kind === 'active' ? 0 : x.kind === 'next' ? 1 : 2);
  const key = (x: MaintenanceTiming) => (x.kind === 'active' ? x.until : x.kind === 'next' ? x.from : 0);
  return rank(a) - rank(b) || key(a) - key(b);
}

/** The names the console shows for the subjects a scope lists (the id when it knows none). */
export interface ScopeNames {
  readonly zone: (id: string) => string;
  readonly device: (id: string) => string;
  readonly service: (id: string) => string;
}

/** A scope as labelled lines (`Zones: Zone B`), the empty lists left out. */
export function scopeLines(
  t: Translate,
  formats: MaintenanceFormats,
  names: ScopeNames,
  scope: MaintenanceScope,
): { readonly kind: 'zones' | 'devices' | 'services' | 'tags'; readonly text: string }[] {
  const lines = [
    { kind: 'zones' as const, items: scope.zones.map(names.zone) },
    { kind: 'devices' as const, items: scope.devices.map(names.device) },
    { kind: 'services' as const, items: scope.services.map(names.service) },
    { kind: 'tags' as const, items: scope.tags },
  ];
  return lines
    .filter((line) => line.items.length > 0)
    .map((line) => ({
      kind: line.kind,
      text: t('maintenance.scope.line', {
        label: t(`maintenance.scope.${line.kind}`),
        names: formats.list(line.items),
      }),
    }));
}
