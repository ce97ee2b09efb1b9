/**
 * On-call schedules, as PagerDuty models them: rotations (layers) of people handing over every N
 * hours or N days, optionally restricted to some local hours (nights, weekends), and overrides on
 * top (someone covers for a colleague from one instant to another).
 *
 * Layer rule: at any instant the person on call is the override covering it (the latest-starting
 * one where several overlap; the one listed later where they start together), else the member of
 * the LAST rotation in the list that covers the instant, else nobody. Nobody is `null`, never a
 * default person: an uncovered hour must show as uncovered.
 *
 * Shifts are cut in the schedule's own time zone: a 'days' hand-off happens at the same local time
 * every N calendar days (a DST day has 23 or 25 hours), an 'hours' hand-off every N real hours.
 * Everything here is pure: time is a parameter.
 */
import { z } from 'zod';
import {
  dayNumber,
  epochMsSchema,
  minuteOfDay,
  mustParse,
  parseLocalTime,
  parseWallTime,
  timeZoneSchema,
  wallTimeSchema,
  weekdayListSchema,
  weekdayOfDayNumber,
  zonedDayNumber,
  zonedDayTimeToUtc,
  zonedToUtc,
  localTimeSchema,
  type WallTime,
} from './zoned-time';
import { missingCase } from './missing-case';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** How far ahead {@link onCallAt} looks for the end of the current coverage: five weeks. */
export const ON_CALL_LOOKAHEAD_MS = 35 * DAY_MS;

/** The longest period {@link onCallTimeline} computes in one call. */
export const ON_CALL_TIMELINE_MAX_MS = 400 * DAY_MS;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)');

/** A person, by login: lower-case letters, digits, dots, underscores and dashes. */
export const personIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a login: lower-case letters, digits, . _ - (at most 63)');

export const rotationRestrictionSchema = z.strictObject({
  /** The weekdays (1 = Monday ... 7 = Sunday) on which a covered period STARTS. */
  weekdays: weekdayListSchema,
  /** Local start of the covered period, `HH:mm`. */
  from: localTimeSchema,
  /**
   * Local end, `HH:mm`. Earlier than `from`: the period runs overnight into the next day (Friday
   * 18:00 to Saturday 08:00 with weekday 5). Equal to `from`: a whole day (24 local hours).
   */
  to: localTimeSchema,
});
export type RotationRestriction = z.infer<typeof rotationRestrictionSchema>;

export const rotationSchema = z.strictObject({
  id,
  /** Local wall time in the schedule's zone when the first member's first shift starts: 'YYYY-MM-DDTHH:mm'. */
  start: wallTimeSchema,
  /**
   * Shift length: the hand-off happens every N hours, or every N days at the start time (local;
   * a DST day has 23 or 25 hours — days are calendar days).
   */
  shift: z.discriminatedUnion('unit', [
    z.strictObject({ unit: z.literal('hours'), count: z.number().int().min(1).max(744) }),
    z.strictObject({ unit: z.literal('days'), count: z.number().int().min(1).max(31) }),
  ]),
  /** Who takes the shifts, in turn: shift k goes to `members[k % members.length]`. */
  members: z.array(personIdSchema).min(1).max(100),
  /**
   * Optional: the rotation covers only these local hours on these weekdays (e.g. nights: every day
   * 18:00 to 08:00); outside, it covers no one and a lower layer applies. Hand-offs go on behind
   * the restriction: it masks the rotation, it does not pause it. Nights AND weekends take two
   * layers (one restriction each).
   */
  restrict: rotationRestrictionSchema.optional(),
});
export type Rotation = z.infer<typeof rotationSchema>;

export const onCallOverrideSchema = z
  .strictObject({
    from: epochMsSchema,
    to: epochMsSchema,
    person: personIdSchema,
    reason: z.string().max(500).optional(),
  })
  .refine((o) => o.to > o.from, { message: '"to" must be after "from"', path: ['to'] });
export type OnCallOverride = z.infer<typeof onCallOverrideSchema>;

export const onCallScheduleSchema = z
  .strictObject({
    id,
    name: z.string().min(1).max(120),
    /** The zone in which rotation starts, day hand-offs and restrictions are read. */
    timeZone: timeZoneSchema,
    /** Layers: a later rotation sits above the earlier ones. */
    rotations: z.array(rotationSchema).min(1).max(20),
    /** Above every rotation; they may overlap (the latest-starting one wins). */
    overrides: z.array(onCallOverrideSchema).max(1000).default([]),
  })
  .superRefine((schedule, ctx) => {
    const seen = new Set<string>();
    schedule.rotations.forEach((rotation, i) => {
      if (seen.has(rotation.id))
        ctx.addIssue({
          code: 'custom',
          message: `duplicate rotation id "${rotation.id}"`,
          path: ['rotations', i, 'id'],
        });
      seen.add(rotation.id);
    });
  });
