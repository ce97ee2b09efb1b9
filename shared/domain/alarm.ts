/**
 * Alarms: what the operators see first, own, and hand to on-call teams. This module is the
 * alarm's shape and its lifecycle as pure functions (time is a parameter), so the engine, the
 * tests and the console agree on every transition.
 *
 * States, after NetXMS's alarm states and Checkmk's acknowledgement kinds:
 * - `outstanding`: needs someone; sounds, escalates.
 * - `acknowledged`: someone owns it (a comment is required). A `normal` acknowledgement falls back
 *   to outstanding when the alarm worsens; a `sticky` one holds until the alarm is resolved.
 * - `snoozed`: a timed acknowledgement; back to outstanding by itself at `ack.until` if the
 *   condition still holds.
 * - `resolved`: the condition cleared (at the source, or an operator said so for an event that
 *   never clears by itself, such as a cold-start trap). It reopens if the condition comes back
 *   before it is closed.
 * - `closed`: finished; the condition coming back raises a new alarm.
 */
import { z } from 'zod';
import { missingCase } from './missing-case';

/** Five severities, worst first (ITU-T X.733 without `indeterminate`, plus `info`). */
export const ALARM_SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];

export const ALARM_STATES = ['outstanding', 'acknowledged', 'snoozed', 'resolved', 'closed'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** Where an alarm comes from. */
export const ALARM_ORIGINS = [
  /** A tile's condition: unreachable, stale source, UPS on battery, service failing ... */
  'condition',
  /** A threshold rule of the configuration on a reading (hysteresis, minimum duration). */
  'threshold',
  /** An SNMP notification. */
  'trap',
  /** An equipment event (reboot detected by sysUpTime going back). */
  'equipment',
  /** An SSH host key that changed: connections are blocked until an operator confirms it. */
  'hostKey',
  /** The console's own sources: a metric store it cannot reach (the monitor is blind). */
  'monitor',
  /** The parent of a zone-wide problem, grouping the alarms it caused. */
  'correlation',
  /** Later sources: status-page incidents, SLA burn rate. */
  'external',
] as const;
export type AlarmOrigin = (typeof ALARM_ORIGINS)[number];

export const alarmSeveritySchema = z.enum(ALARM_SEVERITIES);
export const alarmStateSchema = z.enum(ALARM_STATES);

export const alarmSubjectSchema = z.strictObject({
  kind: z.enum(['device', 'service', 'zone', 'source', 'monitor']),
  id: z.string().min(1).max(200),
  zoneId: z.string().max(200).nullable(),
  name: z.string().max(200),
});
export type AlarmSubject = z.infer<typeof alarmSubjectSchema>;

/** What is wrong, as an i18n code (`alarm.cause.<code>`) and its parameters: never prose. */
export const alarmCauseSchema = z.strictObject({
  code: z.string().min(1).max(100),
  params: z.record(z.string().max(64), z.union([z.string().max(2000), z.number()])),
});
export type AlarmCause = z.infer<typeof alarmCauseSchema>;

export const ACK_MODES = ['normal', 'sticky', 'timed'] as const;
export type AckMode = (typeof ACK_MODES)[number];

export const alarmAckSchema = z.strictObject({
  by: z.string().max(200),
  at: z.number(),
  comment: z.string().max(2000),
  mode: z.enum(ACK_MODES),
  /** For `timed` (snooze): when the alarm comes back if still active. */
  until: z.number().nullable(),
});
export type AlarmAck = z.infer<typeof alarmAckSchema>;

export const assigneeSchema = z.strictObject({
  kind: z.enum(['person', 'team']),
  id: z.string().min(1).max(200),
});
export type Assignee = z.infer<typeof assigneeSchema>;

export const alarmSchema = z.strictObject({
  id: z.string().min(1).max(100),
  /** Deduplication key: one open alarm per key. */
  key: z.string().min(1).max(8000),
  origin: z.enum(ALARM_ORIGINS),
  subject: alarmSubjectSchema,
  cause: alarmCauseSchema,
  severity: alarmSeveritySchema,
  /** The severity the source gave; `severity` differs when an operator changed it. */
  sourceSeverity: alarmSeveritySchema,
  state: alarmStateSchema,
  /** The condition still holds at the source. */
  active: z.boolean(),
  ack: alarmAckSchema.nullable(),
  assignee: assigneeSchema.nullable(),
  raisedAt: z.number(),
  lastRaisedAt: z.number(),
  changedAt: z.number(),
  resolvedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  /** How many times the condition was raised under this alarm (re-raises after a clear). */
  occurrences: z.number().int().min(1),
  /** Raise and clear times in the flap window, newest last. */
  flips: z.array(z.number()).max(64),
  flapping: z.boolean(),
  /** The zone-wide problem this alarm is grouped under. */
  parentId: z.string().max(100).nullable(),
  /** The maintenance windows covering its subject when it was last raised or re-checked. */
  maintenance: z.array(z.string().max(200)).max(50),
  /** Grows with every change of this alarm; a receiver drops anything older than what it holds. */
  revision: z.number().int().nonnegative(),
});
export type Alarm = z.infer<typeof alarmSchema>;

/** One line of an alarm's history: who did what, when and why. */
export const ALARM_ACTIONS = [
  'raised',
  'reraised',
  'worsened',
  'improved',
  'cleared',
  'acknowledged',
  'unacknowledged',
  'snoozed',
  'snoozeExpired',
  'resolved',
  'closed',
  'assigned',
  'severityChanged',
  'grouped',
  'flapping',
  'stable',
  'escalated',
  'notified',
  'notificationFailed',
] as const;
export type AlarmAction = (typeof ALARM_ACTIONS)[number];

export const alarmHistoryEntrySchema = z.strictObject({
  alarmId: z.string(),
  at: z.number(),
  /** `engine` for the engine's own transitions, else the seat or person. */
  actor: z.string().max(200),
  action: z.enum(ALARM_ACTIONS),
  comment: z.string().max(2000).nullable(),
  from: alarmStateSchema.nullable(),
  to: alarmStateSchema,
  details: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])),
});
export type AlarmHistoryEntry = z.infer<typeof alarmHistoryEntrySchema>;

