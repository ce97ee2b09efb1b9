/**
 * The maintenance window form as plain data: what the operator typed (a draft, with the one-off
 * times as `datetime-local` values in the operator's zone), the `maintenance.save` request built
 * from it, and the problems that keep it from being sent (checked here so the operator is told at
 * once; the engine checks again, and its VALIDATION issues are mapped back onto the fields).
 */
import type { ApiError } from '../../../../shared/api';
import type { MaintenanceSchedule, MaintenanceWindow } from '../../../../shared/domain/maintenance-window';
import {
  isValidTimeZone,
  parseLocalDate,
  parseLocalTime,
  parseWallTime,
  zonedParts,
  zonedToUtc,
} from '../../../../shared/domain/zoned-time';
import type { MessageKey } from '../../../../shared/i18n';
import type { MaintenanceSaveRequest } from '../../lib/api/maintenance-queries';

export type MaintenanceFreq = 'daily' | 'weekly' | 'monthly';

export interface MaintenanceDraft {
  /** The window being edited; null for a new one. */
  readonly id: string | null;
  readonly title: string;
  readonly reason: string;
  readonly zones: readonly string[];
  readonly devices: readonly string[];
  readonly services: readonly string[];
  /** Free text: tags separated by spaces or commas. */
  readonly tags: string;
  readonly kind: 'once' | 'recurring';
  /** `YYYY-MM-DDTHH:mm` in the operator's zone. */
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly freq: MaintenanceFreq;
  /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
  readonly weekdays: readonly number[];
  readonly dayOfMonth: string;
  readonly startTime: string;
  readonly duration: string;
  readonly firstDate: string;
  readonly lastDate: string;
}

/** The form's fields, each of which may carry a problem. */
export type DraftField =
  | 'title'
  | 'reason'
  | 'scope'
  | 'zones'
  | 'devices'
  | 'services'
  | 'tags'
  | 'from'
  | 'to'
  | 'timeZone'
  | 'freq'
  | 'weekdays'
  | 'dayOfMonth'
  | 'startTime'
  | 'duration'
  | 'firstDate'
  | 'lastDate';

export interface DraftProblem {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, string | number>>;
}
export type DraftProblems = Partial<Record<DraftField, DraftProblem>>;

const TAG = /^[a-z0-9][a-z0-9:._/-]{0,62}$/;
const MAX_DURATION_MINUTES = 10_080;
const HOUR_MS = 3_600_000;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** The `datetime-local` value showing `at` in `timeZone`, to the minute. */
export function wallInput(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The local date `YYYY-MM-DD` of `at` in `timeZone`. */
function dateInput(at: number, timeZone: string): string {
  return wallInput(at, timeZone).slice(0, 10);
}

/** A `datetime-local` value read in `timeZone` (seconds, if a browser adds them, dropped); null if none. */
export function readWallInput(value: string, timeZone: string): number | null {
  const wall = parseWallTime(value.trim().slice(0, 16));
  return wall === null ? null : zonedToUtc(wall, timeZone);
}

/**
 * A draft for a new window (`window` null: one-off from this minute for an hour, or weekly on
 * today's weekday at 02:00 for two hours from today) or for editing `window`, read in the
 * operator's zone `timeZone`.
 */
export function draftOf(window: MaintenanceWindow | null, now: number, timeZone: string): MaintenanceDraft {
  const from = Math.floor(now / 60_000) * 60_000;
  const blank: MaintenanceDraft = {
    id: null,
    title: '',
    reason: '',
    zones: [],
    devices: [],
    services: [],
    tags: '',
    kind: 'once',
    from: wallInput(from, timeZone),
    to: wallInput(from + HOUR_MS, timeZone),
    timeZone,
    freq: 'weekly',
    weekdays: [zonedParts(now, timeZone).weekday],
    dayOfMonth: String(zonedParts(now, timeZone).day),
    startTime: '02:00',
    duration: '120',
    firstDate: dateInput(now, timeZone),
    lastDate: '',
  };
  if (window === null) return blank;
  const common = {
    ...blank,
    id: window.id,
    title: window.title,
    reason: window.reason,
    zones: window.scope.zones,
    devices: window.scope.devices,
    services: window.scope.services,
    tags: window.scope.tags.join(' '),
  };
  const schedule = window.schedule;
  if (schedule.kind === 'once')
    return {
      ...common,
      kind: 'once',
      from: wallInput(schedule.from, timeZone),
      to: wallInput(schedule.to, timeZone),
    };
  return {
    ...common,
    kind: 'recurring',
    timeZone: schedule.timeZone,
    freq: schedule.freq,
    weekdays: schedule.weekdays ?? blank.weekdays,
    dayOfMonth: schedule.dayOfMonth === undefined ? blank.dayOfMonth : String(schedule.dayOfMonth),
    startTime: schedule.startTime,
    duration: String(schedule.durationMinutes),
    firstDate: schedule.firstDate,
    lastDate: schedule.lastDate ?? '',
  };
}

/** The tags of the free text, each once, in order. */
export function splitTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((tag) => tag !== ''))];
}