export type OnCallSchedule = z.infer<typeof onCallScheduleSchema>;

/** Who is on call at an instant (see {@link onCallAt}). */
export interface OnCallNow {
  readonly person: string;
  /** The rotation that puts them on call; null for an override. */
  readonly rotationId: string | null;
  readonly override: boolean;
  /**
   * When this coverage next changes (another person, another layer, or nobody): for display and
   * for re-checking. A hand-off to the same person in the same rotation does not end it. At most
   * {@link ON_CALL_LOOKAHEAD_MS} after the instant asked about.
   */
  readonly until: number;
}

/** A period of {@link onCallTimeline}: one person (or nobody) through one layer. */
export interface OnCallSegment {
  readonly from: number;
  readonly to: number;
  readonly person: string | null;
  readonly rotationId: string | null;
  readonly override: boolean;
}

/** A reference the schedule makes that the directory of people does not know. */
export interface ScheduleIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

interface Interval {
  readonly from: number;
  readonly to: number;
}

interface Piece extends Interval {
  readonly person: string;
}

/**
 * The person on call at instant `at`, or null when no override and no rotation covers it.
 * `until` says when that coverage ends (see {@link OnCallNow}).
 */
export function onCallAt(schedule: OnCallSchedule, at: number): OnCallNow | null {
  // Look a day ahead first, further only while the coverage runs to the end of what was looked at.
  for (let span = DAY_MS; ; span *= 2) {
    const end = at + Math.min(span, ON_CALL_LOOKAHEAD_MS);
    const [first] = onCallTimeline(schedule, at, end);
    if (first === undefined || first.person === null) return null;
    if (first.to < end || span >= ON_CALL_LOOKAHEAD_MS)
      return {
        person: first.person,
        rotationId: first.rotationId,
        override: first.override,
        until: first.to,
      };
  }
}

/**
 * Who is on call through `[from, to)`: contiguous segments covering it exactly, in order, merged
 * where the same person continues through the same layer; `person: null` where nobody is.
 * For the "who is on call this week" strip. Refuses periods longer than
 * {@link ON_CALL_TIMELINE_MAX_MS} or ending before they start with a RangeError.
 */
export function onCallTimeline(schedule: OnCallSchedule, from: number, to: number): OnCallSegment[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from)
    throw new RangeError(`not a period: ${from} to ${to}`);
  if (to - from > ON_CALL_TIMELINE_MAX_MS)
    throw new RangeError(`an on-call timeline covers at most ${ON_CALL_TIMELINE_MAX_MS / DAY_MS} days`);
  if (to === from) return [];

  const layers = schedule.rotations.map((rotation) => rotationPieces(rotation, schedule.timeZone, from, to));
  const overrides = schedule.overrides
    .map((o) => ({ from: Math.max(o.from, from), to: Math.min(o.to, to), start: o.from, person: o.person }))
    .filter((o) => o.from < o.to);

  const edges = new Set<number>([from, to]);
  for (const layer of layers) for (const piece of layer) edges.add(piece.from).add(piece.to);
  for (const o of overrides) edges.add(o.from).add(o.to);
  const sorted = [...edges].sort((a, b) => a - b);

  const cursors = layers.map(() => 0);
  const segments: OnCallSegment[] = [];
  for (let e = 0; e + 1 < sorted.length; e++) {
    const start = sorted[e] as number;
    const end = sorted[e + 1] as number;
    let segment: OnCallSegment = { from: start, to: end, person: null, rotationId: null, override: false };
    // The latest-starting override; `>=` lets the one listed later win a tie.
    let best: (typeof overrides)[number] | undefined;
    for (const o of overrides)
      if (o.from <= start && start < o.to && (best === undefined || o.start >= best.start)) best = o;
    if (best !== undefined) {
      segment = { ...segment, person: best.person, override: true };
    } else {
      for (let l = layers.length - 1; l >= 0; l--) {
        const layer = layers[l] as Piece[];
        let cursor = cursors[l] as number;
        while (cursor < layer.length && (layer[cursor] as Piece).to <= start) cursor++;
        cursors[l] = cursor;
        const piece = layer[cursor];
        if (piece !== undefined && piece.from <= start) {
          segment = { ...segment, person: piece.person, rotationId: (schedule.rotations[l] as Rotation).id };
          break;
        }
      }
    }
    const last = segments.at(-1);
    if (
      last !== undefined &&
      last.person === segment.person &&
      last.rotationId === segment.rotationId &&
      last.override === segment.override
    )
      segments[segments.length - 1] = { ...last, to: end };
    else segments.push(segment);
  }
  return segments;
}

/**
 * The members of `schedule` and the override persons that `knownPeople` does not hold, with the
 * path of each. Overlapping overrides are not an issue (the latest-starting one wins).
 */