/** An operator tried a transition the alarm's state does not allow: the message says why. */
export class AlarmTransitionError extends Error {
  override readonly name = 'AlarmTransitionError';
  constructor(
    readonly code: 'CONFLICT' | 'VALIDATION',
    message: string,
  ) {
    super(message);
  }
}

export function severityRank(severity: AlarmSeverity): number {
  switch (severity) {
    case 'critical':
      return 4;
    case 'major':
      return 3;
    case 'minor':
      return 2;
    case 'warning':
      return 1;
    case 'info':
      return 0;
    default:
      throw missingCase(severity);
  }
}

export function worstSeverity(severities: Iterable<AlarmSeverity>): AlarmSeverity | null {
  let worst: AlarmSeverity | null = null;
  for (const s of severities) if (worst === null || severityRank(s) > severityRank(worst)) worst = s;
  return worst;
}

/** Open: not closed. Resolved alarms stay in the list until closed, greyed. */
export function isOpen(alarm: Pick<Alarm, 'state'>): boolean {
  return alarm.state !== 'closed';
}

/** Needs someone now: outstanding (what sounds, what escalates). */
export function needsAttention(alarm: Pick<Alarm, 'state'>): boolean {
  return alarm.state === 'outstanding';
}

/** The list's order: worst severity first, then most recently raised first, then id. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    stateRank(a.state) - stateRank(b.state) ||
    b.lastRaisedAt - a.lastRaisedAt ||
    a.id.localeCompare(b.id)
  );
}

function stateRank(state: AlarmState): number {
  switch (state) {
    case 'outstanding':
      return 0;
    case 'snoozed':
      return 1;
    case 'acknowledged':
      return 2;
    case 'resolved':
      return 3;
    case 'closed':
      return 4;
    default:
      throw missingCase(state);
  }
}

/** Counts per severity of the open alarms, and of those outstanding. */
export function countAlarms(alarms: Iterable<Alarm>): {
  open: Record<AlarmSeverity, number>;
  outstanding: Record<AlarmSeverity, number>;
} {
  const zero = (): Record<AlarmSeverity, number> => ({
    critical: 0,
    major: 0,
    minor: 0,
    warning: 0,
    info: 0,
  });
  const open = zero();
  const outstanding = zero();
  for (const a of alarms) {
    if (!isOpen(a)) continue;
    open[a.severity] += 1;
    if (needsAttention(a)) outstanding[a.severity] += 1;
  }
  return { open, outstanding };
}