function wholeNumber(text: string, min: number, max: number): number | null {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/** The schedule of `draft`, or null with its problems added to `problems`. */
function buildSchedule(
  draft: MaintenanceDraft,
  operatorZone: string,
  problems: DraftProblems,
): MaintenanceSchedule | null {
  const found: DraftProblems = {};
  let schedule: MaintenanceSchedule | null = null;
  if (draft.kind === 'once') {
    const from = readWallInput(draft.from, operatorZone);
    const to = readWallInput(draft.to, operatorZone);
    if (from === null) found.from = { key: 'maintenance.error.from' };
    if (to === null || (from !== null && to <= from)) found.to = { key: 'maintenance.error.to' };
    if (from !== null && to !== null && to > from) schedule = { kind: 'once', from, to };
  } else {
    const timeZone = draft.timeZone.trim();
    if (!isValidTimeZone(timeZone)) found.timeZone = { key: 'maintenance.error.timeZone' };
    if (draft.freq === 'weekly' && draft.weekdays.length === 0)
      found.weekdays = { key: 'maintenance.error.weekdays' };
    const dayOfMonth = wholeNumber(draft.dayOfMonth, 1, 31);
    if (draft.freq === 'monthly' && dayOfMonth === null)
      found.dayOfMonth = { key: 'maintenance.error.dayOfMonth' };
    if (parseLocalTime(draft.startTime) === null) found.startTime = { key: 'maintenance.error.startTime' };
    const duration = wholeNumber(draft.duration, 1, MAX_DURATION_MINUTES);
    if (duration === null) found.duration = { key: 'maintenance.error.duration' };
    const firstDate = draft.firstDate.trim();
    const lastDate = draft.lastDate.trim();
    if (parseLocalDate(firstDate) === null) found.firstDate = { key: 'maintenance.error.firstDate' };
    // Dates as YYYY-MM-DD compare as text.
    if (lastDate !== '' && (parseLocalDate(lastDate) === null || lastDate < firstDate))
      found.lastDate = { key: 'maintenance.error.lastDate' };
    if (duration !== null)
      schedule = {
        kind: 'recurring',
        timeZone,
        freq: draft.freq,
        ...(draft.freq === 'weekly' ? { weekdays: [...draft.weekdays].sort((a, b) => a - b) } : {}),
        ...(draft.freq === 'monthly' && dayOfMonth !== null ? { dayOfMonth } : {}),
        startTime: draft.startTime,
        durationMinutes: duration,
        firstDate,
        ...(lastDate === '' ? {} : { lastDate }),
      };
  }
  Object.assign(problems, found);
  return Object.keys(found).length === 0 ? schedule : null;
}

/**
 * The `maintenance.save` request for `draft` (one-off times read in `operatorZone`), or the
 * problems that keep it from being sent. A reason is asked for even though the engine would take
 * none: every maintenance goes to the audit log with who, when, what and why (DESIGN.md section 3).
 */
export function buildSaveRequest(
  draft: MaintenanceDraft,
  operatorZone: string,
): { readonly request: MaintenanceSaveRequest } | { readonly problems: DraftProblems } {
  const problems: DraftProblems = {};
  const title = draft.title.trim();
  const reason = draft.reason.trim();
  if (title === '') problems.title = { key: 'maintenance.error.title' };
  if (reason === '') problems.reason = { key: 'maintenance.error.reason' };
  const tags = splitTags(draft.tags);
  const badTags = tags.filter((tag) => !TAG.test(tag));
  if (badTags.length > 0)
    problems.tags = { key: 'maintenance.error.tags', params: { tags: badTags.join(' ') } };
  if (draft.zones.length + draft.devices.length + draft.services.length + tags.length === 0)
    problems.scope = { key: 'maintenance.error.scope' };
  const schedule = buildSchedule(draft, operatorZone, problems);
  if (schedule === null || Object.keys(problems).length > 0) return { problems };
  return {
    request: {
      ...(draft.id === null ? {} : { id: draft.id }),
      title,
      reason,
      scope: { zones: [...draft.zones], devices: [...draft.devices], services: [...draft.services], tags },
      schedule,
    },
  };
}

/** The schedule's properties as the form's fields. */
const SCHEDULE_FIELDS: Readonly<Partial<Record<string, DraftField>>> = {
  from: 'from',
  to: 'to',
  timeZone: 'timeZone',
  freq: 'freq',
  weekdays: 'weekdays',
  dayOfMonth: 'dayOfMonth',
  startTime: 'startTime',
  durationMinutes: 'duration',
  firstDate: 'firstDate',
  lastDate: 'lastDate',
};

/** The field an engine VALIDATION issue is about (`schedule.durationMinutes` → duration), or null. */
export function fieldOfIssue(path: string): DraftField | null {
  const [head, second] = path.split('.');
  if (head === 'title' || head === 'reason') return head;
  if (head === 'scope') {
    if (second === 'zones' || second === 'devices' || second === 'services' || second === 'tags')
      return second;
    return 'scope';
  }
  if (head === 'schedule' && second !== undefined && Object.hasOwn(SCHEDULE_FIELDS, second))
    return SCHEDULE_FIELDS[second] ?? null;
  return null;
}

/** The engine's VALIDATION issues by field (their own words; those of no field are at the top). */
export function issuesByField(error: ApiError | null): Partial<Record<DraftField, string>> {
  const byField: Partial<Record<DraftField, string>> = {};
  if (error?.code !== 'VALIDATION') return byField;
  for (const issue of error.issues ?? []) {
    const field = fieldOfIssue(issue.path);
    if (field !== null)
      byField[field] = byField[field] ? `${byField[field]}; ${issue.message}` : issue.message;
  }
  return byField;
}
