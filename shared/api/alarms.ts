/** Schemas of the alarm channels: the list, one alarm's detail, operator actions, handover. */
import { z } from 'zod';
import {
  maintenanceScheduleSchema,
  maintenanceScopeSchema,
  maintenanceWindowSchema,
} from '../domain/maintenance-window';
import {
  alarmHistoryEntrySchema,
  alarmSchema,
  alarmSeveritySchema,
  ALARM_STATES,
  assigneeSchema,
} from '../domain/alarm';

const severityCounts = z.strictObject({
  critical: z.number().int().nonnegative(),
  major: z.number().int().nonnegative(),
  minor: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
});

/** Where an alarm's escalation stands (absent: no policy applies, or in maintenance). */
export const escalationStatusSchema = z.strictObject({
  policyId: z.string(),
  policyName: z.string(),
  /** The next step to run (0-based); equal to the step count when every step ran. */
  step: z.number().int().nonnegative(),
  stepCount: z.number().int().nonnegative(),
  /** Repeat round (0-based) of the policy. */
  cycle: z.number().int().nonnegative(),
  /** When the next step is due; null: finished, or held (acknowledged, maintenance, flapping). */
  nextAt: z.number().nullable(),
  held: z.enum(['acknowledged', 'maintenance', 'flapping', 'grouped', 'resolved']).nullable(),
});
export type EscalationStatus = z.infer<typeof escalationStatusSchema>;

export const alarmListSchema = z.strictObject({
  /** The alarm store's revision: every change raises it. */
  revision: z.number().int().nonnegative(),
  alarms: z.array(alarmSchema),
  counts: z.strictObject({ open: severityCounts, outstanding: severityCounts }),
  /** More open alarms than `limit` exist: the list holds the worst ones. */
  truncated: z.boolean(),
  escalations: z.record(z.string(), escalationStatusSchema),
});
export type AlarmList = z.infer<typeof alarmListSchema>;

export const alarmDetailSchema = z.strictObject({
  alarm: alarmSchema,
  history: z.array(alarmHistoryEntrySchema),
  /** For a zone-wide problem: the alarms it groups. */
  children: z.array(alarmSchema),
  /** Other open alarms of the same subject or, for a child, its parent and siblings. */
  related: z.array(alarmSchema),
  escalation: escalationStatusSchema.nullable(),
});
export type AlarmDetail = z.infer<typeof alarmDetailSchema>;

const alarmId = z.string().min(1).max(100);
const comment = z.string().trim().min(1, 'a comment is required').max(2000);

export const alarmRequestSchemas = {
  list: z.strictObject({
    /** Default: every open alarm (closed ones are in `alarms.history`). */
    states: z.array(z.enum(ALARM_STATES)).max(5).optional(),
    limit: z.number().int().min(1).max(50_000).default(20_000),
  }),
  get: z.strictObject({ id: alarmId }),
  acknowledge: z.strictObject({
    id: alarmId,
    comment,
    /** sticky: holds until resolved; normal: drops if the alarm worsens. */
    mode: z.enum(['normal', 'sticky']).default('normal'),
  }),
  snooze: z.strictObject({
    id: alarmId,
    comment,
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  }),
  unacknowledge: z.strictObject({ id: alarmId, comment }),
  resolve: z.strictObject({ id: alarmId, comment }),
  close: z.strictObject({ id: alarmId, comment: z.string().trim().max(2000).default('') }),
  assign: z.strictObject({
    id: alarmId,
    assignee: assigneeSchema.nullable(),
    comment: z.string().trim().max(2000).default(''),
  }),
  setSeverity: z.strictObject({ id: alarmId, severity: alarmSeveritySchema, comment }),
  /** Runs the alarm's next escalation step now. */
  escalate: z.strictObject({ id: alarmId, comment }),
  history: z.strictObject({
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    limit: z.number().int().min(1).max(10_000).default(1000),
  }),
};