// ------------------------------------------------------------------------------------------
// Transitions. Each returns the next alarm and the history line; none mutates its input.

/** What a source says about a condition: raised (with its severity) or cleared. */
export interface AlarmSignal {
  readonly key: string;
  readonly origin: AlarmOrigin;
  readonly subject: AlarmSubject;
  readonly cause: AlarmCause;
  readonly severity: AlarmSeverity;
  readonly at: number;
}

export interface FlapPolicy {
  /** Raises and clears counted over this window. */
  readonly windowMs: number;
  /** This many flips in the window make the alarm flapping (notifications held). */
  readonly threshold: number;
}

export const DEFAULT_FLAP_POLICY: FlapPolicy = { windowMs: 10 * 60_000, threshold: 6 };

export interface Transition {
  readonly alarm: Alarm;
  readonly entries: readonly AlarmHistoryEntry[];
}

function entry(
  alarm: Alarm,
  at: number,
  actor: string,
  action: AlarmAction,
  from: AlarmState | null,
  comment: string | null = null,
  details: AlarmHistoryEntry['details'] = {},
): AlarmHistoryEntry {
  return { alarmId: alarm.id, at, actor, action, comment, from, to: alarm.state, details };
}

function withFlip(alarm: Alarm, at: number, policy: FlapPolicy): { flips: number[]; flapping: boolean } {
  const flips = [...alarm.flips.filter((t) => at - t < policy.windowMs), at].slice(-64);
  // Hysteresis: flapping starts at the threshold and ends below half of it.
  const flapping = alarm.flapping
    ? flips.length >= Math.ceil(policy.threshold / 2)
    : flips.length >= policy.threshold;
  return { flips, flapping };
}

function flapEntries(before: Alarm, after: Alarm, at: number): AlarmHistoryEntry[] {
  if (before.flapping === after.flapping) return [];
  return [
    entry(after, at, 'engine', after.flapping ? 'flapping' : 'stable', after.state, null, {
      flips: after.flips.length,
    }),
  ];
}

/** A new alarm for a signal no open alarm has. */
export function openAlarm(id: string, signal: AlarmSignal, maintenance: readonly string[]): Transition {
  const alarm: Alarm = {
    id,
    key: signal.key,
    origin: signal.origin,
    subject: signal.subject,
    cause: signal.cause,
    severity: signal.severity,
    sourceSeverity: signal.severity,
    state: 'outstanding',
    active: true,
    ack: null,
    assignee: null,
    raisedAt: signal.at,
    lastRaisedAt: signal.at,
    changedAt: signal.at,
    resolvedAt: null,
    closedAt: null,
    occurrences: 1,
    flips: [signal.at],
    flapping: false,
    parentId: null,
    maintenance: [...maintenance],
    revision: 0,
  };
  return {
    alarm,
    entries: [entry(alarm, signal.at, 'engine', 'raised', null, null, { severity: signal.severity })],
  };
}

/**
 * The source says the condition holds. On an active alarm: a change of severity or cause (an
 * UPS going from on battery to battery low); a worse severity drops a `normal` acknowledgement.
 * On a resolved alarm: it reopens, outstanding (a sticky acknowledgement ended at resolution).
 * Returns null when nothing changed (the same condition polled again).
 */
