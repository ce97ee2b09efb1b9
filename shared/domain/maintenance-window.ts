/**
 * Planned maintenance windows, one-off or recurring, scoped by device, service, zone or tag.
 * While one is active for a subject, the alarm engine silences its notifications and escalation
 * (collection goes on: the data of a maintenance is still data), its status shows `maintenance`,
 * and the SLA engine reads the occurrences as planned periods.
 *
 * A recurring window starts at a local wall-clock time in its own zone (02:00 in Brussels stays
 * 02:00 in Brussels across DST) and lasts `durationMinutes` real minutes. Everything here is pure:
 * time is a parameter.
 */
import { z } from 'zod';
import { missingCase } from './missing-case';
import {
  dateOfDayNumber,
  dayNumber,
  epochMsSchema,
  localDateSchema,
  localTimeSchema,
  mustParse,
  parseLocalDate,
  parseLocalTime,
  timeZoneSchema,
  weekdayListSchema,
  weekdayOfDayNumber,
  zonedDayNumber,
  zonedDayTimeToUtc,
} from './zoned-time';

const DAY_MS = 86_400_000;

/** The longest period {@link occurrences} lists in one call. */
export const MAINTENANCE_RANGE_MAX_MS = 400 * DAY_MS;

/** The longest occurrence: a week. */
const MAX_DURATION_MINUTES = 10_080;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)');

/** A tag of the inventory: lower-case letters, digits and `: . _ / -` (`role:db`, `rack/a-12`). */
const tag = z
  .string()
  .regex(/^[a-z0-9][a-z0-9:._/-]{0,62}$/, 'must be lower-case letters, digits and : . _ / - (at most 63)');

/**
 * What a window covers: a subject is in scope when its device, service or zone is listed, or
 * when it carries any of the tags. At least one list must name something.
 */
export const maintenanceScopeSchema = z
  .strictObject({
    devices: z.array(id).max(1000).default([]),
    services: z.array(id).max(1000).default([]),
    zones: z.array(id).max(100).default([]),
    tags: z.array(tag).max(100).default([]),
  })
  .refine((s) => s.devices.length + s.services.length + s.zones.length + s.tags.length > 0, {
    message: 'the scope names no device, service, zone or tag: name at least one',
  });
export type MaintenanceScope = z.infer<typeof maintenanceScopeSchema>;

export const onceScheduleSchema = z
  .strictObject({ kind: z.literal('once'), from: epochMsSchema, to: epochMsSchema })
  .refine((s) => s.to > s.from, { message: '"to" must be after "from"', path: ['to'] });

export const recurringScheduleSchema = z
  .strictObject({
    kind: z.literal('recurring'),
    /** The zone in which the dates and the start time are read. */
    timeZone: timeZoneSchema,
    /** Every day; every week on `weekdays`; every month on `dayOfMonth`. */
    freq: z.enum(['daily', 'weekly', 'monthly']),
    /** Weekly only, and required there: the days (1 = Monday ... 7 = Sunday) an occurrence starts. */
    weekdays: weekdayListSchema.optional(),
    /**
     * Monthly only, and required there: the day of the month an occurrence starts. A month
     * without that day has no occurrence (the 31st skips April, June, September, November and
     * February; it does not move to the last day).
     */
    dayOfMonth: z.number().int().min(1).max(31).optional(),
    /**
     * Local start `HH:mm`. A start that the clock skips on a DST day (02:00-02:59 on the spring
     * day in Brussels) starts when the gap ends (03:00); one that happens twice (autumn) starts at
     * the first.
     */
    startTime: localTimeSchema,
    /**
     * Real minutes from the start, 1 to 10080 (a week); a DST change inside does not stretch or
     * shrink it. Occurrences longer than the time between two starts overlap: they are listed as
     * they are.
     */
    durationMinutes: z.number().int().min(1).max(MAX_DURATION_MINUTES),
    /** The first local date an occurrence may start, `YYYY-MM-DD`. */
    firstDate: localDateSchema,
    /** The last local date an occurrence may start (included); none: no end. */
    lastDate: localDateSchema.optional(),
  })
  .superRefine((s, ctx) => {
    switch (s.freq) {
      case 'daily':
        break;
      case 'weekly':
        if (s.weekdays === undefined)
          ctx.addIssue({ code: 'custom', message: 'a weekly window needs its weekdays', path: ['weekdays'] });
        break;
      case 'monthly':
        if (s.dayOfMonth === undefined)
          ctx.addIssue({
            code: 'custom',
            message: 'a monthly window needs its day of the month',
            path: ['dayOfMonth'],
          });
        break;
      default:
        throw missingCase(s.freq);
    }
    // A field the frequency ignores would mislead whoever reads the window (and the audit log).
    if (s.freq !== 'weekly' && s.weekdays !== undefined)
      ctx.addIssue({ code: 'custom', message: 'weekdays apply to weekly windows only', path: ['weekdays'] });
    if (s.freq !== 'monthly' && s.dayOfMonth !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'dayOfMonth applies to monthly windows only',
        path: ['dayOfMonth'],
      });
    if (s.lastDate !== undefined && s.lastDate < s.firstDate)
      ctx.addIssue({ code: 'custom', message: 'lastDate is before firstDate', path: ['lastDate'] });
  });

/** When a window applies: once, from one instant to another, or recurring in a zone. */
export const maintenanceScheduleSchema = z.discriminatedUnion('kind', [
  onceScheduleSchema,
  recurringScheduleSchema,
]);
export type MaintenanceSchedule = z.infer<typeof maintenanceScheduleSchema>;

