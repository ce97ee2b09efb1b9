/**
 * The single source of truth for what crosses between the console and the engine, on Electron
 * IPC and on the WebSocket transport alike. Requests are named `area.verb`, events
 * `area.pastTense`. Adding a channel here without a handler is a compile error in the engine.
 */
import { z } from 'zod';
import { dashboardSchema } from '../domain/dashboard';
import { trapEventSchema } from '../domain/trap-event';
import { seriesTransformSchema } from '../domain/series-transform';
import {
  diagnosticRunResultSchema,
  diagnosticsRequestSchemas,
  diagnosticTemplatesSchema,
  hostKeyChangedSchema,
  hostKeyStateSchema,
} from './diagnostics';
import {
  alarmDetailSchema,
  alarmListSchema,
  alarmNotifiedSchema,
  alarmRequestSchemas,
  alarmsChangedSchema,
  directorySchema,
  handoverDigestSchema,
  handoverRequestSchemas,
  handoverSchema,
  maintenanceEntrySchema,
  maintenanceListSchema,
  maintenanceRequestSchemas,
} from './alarms';
import { alarmHistoryEntrySchema, alarmSchema } from '../domain/alarm';
import { equipmentDeviceDetailSchema, equipmentInventorySchema } from './equipment';
import { frameSchema, overviewSchema, readingKeySchema } from './overview';
import type { Access } from './access';
import { accountListSchema, accountSchema, userRequestSchemas } from './users';
import {
  secretsDeleteRequestSchema,
  secretsDeleteResponseSchema,
  secretsListRequestSchema,
  secretsListResponseSchema,
  secretsSetRequestSchema,
  secretsSetResponseSchema,
} from './secrets';
import {
  auditExportRequestSchema,
  auditExportResponseSchema,
  auditQueryRequestSchema,
  auditQueryResponseSchema,
  auditVerdictSchema,
} from './audit';
import {
  oidcStartSchema,
  sessionInfoSchema,
  sessionRequestSchemas,
  signInResultSchema,
  totpEnrolmentSchema,
} from './session';

export const localeSchema = z.enum(['fr', 'nl', 'en']);

const empty = z.strictObject({});

const scenarioStateSchema = z.strictObject({
  /** False when the engine runs on real equipment: drills exist only on the training estate. */
  available: z.boolean(),
  active: z.strictObject({ id: z.string(), since: z.number() }).nullable(),
  scenarios: z.array(z.strictObject({ id: z.string(), descriptionKey: z.string() })),
});

const identifier = z.string().min(1).max(200);
/**
 * A time in ms since the epoch, up to the end of year 9999: stores bind times as 64-bit integers,
 * so an unbounded double (-1.8e308) would fail there as INTERNAL instead of here as VALIDATION.
 */
const epochMs = z.number().min(0).max(253_402_300_799_999);

export const aggregationSchema = z.enum(['raw', 'mean', 'min', 'max', 'sum', 'count', 'last', 'p95']);
export const tagFilterSchema = z.strictObject({
  key: identifier,
  op: z.enum(['=', '!=']),
  value: z.string().max(1000),
});

/** A time series for a chart: columns, never an array of objects; null is a gap, never a zero. */
export const metricFrameSchema = z.strictObject({
  name: z.string(),
  tags: z.record(z.string(), z.string()),
  unit: z.string().nullable(),
  times: z.array(z.number()),
  values: z.array(z.number().nullable()),
});
export type MetricFrame = z.infer<typeof metricFrameSchema>;

const sourceErrorSchema = z.strictObject({ code: z.string(), message: z.string(), at: z.number() });

/** The console's own connection to a metric source: shown, never hidden behind stale charts. */
export const metricSourceSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['embedded', 'influxdb']),
  state: z.enum(['connecting', 'connected', 'unreachable']),
  lastOkAt: z.number().nullable(),
  lastError: sourceErrorSchema.nullable(),
  /** Source clock minus engine clock, from the server's Date header; warn above 30 s. */
  clockSkewMs: z.number().nullable(),
  /** Points waiting in the on-disk queue for the store to come back. */
  queuedPoints: z.number().int().nonnegative(),
  /** Points dropped because the queue was full: how many, and when the last was dropped. */
  dropped: z.strictObject({ count: z.number().int().nonnegative(), lastAt: z.number() }).nullable(),
});
export type MetricSource = z.infer<typeof metricSourceSchema>;

