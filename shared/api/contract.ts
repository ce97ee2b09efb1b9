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

export const ROLES = ['viewer', 'operator'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const localeSchema = z.enum(['fr', 'nl', 'en']);

const empty = z.strictObject({});

const scenarioStateSchema = z.strictObject({
  /** False when the engine runs on real equipment: drills exist only on the training estate. */
  available: z.boolean(),
  active: z.strictObject({ id: z.string(), since: z.number() }).nullable(),
  scenarios: z.array(z.strictObject({ id: z.string(), descriptionKey: z.string() })),
});

const identifier = z.string().min(1).max(200);

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

/** Every request channel: its request and response schemas and the least role that may call it. */
export const channels = {
  'app.info': {
    request: empty,
    response: z.strictObject({
      name: z.literal('Vigie'),
      version: z.string(),
      training: z.boolean(),
      role: roleSchema,
      locale: localeSchema,
      timeZone: z.string(),
    }),
    role: 'viewer',
  },
  'overview.get': { request: empty, response: overviewSchema, role: 'viewer' },
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
    role: 'viewer',
  },
  'estate.scenarios': { request: empty, response: scenarioStateSchema, role: 'viewer' },
  'estate.runScenario': {
    request: z.strictObject({ id: z.string().min(1).max(100) }),
    response: scenarioStateSchema,
    role: 'operator',
  },
  'metrics.sources': { request: empty, response: metricSourcesSchema, role: 'viewer' },
  'metrics.catalog': {
    request: z.strictObject({ source: identifier, measurement: identifier.optional() }),
    response: z.strictObject({
      measurements: z.array(z.string()),
      fields: z.array(
        z.strictObject({ name: z.string(), type: z.enum(['float', 'integer', 'string', 'boolean']) }),
      ),
      tagKeys: z.array(z.string()),
    }),
    role: 'viewer',
  },
  'metrics.tagValues': {
    request: z.strictObject({ source: identifier, measurement: identifier, key: identifier }),
    response: z.strictObject({ values: z.array(z.string()) }),
    role: 'viewer',
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
    role: 'viewer',
  },
  'dashboards.list': {
    request: empty,
    response: z.strictObject({ dashboards: z.array(dashboardSummarySchema) }),
    role: 'viewer',
  },
  'dashboards.get': {
    request: z.strictObject({ id: identifier }),
    response: dashboardEntrySchema,
    role: 'viewer',
  },
  'dashboards.save': {
    /** `baseRevision`: the revision the editor started from; a newer one on the engine is a CONFLICT. Absent for a new dashboard. */
    request: z.strictObject({
      dashboard: z.unknown(),
      baseRevision: z.number().int().nonnegative().optional(),
    }),
    response: dashboardEntrySchema,
    role: 'operator',
  },
  'dashboards.delete': {
    request: z.strictObject({ id: identifier }),
    response: z.strictObject({ id: z.string() }),
    role: 'operator',
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
    role: 'viewer',
  },
  'dashboards.export': {
    request: z.strictObject({ id: identifier }),
    response: z.strictObject({ fileName: z.string(), json: z.string() }),
    role: 'viewer',
  },
  'session.signIn': {
    request: z.strictObject({ key: z.string().min(1).max(200) }),
    response: z.strictObject({ role: roleSchema }),
    role: 'viewer',
  },
  'equipment.inventory': { request: empty, response: equipmentInventorySchema, role: 'viewer' },
  'equipment.device': {
    request: z.strictObject({ id: identifier }),
    response: equipmentDeviceDetailSchema,
    role: 'viewer',
  },
  'traps.list': {
    request: z.strictObject({
      /** One device's notifications; null: those from unknown sources; absent: all. */
      deviceId: identifier.nullable().optional(),
      from: z.number().optional(),
      to: z.number().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    response: z.strictObject({
      events: z.array(trapEventSchema),
      /** Where the receiver listens; null when it is not (with the reason). */
      listening: z.strictObject({ address: z.string(), port: z.number().int() }).nullable(),
      notListening: z.string().max(2000).nullable(),
    }),
    role: 'viewer',
  },
  /** The diagnostic templates a device allows (none without SSH access), for the run form. */
  'diagnostics.templates': {
    request: diagnosticsRequestSchemas.device,
    response: diagnosticTemplatesSchema,
    role: 'viewer',
  },
  /** Where the device's SSH host key stands: pinned, presented, state. Contacts nothing. */
  'diagnostics.hostKey': {
    request: diagnosticsRequestSchemas.device,
    response: hostKeyStateSchema,
    role: 'viewer',
  },
  /** Reads the key the device presents now (no authentication), to show it for confirmation. */
  'diagnostics.probeHostKey': {
    request: diagnosticsRequestSchemas.device,
    response: hostKeyStateSchema,
    role: 'operator',
  },
  /**
   * Pins the key the device presented lately, if its fingerprint is `fingerprint` (what the
   * operator compared); audited. CONFLICT when no such key awaits confirmation.
   */
  'diagnostics.confirmHostKey': {
    request: diagnosticsRequestSchemas.confirm,
    response: hostKeyStateSchema,
    role: 'operator',
  },
  /**
   * Runs an allow-listed template on a device (audited before it starts). A template the device
   * does not allow, or a parameter its template refuses, is VALIDATION (with issues); a host key
   * not pinned or changed is a `refused` result, not an error.
   */
  'diagnostics.run': {
    request: diagnosticsRequestSchemas.run,
    response: diagnosticRunResultSchema,
    role: 'operator',
  },
  /** The open alarms, worst first, with counts per severity and where each escalation stands. */
  'alarms.list': { request: alarmRequestSchemas.list, response: alarmListSchema, role: 'viewer' },
  /** One alarm with its history (who, when, why), its children and related alarms. */
  'alarms.get': { request: alarmRequestSchemas.get, response: alarmDetailSchema, role: 'viewer' },
  /** Transitions: each is audited before it takes effect; a state that forbids it is CONFLICT. */
  'alarms.acknowledge': { request: alarmRequestSchemas.acknowledge, response: alarmSchema, role: 'operator' },
  'alarms.snooze': { request: alarmRequestSchemas.snooze, response: alarmSchema, role: 'operator' },
  'alarms.unacknowledge': {
    request: alarmRequestSchemas.unacknowledge,
    response: alarmSchema,
    role: 'operator',
  },
  'alarms.resolve': { request: alarmRequestSchemas.resolve, response: alarmSchema, role: 'operator' },
  'alarms.close': { request: alarmRequestSchemas.close, response: alarmSchema, role: 'operator' },
  'alarms.assign': { request: alarmRequestSchemas.assign, response: alarmSchema, role: 'operator' },
  'alarms.setSeverity': { request: alarmRequestSchemas.setSeverity, response: alarmSchema, role: 'operator' },
  'alarms.escalate': { request: alarmRequestSchemas.escalate, response: alarmSchema, role: 'operator' },
  /** Alarms closed or changed in a period, for review (newest first). */
  'alarms.history': {
    request: alarmRequestSchemas.history,
    response: z.strictObject({ alarms: z.array(alarmSchema), entries: z.array(alarmHistoryEntrySchema) }),
    role: 'viewer',
  },
  /** People, teams and on-call schedules (with who is on call now), for assignment. */
  'alarms.directory': { request: empty, response: directorySchema, role: 'viewer' },
  /** The digest the outgoing operator hands over, as it stands now. */
  'handover.draft': { request: handoverRequestSchemas.draft, response: handoverDigestSchema, role: 'viewer' },
  /** Hands the shift over: the digest now and the notes, kept as a record. */
  'handover.submit': { request: handoverRequestSchemas.submit, response: handoverSchema, role: 'operator' },
  /** The incoming operator takes the shift: audited. CONFLICT if already taken. */
  'handover.acknowledge': {
    request: handoverRequestSchemas.acknowledge,
    response: handoverSchema,
    role: 'operator',
  },
  /** Maintenance windows: they hold notifications and escalation (collection goes on). */
  'maintenance.list': {
    request: maintenanceRequestSchemas.list,
    response: maintenanceListSchema,
    role: 'viewer',
  },
  'maintenance.save': {
    request: maintenanceRequestSchemas.save,
    response: maintenanceEntrySchema,
    role: 'operator',
  },
  'maintenance.delete': {
    request: maintenanceRequestSchemas.delete,
    response: z.strictObject({ id: z.string() }),
    role: 'operator',
  },
  'handover.list': {
    request: handoverRequestSchemas.list,
    response: z.strictObject({ handovers: z.array(handoverSchema) }),
    role: 'viewer',
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
  readonly role: Role;
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

/** Whether a role may call a channel that requires `required`. */
export function roleAllows(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