export const maintenanceWindowSchema = z.strictObject({
  id,
  title: z.string().min(1).max(200),
  reason: z.string().max(2000).default(''),
  scope: maintenanceScopeSchema,
  schedule: maintenanceScheduleSchema,
  /** Who planned it (the audit log says it too); never empty. */
  createdBy: z.string().min(1).max(200),
  createdAt: epochMsSchema,
});
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

/** What a window may cover: a device, a service, or anything in a zone or carrying tags. */
export interface MaintenanceSubject {
  deviceId?: string;
  serviceId?: string;
  zoneId?: string | null;
  tags?: readonly string[];
}

/** One period of maintenance: `[from, to)` in epoch ms. */
export interface MaintenanceOccurrence {
  readonly from: number;
  readonly to: number;
}

/**
 * The occurrences of `window` that meet `[from, to)`, whole (an occurrence that began before
 * `from` keeps its own start), in order of start. Refuses periods longer than
 * {@link MAINTENANCE_RANGE_MAX_MS} or ending before they start with a RangeError.
 */
export function occurrences(
  window: { readonly schedule: MaintenanceSchedule },
  from: number,
  to: number,
): MaintenanceOccurrence[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from)
    throw new RangeError(`not a period: ${from} to ${to}`);
  if (to - from > MAINTENANCE_RANGE_MAX_MS)
    throw new RangeError(
      `maintenance occurrences are listed for at most ${MAINTENANCE_RANGE_MAX_MS / DAY_MS} days`,
    );
  if (to === from) return [];
  const schedule = window.schedule;
  switch (schedule.kind) {
    case 'once':
      return schedule.from < to && schedule.to > from ? [{ from: schedule.from, to: schedule.to }] : [];
    case 'recurring':
      return recurringOccurrences(schedule, from, to);
    default:
      throw missingCase(schedule);
  }
}

type RecurringSchedule = Extract<MaintenanceSchedule, { kind: 'recurring' }>;

function recurringOccurrences(
  schedule: RecurringSchedule,
  from: number,
  to: number,
): MaintenanceOccurrence[] {
  const { timeZone } = schedule;
  const start = mustParse(parseLocalTime, schedule.startTime);
  const duration = schedule.durationMinutes * 60_000;
  const firstDay = dayNumber(mustParse(parseLocalDate, schedule.firstDate));
  const lastDay =
    schedule.lastDate === undefined ? Infinity : dayNumber(mustParse(parseLocalDate, schedule.lastDate));
  const weekdays = new Set(schedule.weekdays);
  // An occurrence that started on local day d began before day d + 2 (a start pushed past a gap at
  // midnight included) and lasts `durationMinutes` (and a DST hour at most): the days before
  // `from`'s by more than that, plus two, have ended by then.
  const daysBack = Math.ceil(schedule.durationMinutes / 1_440) + 2;
  const scanFrom = Math.max(firstDay, zonedDayNumber(from, timeZone) - daysBack);
  const scanTo = Math.min(lastDay, zonedDayNumber(to, timeZone));
  const result: MaintenanceOccurrence[] = [];
  for (let day = scanFrom; day <= scanTo; day++) {
    if (!startsOn(schedule, weekdays, day)) continue;
    const begin = zonedDayTimeToUtc(day, start, timeZone);
    const end = begin + duration;
    if (begin < to && end > from) result.push({ from: begin, to: end });
  }
  return result;
}

function startsOn(schedule: RecurringSchedule, weekdays: ReadonlySet<number>, day: number): boolean {
  switch (schedule.freq) {
    case 'daily':
      return true;
    case 'weekly':
      return weekdays.has(weekdayOfDayNumber(day));
    case 'monthly':
      return dateOfDayNumber(day).day === schedule.dayOfMonth;
    default:
      throw missingCase(schedule.freq);
  }
}

/**
 * The occurrence of `window` running at instant `at` (`from <= at < to`), or null. Where
 * occurrences overlap, the one that ends last (so `to` says until when the window holds).
 */
export function activeOccurrence(
  window: { readonly schedule: MaintenanceSchedule },
  at: number,
): MaintenanceOccurrence | null {
  let best: MaintenanceOccurrence | null = null;
  for (const o of occurrences(window, at, at + 1))
    if (o.from <= at && at < o.to && (best === null || o.to > best.to)) best = o;
  return best;
}

/** True when `subject`'s device, service or zone is listed in `scope`, or it shares a tag with it. */
export function inScope(scope: MaintenanceScope, subject: MaintenanceSubject): boolean {
  const { deviceId, serviceId, zoneId, tags } = subject;
  return (
    (deviceId !== undefined && scope.devices.includes(deviceId)) ||
    (serviceId !== undefined && scope.services.includes(serviceId)) ||
    (zoneId !== undefined && zoneId !== null && scope.zones.includes(zoneId)) ||
    (tags !== undefined && tags.some((t) => scope.tags.includes(t)))
  );
}

/** The windows of `windows` that cover `subject` and have an occurrence running at `at`, in order. */
export function activeWindowsFor<W extends Pick<MaintenanceWindow, 'scope' | 'schedule'>>(
  windows: readonly W[],
  subject: MaintenanceSubject,
  at: number,
): W[] {
  return windows.filter((w) => inScope(w.scope, subject) && activeOccurrence(w, at) !== null);
}