export function raise(
  alarm: Alarm,
  signal: AlarmSignal,
  policy: FlapPolicy = DEFAULT_FLAP_POLICY,
): Transition | null {
  if (alarm.state === 'closed') throw new RangeError(`alarm ${alarm.id} is closed: open a new one`);
  const at = signal.at;
  const operatorSeverity = alarm.severity !== alarm.sourceSeverity;
  if (alarm.active) {
    const sameCause = JSON.stringify(alarm.cause) === JSON.stringify(signal.cause);
    if (sameCause && signal.severity === alarm.sourceSeverity) return null;
    const worse = severityRank(signal.severity) > severityRank(alarm.sourceSeverity);
    const better = severityRank(signal.severity) < severityRank(alarm.sourceSeverity);
    let next: Alarm = {
      ...alarm,
      cause: signal.cause,
      subject: signal.subject,
      sourceSeverity: signal.severity,
      // An operator's severity holds until the source's own severity changes.
      severity: operatorSeverity && !worse && !better ? alarm.severity : signal.severity,
      changedAt: at,
    };
    const entries: AlarmHistoryEntry[] = [];
    if (worse && next.state === 'acknowledged' && next.ack?.mode === 'normal') {
      next = { ...next, state: 'outstanding', ack: null };
    }
    const action: AlarmAction = worse ? 'worsened' : better ? 'improved' : 'raised';
    entries.push(
      entry(next, at, 'engine', action, alarm.state, null, {
        severity: signal.severity,
        cause: signal.cause.code,
      }),
    );
    return { alarm: next, entries };
  }
  const flap = withFlip(alarm, at, policy);
  const next: Alarm = {
    ...alarm,
    cause: signal.cause,
    subject: signal.subject,
    sourceSeverity: signal.severity,
    severity: signal.severity,
    state: 'outstanding',
    active: true,
    ack: null,
    lastRaisedAt: at,
    changedAt: at,
    resolvedAt: null,
    occurrences: alarm.occurrences + 1,
    ...flap,
  };
  return {
    alarm: next,
    entries: [
      entry(next, at, 'engine', 'reraised', alarm.state, null, { severity: signal.severity }),
      ...flapEntries(alarm, next, at),
    ],
  };
}

/** The source says the condition cleared: the alarm is resolved (still listed until closed). */
export function clear(alarm: Alarm, at: number, policy: FlapPolicy = DEFAULT_FLAP_POLICY): Transition | null {
  if (!alarm.active || alarm.state === 'closed') return null;
  const flap = withFlip(alarm, at, policy);
  const next: Alarm = {
    ...alarm,
    active: false,
    state: 'resolved',
    resolvedAt: at,
    changedAt: at,
    ...flap,
  };
  return {
    alarm: next,
    entries: [entry(next, at, 'engine', 'cleared', alarm.state), ...flapEntries(alarm, next, at)],
  };
}

/** A flapping alarm whose window emptied becomes stable again. */
export function settleFlapping(
  alarm: Alarm,
  at: number,
  policy: FlapPolicy = DEFAULT_FLAP_POLICY,
): Transition | null {
  if (!alarm.flapping) return null;
  const flips = alarm.flips.filter((t) => at - t < policy.windowMs);
  if (flips.length >= Math.ceil(policy.threshold / 2)) return null;
  const next: Alarm = { ...alarm, flips, flapping: false, changedAt: at };
  return {
    alarm: next,
    entries: [entry(next, at, 'engine', 'stable', alarm.state, null, { flips: flips.length })],
  };
}

function requireComment(comment: string, what: string): string {
  const trimmed = comment.trim();
  if (trimmed.length === 0) throw new AlarmTransitionError('VALIDATION', `${what} needs a comment`);
  return trimmed;
}

function refuse(alarm: Alarm, what: string): never {
  throw new AlarmTransitionError('CONFLICT', `alarm ${alarm.id} is ${alarm.state}: it cannot be ${what}`);
}

/** Someone owns it. `sticky` holds until resolved; `normal` drops when the alarm worsens. */
export function acknowledge(
  alarm: Alarm,
  by: string,
  comment: string,
  mode: 'normal' | 'sticky',
  at: number,
): Transition {
  const text = requireComment(comment, 'an acknowledgement');
  if (alarm.state === 'resolved' || alarm.state === 'closed') refuse(alarm, 'acknowledged');
  const next: Alarm = {
    ...alarm,
    state: 'acknowledged',
    ack: { by, at, comment: text, mode, until: null },
    changedAt: at,
  };
  return { alarm: next, entries: [entry(next, at, by, 'acknowledged', alarm.state, text, { mode })] };
}