const metricSourcesSchema = z.strictObject({ sources: z.array(metricSourceSchema) });

export const dashboardSummarySchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  /** `auto`: built by Vigie from the inventory (per zone, per service), read-only; `user`: saved by a person. */
  origin: z.enum(['auto', 'user']),
  revision: z.number().int().nonnegative(),
  updatedAt: z.number().nullable(),
  updatedBy: z.string().nullable(),
  /** For a built-in dashboard: the ids of the devices and services it is about (a tile links to it). */
  subjects: z.array(z.string()).max(1000).optional(),
});
export type DashboardSummary = z.infer<typeof dashboardSummarySchema>;

const dashboardEntrySchema = z.strictObject({ summary: dashboardSummarySchema, dashboard: dashboardSchema });
const validationIssuesSchema = z.array(z.strictObject({ path: z.string(), message: z.string() }));

/** Every request channel: its request and response schemas and the capability a caller needs (access.ts). */
export const channels = {
  'app.info': {
    request: empty,
    response: z.strictObject({
      name: z.literal('Vigie'),
      version: z.string(),
      training: z.boolean(),
      locale: localeSchema,
      timeZone: z.string(),
    }),
    access: 'public',
  },
  'overview.get': { request: empty, response: overviewSchema, access: 'view' },
  'tiles.history': {
    request: z.strictObject({
      tileId: z.string().min(1).max(100),
      reading: readingKeySchema,
      from: z.number().int().nonnegative(),
      to: z.number().int().nonnegative(),
      /** At most this many points come back (the chart's width in device pixels). */
      maxPoints: z.number().int().min(1).max(20_000).default(2000),
    }),
    response: frameSchema,
    access: 'view',
  },
  'estate.scenarios': { request: empty, response: scenarioStateSchema, access: 'view' },
  'estate.runScenario': {
    request: z.strictObject({ id: z.string().min(1).max(100) }),
    response: scenarioStateSchema,
    access: 'estate.drill',
  },
  'metrics.sources': { request: empty, response: metricSourcesSchema, access: 'view.infrastructure' },
  'metrics.catalog': {
    request: z.strictObject({ source: identifier, measurement: identifier.optional() }),
    response: z.strictObject({
      measurements: z.array(z.string()),
      fields: z.array(
        z.strictObject({ name: z.string(), type: z.enum(['float', 'integer', 'string', 'boolean']) }),
      ),
      tagKeys: z.array(z.string()),
    }),
    access: 'view.infrastructure',
  },
  'metrics.tagValues': {
    request: z.strictObject({ source: identifier, measurement: identifier, key: identifier }),
    response: z.strictObject({ values: z.array(z.string()) }),
    access: 'view.infrastructure',
  },
  'metrics.query': {
    request: z
      .strictObject({
        source: identifier,
        measurement: identifier,
        field: identifier,
        where: z.array(tagFilterSchema).max(20).default([]),
        groupBy: z.array(identifier).max(5).default([]),
        /**
         * `raw`: the stored points while the range holds at most 4 per pixel column at the
         * collection resolution; beyond, the store's first/min/max/last per pixel column, drawn as
         * the raw line would be (`queryText` shows that query, `stepMs` the column's width; see
         * shared/domain/m4-points.ts).
         */
        aggregation: aggregationSchema.default('mean'),
        from: z.number().int().nonnegative(),
        to: z.number().int().nonnegative(),
        /**
         * The width of the chart's plot area in CSS pixels: its columns, in which Chart.js draws a
         * line. Aggregations come back with a few buckets per column, dense raw series with at
         * most first/min/max/last per column (shared/domain/query-sizing.ts, decimate.ts).
         */
        widthPx: z.number().int().min(1).max(16_384),
        /**
         * Applied by the engine before sizing the answer: a counter as a per-second rate (the
         * store is read per bucket with `last`, or raw), then scale and offset; see
         * shared/domain/series-transform.ts.
         */
        transform: seriesTransformSchema.optional(),
      })
      .refine((q) => q.to > q.from, { message: '"to" must be after "from"', path: ['to'] }),
    response: z.strictObject({
      frames: z.array(metricFrameSchema),
      /** The result was capped (store limit or row cap): what is drawn is incomplete. */
      truncated: z.boolean(),
      queryText: z.string(),
      stepMs: z.number(),
    }),
    access: 'view.infrastructure',
  },
  'dashboards.list': {
    request: empty,
    response: z.strictObject({ dashboards: z.array(dashboardSummarySchema) }),
    access: 'view.infrastructure',
  },
  'dashboards.get': {
    request: z.strictObject({ id: identifier }),
    response: dashboardEntrySchema,
    access: 'view.infrastructure',
  },
  'dashboards.save': {
    /** `baseRevision`: the revision the editor started from; a newer one on the engine is a CONFLICT. Absent for a new dashboard. */
    request: z.strictObject({
      dashboard: z.unknown(),
      baseRevision: z.number().int().nonnegative().optional(),
    }),
    response: dashboardEntrySchema,
    access: 'dashboards.write',
  },
  'dashboards.delete': {
    request: z.strictObject({ id: identifier }),
    response: z.strictObject({ id: z.string() }),
    access: 'dashboards.write',
  },
  /** Validates (and migrates) a dashboard JSON document without saving it. */
  'dashboards.import': {
    request: z.strictObject({ json: z.string().max(1_000_000) }),
    response: z.discriminatedUnion('ok', [
      z.strictObject({
        ok: z.literal(true),
        dashboard: dashboardSchema,
        migratedFrom: z.number().int().nullable(),
      }),
      z.strictObject({ ok: z.literal(false), issues: validationIssuesSchema }),
    ]),
    access: 'view.infrastructure',
  },
  'dashboards.export': {
    request: z.strictObject({ id: identifier }),
    response: z.strictObject({ fileName: z.string(), json: z.string() }),
    access: 'view.infrastructure',
  },
  'session.signIn': { request: sessionRequestSchemas.signIn, response: signInResultSchema, access: 'public' },
  'session.resume': { request: sessionRequestSchemas.resume, response: sessionInfoSchema, access: 'public' },
  'session.status': { request: empty, response: sessionInfoSchema, access: 'public' },
  'session.signOut': { request: empty, response: sessionInfoSchema, access: 'public' },
  'session.lock': { request: empty, response: sessionInfoSchema, access: 'public' },
  'session.unlock': { request: sessionRequestSchemas.unlock, response: sessionInfoSchema, access: 'public' },
  'session.oidcStart': { request: empty, response: oidcStartSchema, access: 'public' },
  'session.oidcFinish': {
    request: sessionRequestSchemas.oidcFinish,
    response: signInResultSchema,
    access: 'public',
  },
  /** Self-service for the signed-in person (every role can view): own password, own TOTP. */
  'session.changePassword': {
    request: sessionRequestSchemas.changePassword,
    response: sessionInfoSchema,
    access: 'view',
  },
  'session.totpBegin': { request: empty, response: totpEnrolmentSchema, access: 'view' },
  'session.totpConfirm': {
    request: sessionRequestSchemas.totpConfirm,
    response: sessionInfoSchema,
    access: 'view',
  },
  'equipment.inventory': {
    request: empty,
    response: equipmentInventorySchema,
    access: 'view.infrastructure',
  },
  'equipment.device': {
    request: z.strictObject({ id: identifier }),
    response: equipmentDeviceDetailSchema,
    access: 'view.infrastructure',
  },
  'traps.list': {
    request: z.strictObject({
      /** One device's notifications; null: those from unknown sources; absent: all. */
      deviceId: identifier.nullable().optional(),
      from: epochMs.optional(),
      to: epochMs.optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    response: z.strictObject({
      events: z.array(trapEventSchema),
      /** Where the receiver listens; null when it is not (with the reason). */
      listening: z.strictObject({ address: z.string(), port: z.number().int() }).nullable(),
      notListening: z.string().max(2000).nullable(),
    }),
    access: 'view.infrastructure',
  },
  /** The diagnostic templates a device allows (none without SSH access), for the run form. */
  'diagnostics.templates': {
    request: diagnosticsRequestSchemas.device,
    response: diagnosticTemplatesSchema,
    access: 'view.infrastructure',
  },
  /** Where the device's SSH host key stands: pinned, presented, state. Contacts nothing. */
  'diagnostics.hostKey': {
    request: diagnosticsRequestSchemas.device,
    response: hostKeyStateSchema,
    access: 'view.infrastructure',
  },
  /** Reads the key the device presents now (no authentication), to show it for confirmation. */
  'diagnostics.probeHostKey': {
    request: diagnosticsRequestSchemas.device,
    response: hostKeyStateSchema,
    access: 'diagnostics.run',
  },
  /**
   * Pins the key the device presented lately, if its fingerprint is `fingerprint` (what the
   * operator compared); audited. CONFLICT when no such key awaits confirmation.
   */
  'diagnostics.confirmHostKey': {
    request: diagnosticsRequestSchemas.confirm,
    response: hostKeyStateSchema,
    access: 'diagnostics.run',
  },
  /**
   * Runs an allow-listed template on a device (audited before it starts). A template the device
   * does not allow, or a parameter its template refuses, is VALIDATION (with issues); a host key
   * not pinned or changed is a `refused` result, not an error.
   */
  'diagnostics.run': {
    request: diagnosticsRequestSchemas.run,
    response: diagnosticRunResultSchema,
    access: 'diagnostics.run',
  },
  /** The open alarms, worst first, with counts per severity and where each escalation stands. */
  'alarms.list': { request: alarmRequestSchemas.list, response: alarmListSchema, access: 'view' },
  /** One alarm with its history (who, when, why), its children and related alarms. */
  'alarms.get': { request: alarmRequestSchemas.get, response: alarmDetailSchema, access: 'view' },
  /** Transitions: each is audited before it takes effect; a state that forbids it is CONFLICT. */
  'alarms.acknowledge': {
    request: alarmRequestSchemas.acknowledge,
    response: alarmSchema,
    access: 'alarms.act',
  },
  'alarms.snooze': { request: alarmRequestSchemas.snooze, response: alarmSchema, access: 'alarms.act' },
  'alarms.unacknowledge': {
    request: alarmRequestSchemas.unacknowledge,
    response: alarmSchema,
    access: 'alarms.act',
  },
  'alarms.resolve': { request: alarmRequestSchemas.resolve, response: alarmSchema, access: 'alarms.act' },
  'alarms.close': { request: alarmRequestSchemas.close, response: alarmSchema, access: 'alarms.act' },
  'alarms.assign': { request: alarmRequestSchemas.assign, response: alarmSchema, access: 'alarms.act' },
  'alarms.setSeverity': {
    request: alarmRequestSchemas.setSeverity,
    response: alarmSchema,
    access: 'alarms.act',
  },
  'alarms.escalate': { request: alarmRequestSchemas.escalate, response: alarmSchema, access: 'alarms.act' },
  /** Alarms closed or changed in a period, for review (newest first). */
  'alarms.history': {
    request: alarmRequestSchemas.history,
    response: z.strictObject({ alarms: z.array(alarmSchema), entries: z.array(alarmHistoryEntrySchema) }),
    access: 'view',
  },
  /** People, teams and on-call schedules (with who is on call now), for assignment. */
  'alarms.directory': { request: empty, response: directorySchema, access: 'view' },
  /** The digest the outgoing operator hands over, as it stands now. */
  'handover.draft': { request: handoverRequestSchemas.draft, response: handoverDigestSchema, access: 'view' },
  /** Hands the shift over: the digest now and the notes, kept as a record. */
  'handover.submit': {
    request: handoverRequestSchemas.submit,
    response: handoverSchema,
    access: 'handover.write',
  },
  /** The incoming operator takes the shift: audited. CONFLICT if already taken. */
  'handover.acknowledge': {
    request: handoverRequestSchemas.acknowledge,
    response: handoverSchema,
    access: 'handover.write',
  },
  /** Maintenance windows: they hold notifications and escalation (collection goes on). */
  'maintenance.list': {
    request: maintenanceRequestSchemas.list,
    response: maintenanceListSchema,
    access: 'view',
  },
  'maintenance.save': {
    request: maintenanceRequestSchemas.save,
    response: maintenanceEntrySchema,
    access: 'maintenance.write',
  },
  'maintenance.delete': {
    request: maintenanceRequestSchemas.delete,
    response: z.strictObject({ id: z.string() }),
    access: 'maintenance.write',
  },
  'handover.list': {
    request: handoverRequestSchemas.list,
    response: z.strictObject({ handovers: z.array(handoverSchema) }),
    access: 'view',
  },
  /** A page of the audit trail, newest first, with filters; viewing it is itself audited. */
  'audit.query': {
    request: auditQueryRequestSchema,
    response: auditQueryResponseSchema,
    access: 'audit.read',
  },
  /** Checks the whole hash chain and its anchors: intact, or the first problem with its entry. */
  'audit.verify': { request: empty, response: auditVerdictSchema, access: 'audit.read' },
  /** The entries matching the filters as a file (JSON lines or CSV), oldest first; audited. */
  'audit.export': {
    request: auditExportRequestSchema,
    response: auditExportResponseSchema,
    access: 'audit.read',
  },
  /** Accounts (administrators, within their own client scope). */
  'users.list': { request: empty, response: accountListSchema, access: 'users.manage' },
  'users.create': { request: userRequestSchemas.create, response: accountSchema, access: 'users.manage' },
  'users.update': { request: userRequestSchemas.update, response: accountSchema, access: 'users.manage' },
  'users.setPassword': {
    request: userRequestSchemas.setPassword,
    response: accountSchema,
    access: 'users.manage',
  },
  'users.removeTotp': {
    request: userRequestSchemas.removeTotp,
    response: accountSchema,
    access: 'users.manage',
  },
  /** The secret vault: names and state only; values go in, never out. Listing it is audited. */
  'secrets.list': {
    request: secretsListRequestSchema,
    response: secretsListResponseSchema,
    access: 'secrets.manage',
  },
  'secrets.set': {
    request: secretsSetRequestSchema,
    response: secretsSetResponseSchema,
    access: 'secrets.manage',
  },
  'secrets.delete': {
    request: secretsDeleteRequestSchema,
    response: secretsDeleteResponseSchema,
    access: 'secrets.manage',
  },
} as const satisfies Record<string, ChannelDef>;

/** Every push event and its payload. Payloads carry a revision where order matters. */
export const events = {
  'overview.changed': overviewSchema,
  'estate.scenarioChanged': scenarioStateSchema,
  'metrics.sourcesChanged': metricSourcesSchema,
  'dashboards.changed': z.strictObject({ dashboards: z.array(dashboardSummarySchema) }),
  'traps.received': trapEventSchema,
  'diagnostics.hostKeyChanged': hostKeyChangedSchema,
  'alarms.changed': alarmsChangedSchema,
  'alarms.notified': alarmNotifiedSchema,
  'handover.changed': handoverSchema,
  'maintenance.changed': maintenanceListSchema,
} as const satisfies Record<string, z.ZodType>;

export interface ChannelDef {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  readonly access: Access;
}

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;
/** What a caller passes (defaults not yet applied). */
export type RequestIn<C extends ChannelName> = z.input<Channels[C]['request']>;
/** What a handler receives (parsed, defaults applied). */
export type RequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