export function scheduleIssues(schedule: OnCallSchedule, knownPeople: ReadonlySet<string>): ScheduleIssue[] {
  const issues: ScheduleIssue[] = [];
  schedule.rotations.forEach((rotation, r) =>
    rotation.members.forEach((member, m) => {
      if (!knownPeople.has(member))
        issues.push({ path: ['rotations', r, 'members', m], message: `unknown person "${member}"` });
    }),
  );
  schedule.overrides.forEach((o, i) => {
    if (!knownPeople.has(o.person))
      issues.push({ path: ['overrides', i, 'person'], message: `unknown person "${o.person}"` });
  });
  return issues;
}

/** Where rotation `rotation` puts someone on call within `[from, to)`: sorted, disjoint pieces. */
function rotationPieces(rotation: Rotation, timeZone: string, from: number, to: number): Piece[] {
  const wall = mustParse(parseWallTime, rotation.start);
  const start = zonedToUtc(wall, timeZone);
  const low = Math.max(from, start);
  if (low >= to) return [];
  const shifts = shiftsWithin(rotation, wall, start, timeZone, low, to);
  const covered = rotation.restrict
    ? restrictionWindows(rotation.restrict, timeZone, low, to)
    : [{ from: low, to }];
  return intersect(shifts, covered);
}

/** The shifts of `rotation` that meet `[low, to)`, clipped to it; `low` is at or after the start. */
function shiftsWithin(
  rotation: Rotation,
  wall: WallTime,
  start: number,
  timeZone: string,
  low: number,
  to: number,
): Piece[] {
  const { shift, members } = rotation;
  let shiftStart: (k: number) => number;
  let k: number;
  switch (shift.unit) {
    case 'hours': {
      const length = shift.count * HOUR_MS;
      shiftStart = (n) => start + n * length;
      k = Math.floor((low - start) / length);
      break;
    }
    case 'days': {
      const firstDay = dayNumber(wall);
      shiftStart = (n) => zonedDayTimeToUtc(firstDay + n * shift.count, wall, timeZone);
      k = Math.max(0, Math.floor((zonedDayNumber(low, timeZone) - firstDay) / shift.count));
      // The local date can mislead around a hand-off inside a DST overlap: settle on the instants.
      while (k > 0 && shiftStart(k) > low) k--;
      while (shiftStart(k + 1) <= low) k++;
      break;
    }
    default:
      throw missingCase(shift);
  }
  const pieces: Piece[] = [];
  for (let begin = shiftStart(k); begin < to; k++) {
    const end = shiftStart(k + 1);
    pieces.push({
      from: Math.max(begin, low),
      to: Math.min(end, to),
      person: members[k % members.length] as string,
    });
    begin = end;
  }
  return pieces;
}

/** The periods a restriction lets through within `[low, to)`: sorted, disjoint, clipped. */
function restrictionWindows(
  restriction: RotationRestriction,
  timeZone: string,
  low: number,
  to: number,
): Interval[] {
  const begin = mustParse(parseLocalTime, restriction.from);
  const finish = mustParse(parseLocalTime, restriction.to);
  const nextDay = minuteOfDay(finish) <= minuteOfDay(begin) ? 1 : 0;
  const weekdays = new Set(restriction.weekdays);
  const windows: Interval[] = [];
  // A period that started the day before `low` may still be running.
  const lastDay = zonedDayNumber(to, timeZone);
  for (let day = zonedDayNumber(low, timeZone) - 1; day <= lastDay; day++) {
    if (!weekdays.has(weekdayOfDayNumber(day))) continue;
    const windowFrom = Math.max(zonedDayTimeToUtc(day, begin, timeZone), low);
    const windowTo = Math.min(zonedDayTimeToUtc(day + nextDay, finish, timeZone), to);
    if (windowFrom >= windowTo) continue;
    const last = windows.at(-1);
    if (last !== undefined && windowFrom <= last.to)
      windows[windows.length - 1] = { from: last.from, to: Math.max(last.to, windowTo) };
    else windows.push({ from: windowFrom, to: windowTo });
  }
  return windows;
}

/** The parts of `pieces` inside `windows` (both sorted and disjoint). */
function intersect(pieces: readonly Piece[], windows: readonly Interval[]): Piece[] {
  const result: Piece[] = [];
  let w = 0;
  for (const piece of pieces) {
    while (w < windows.length && (windows[w] as Interval).to <= piece.from) w++;
    for (let v = w; v < windows.length && (windows[v] as Interval).from < piece.to; v++) {
      const window = windows[v] as Interval;
      const from = Math.max(piece.from, window.from);
      const to = Math.min(piece.to, window.to);
      if (from < to) result.push({ from, to, person: piece.person });
    }
  }
  return result;
}