/** A changed alarm, pushed to every seat: apply when its revision is newer than the one held. */
export const alarmsChangedSchema = z.strictObject({
  revision: z.number().int().nonnegative(),
  alarms: z.array(alarmSchema),
  counts: z.strictObject({ open: severityCounts, outstanding: severityCounts }),
  escalations: z.record(z.string(), escalationStatusSchema.nullable()),
});
export type AlarmsChanged = z.infer<typeof alarmsChangedSchema>;

/** A notification for the desktop channel: every seat shows it (and Electron's tray). */
export const alarmNotifiedSchema = z.strictObject({
  alarm: alarmSchema,
  /** Why: the first raise, an escalation step, a re-notification of a forgotten alarm. */
  reason: z.enum(['raised', 'escalated', 'renotified']),
  targets: z.array(z.string()),
  at: z.number(),
});
export type AlarmNotified = z.infer<typeof alarmNotifiedSchema>;

/** The people, teams and schedules alarms are assigned and escalated to. */
export const directorySchema = z.strictObject({
  people: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  teams: z.array(z.strictObject({ id: z.string(), name: z.string(), members: z.array(z.string()) })),
  schedules: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      /** Who is on call now; null: nobody (a gap in the schedule). */
      onCall: z.string().nullable(),
      until: z.number().nullable(),
    }),
  ),
});
export type Directory = z.infer<typeof directorySchema>;

// ------------------------------------------------------------------------------------------
// Shift handover

export const handoverDigestSchema = z.strictObject({
  at: z.number(),
  counts: z.strictObject({ open: severityCounts, outstanding: severityCounts }),
  outstanding: z.array(alarmSchema),
  acknowledged: z.array(alarmSchema),
  snoozed: z.array(alarmSchema),
  escalating: z.array(z.strictObject({ alarm: alarmSchema, escalation: escalationStatusSchema })),
  /** Alarms raised since the previous handover (or the last 12 hours). */
  raisedSince: z.number(),
  raisedCount: z.number().int().nonnegative(),
});
export type HandoverDigest = z.infer<typeof handoverDigestSchema>;

export const handoverSchema = z.strictObject({
  id: z.string(),
  createdAt: z.number(),
  createdBy: z.string(),
  notes: z.string().max(20_000),
  digest: handoverDigestSchema,
  acknowledgedAt: z.number().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type Handover = z.infer<typeof handoverSchema>;

export const handoverRequestSchemas = {
  draft: z.strictObject({}),
  submit: z.strictObject({ notes: z.string().trim().max(20_000) }),
  acknowledge: z.strictObject({
    id: z.string().min(1).max(100),
    comment: z.string().trim().max(2000).default(''),
  }),
  list: z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
};

// ------------------------------------------------------------------------------------------
// Maintenance windows

/** A window as listed: with the occurrence running now and the next one. */
export const maintenanceEntrySchema = z.strictObject({
  window: maintenanceWindowSchema,
  activeNow: z.strictObject({ from: z.number(), to: z.number() }).nullable(),
  next: z.strictObject({ from: z.number(), to: z.number() }).nullable(),
});
export type MaintenanceEntry = z.infer<typeof maintenanceEntrySchema>;

export const maintenanceRequestSchemas = {
  list: z.strictObject({}),
  /** Without `id`: a new window. `createdBy`/`createdAt` are set by the engine. */
  save: z.strictObject({
    id: z.string().min(1).max(64).optional(),
    title: z.string().trim().min(1).max(200),
    reason: z.string().trim().max(2000).default(''),
    scope: maintenanceScopeSchema,
    schedule: maintenanceScheduleSchema,
  }),
  delete: z.strictObject({
    id: z.string().min(1).max(64),
    reason: z.string().trim().min(1, 'a reason is required').max(2000),
  }),
};
export const maintenanceListSchema = z.strictObject({ windows: z.array(maintenanceEntrySchema) });