/** A timed acknowledgement: back to outstanding at `until` if the condition still holds. */
export function snooze(alarm: Alarm, by: string, comment: string, until: number, at: number): Transition {
  const text = requireComment(comment, 'a snooze');
  if (until <= at) throw new AlarmTransitionError('VALIDATION', 'a snooze must end in the future');
  if (alarm.state === 'resolved' || alarm.state === 'closed') refuse(alarm, 'snoozed');
  const next: Alarm = {
    ...alarm,
    state: 'snoozed',
    ack: { by, at, comment: text, mode: 'timed', until },
    changedAt: at,
  };
  return { alarm: next, entries: [entry(next, at, by, 'snoozed', alarm.state, text, { until })] };
}

/** A snooze whose time is up: the alarm needs someone again. Null when not due. */
export function expireSnooze(alarm: Alarm, at: number): Transition | null {
  if (alarm.state !== 'snoozed' || alarm.ack === null || alarm.ack.until === null || alarm.ack.until > at)
    return null;
  const next: Alarm = { ...alarm, state: 'outstanding', ack: null, changedAt: at };
  return { alarm: next, entries: [entry(next, at, 'engine', 'snoozeExpired', alarm.state)] };
}

/** Takes an acknowledgement (or a snooze) back: outstanding again. */
export function unacknowledge(alarm: Alarm, by: string, comment: string, at: number): Transition {
  const text = requireComment(comment, 'taking an acknowledgement back');
  if (alarm.state !== 'acknowledged' && alarm.state !== 'snoozed') refuse(alarm, 'unacknowledged');
  const next: Alarm = { ...alarm, state: 'outstanding', ack: null, changedAt: at };
  return { alarm: next, entries: [entry(next, at, by, 'unacknowledged', alarm.state, text)] };
}

/**
 * An operator says it is over: for events that never clear by themselves (a cold start, a
 * reboot). If the source still reports the condition, it is raised again at its next report.
 */
export function resolveManually(alarm: Alarm, by: string, comment: string, at: number): Transition {
  const text = requireComment(comment, 'resolving');
  if (alarm.state === 'resolved' || alarm.state === 'closed') refuse(alarm, 'resolved');
  const next: Alarm = { ...alarm, state: 'resolved', active: false, resolvedAt: at, changedAt: at };
  return { alarm: next, entries: [entry(next, at, by, 'resolved', alarm.state, text)] };
}

/** Finished: only a resolved alarm closes (resolve it first, or wait for the source to clear). */
export function close(alarm: Alarm, by: string, comment: string | null, at: number): Transition {
  if (alarm.state !== 'resolved') refuse(alarm, 'closed (only a resolved alarm closes)');
  const next: Alarm = { ...alarm, state: 'closed', closedAt: at, changedAt: at };
  return { alarm: next, entries: [entry(next, at, by, 'closed', alarm.state, comment)] };
}

export function assign(
  alarm: Alarm,
  by: string,
  assignee: Assignee | null,
  comment: string,
  at: number,
): Transition {
  if (alarm.state === 'closed') refuse(alarm, 'assigned');
  const next: Alarm = { ...alarm, assignee, changedAt: at };
  return {
    alarm: next,
    entries: [
      entry(next, at, by, 'assigned', alarm.state, comment.trim() || null, {
        assignee: assignee === null ? null : `${assignee.kind}:${assignee.id}`,
      }),
    ],
  };
}

export function changeSeverity(
  alarm: Alarm,
  by: string,
  severity: AlarmSeverity,
  comment: string,
  at: number,
): Transition {
  const text = requireComment(comment, 'changing the severity');
  if (alarm.state === 'closed') refuse(alarm, 'changed');
  if (severity === alarm.severity)
    throw new AlarmTransitionError('VALIDATION', `alarm ${alarm.id} is already ${severity}`);
  const next: Alarm = { ...alarm, severity, changedAt: at };
  return {
    alarm: next,
    entries: [
      entry(next, at, by, 'severityChanged', alarm.state, text, { from: alarm.severity, to: severity }),
    ],
  };
}

/** Grouped under (or released from) a zone-wide problem. */
export function group(alarm: Alarm, parentId: string | null, at: number): Transition | null {
  if (alarm.parentId === parentId) return null;
  const next: Alarm = { ...alarm, parentId, changedAt: at };
  return {
    alarm: next,
    entries: [entry(next, at, 'engine', 'grouped', alarm.state, null, { parent: parentId })],
  };
}
