/**
 * Dashboards as versioned JSON documents: what operators build, export, import and put on the
 * wall. Each document names its `schemaVersion`; `parseDashboardDocument` migrates older
 * versions step by step to the current one and refuses versions from the future with a clear
 * message (a newer Vigie wrote it).
 *
 * Versions:
 * - 1: `range`, a relative preset (`'6h'`): every dashboard followed the clock.
 * - 2: `time`, a relative preset or an absolute period (`{ kind: 'absolute', from, to }`), so that
 *   an incident review board shows the same hours whenever it is opened. `from`/`to` are epoch
 *   milliseconds (UTC, as everything inside Vigie); a hand-written file may give ISO 8601 times
 *   with an explicit offset (`2024-03-10T13:00:00Z`, `...+01:00`), read to epoch milliseconds. A
 *   time without an offset is refused: which zone it meant cannot be known.
 */
import { z } from 'zod';
import { seriesTransformSchema } from './series-transform';

export const DASHBOARD_SCHEMA_VERSION = 2;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)');

export const rangePresetSchema = z.enum(['15m', '1h', '6h', '24h', '7d', '30d']);
export type RangePreset = z.infer<typeof rangePresetSchema>;

/** ISO 8601 with a date, a time and an explicit offset: what an absolute time may be written as. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Latest instant a document may name (year 9999): keeps `Date` and the charts' arithmetic sane. */
const MAX_EPOCH_MS = 253_402_300_799_999;

/** An instant in a document: epoch milliseconds, or an ISO 8601 text with an offset (read to ms). */
export const instantSchema = z.union([
  z.number().int().min(0).max(MAX_EPOCH_MS),
  z
    .string()
    .regex(ISO_WITH_OFFSET, 'an ISO 8601 time with its offset, e.g. 2024-03-10T13:00:00Z or ...+01:00')
    .transform((text, ctx) => {
      const ms = Date.parse(text);
      if (!Number.isFinite(ms) || ms < 0 || ms > MAX_EPOCH_MS) {
        ctx.addIssue({ code: 'custom', message: 'not a time of the calendar' });
        return z.NEVER;
      }
      return ms;
    }),
]);

/**
 * What a dashboard shows: the last `preset` of time, following the clock (live, refreshed every
 * `refreshSeconds`), or the fixed period `from`-`to` (never refreshed: a review of what happened).
 */
export const dashboardTimeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('relative'), preset: rangePresetSchema }),
  z
    .strictObject({ kind: z.literal('absolute'), from: instantSchema, to: instantSchema })
    .refine((t) => t.to > t.from, { message: '"to" must be after "from"', path: ['to'] }),
]);
export type DashboardTime = z.infer<typeof dashboardTimeSchema>;

/** The default of a new dashboard and of a version 1 document without `range`. */
export const DEFAULT_DASHBOARD_TIME: DashboardTime = { kind: 'relative', preset: '6h' };

/** The period a dashboard time covers at `now` (a relative one ends at `now`). */
export function resolveDashboardTime(time: DashboardTime, now: number): { from: number; to: number } {
  return time.kind === 'absolute'
    ? { from: time.from, to: time.to }
    : { from: now - presetMs(time.preset), to: now };
}

export function sameDashboardTime(a: DashboardTime, b: DashboardTime): boolean {
  if (a.kind === 'relative') return b.kind === 'relative' && a.preset === b.preset;
  return b.kind === 'absolute' && a.from === b.from && a.to === b.to;
}

export const panelSeriesSchema = z.strictObject({
  source: z.string().min(1).max(200),
  measurement: z.string().min(1).max(200),
  field: z.string().min(1).max(200),
  where: z
    .array(
      z.strictObject({
        key: z.string().min(1).max(200),
        op: z.enum(['=', '!=']),
        value: z.string().max(1000),
      }),
    )
    .max(20)
    .default([]),
  groupBy: z.array(z.string().min(1).max(200)).max(5).default([]),
  aggregation: z.enum(['raw', 'mean', 'min', 'max', 'sum', 'count', 'last', 'p95']).default('mean'),
  /** Shown in the legend instead of the generated name. */
  label: z.string().max(200).optional(),
  /** A counter as a rate, a scale and offset, the resulting unit (version 2; see series-transform.ts). */
  transform: seriesTransformSchema.optional(),
});
export type PanelSeries = z.infer<typeof panelSeriesSchema>;

export const panelSchema = z.strictObject({
  id,
  title: z.string().min(1).max(200),
  kind: z.literal('timeseries'),
  series: z.array(panelSeriesSchema).min(1).max(12),
  /** Grid placement in a 12-column layout. */
  layout: z
    .strictObject({
      x: z.number().int().min(0).max(11),
      y: z.number().int().min(0).max(1000),
      w: z.number().int().min(1).max(12),
      h: z.number().int().min(1).max(24),
    })
    .refine((l) => l.x + l.w <= 12, { message: 'panel overflows the 12-column grid' }),
});
export type Panel = z.infer<typeof panelSchema>;

export const dashboardSchema = z
  .strictObject({
    schemaVersion: z.literal(DASHBOARD_SCHEMA_VERSION),
    id,
    title: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    time: dashboardTimeSchema.default(DEFAULT_DASHBOARD_TIME),
    /** How often the wall or the console re-reads the panels (a relative time only). */
    refreshSeconds: z.number().int().min(5).max(3600).default(30),
    panels: z.array(panelSchema).max(48),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.panels.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['panels', i, 'id'], message: `duplicate panel id "${p.id}"` });
      seen.add(p.id);
    });
  });
export type Dashboard = z.infer<typeof dashboardSchema>;

type Issue = { path: string; message: string };

/**
 * One step from version N to N+1 (index N-1 of MIGRATIONS). It rewrites what changed and leaves
 * the rest to the final validation; it reports an issue only for what it cannot carry over,
 * under the path the older document used (the one its author knows).
 */
type Migration = (doc: Record<string, unknown>) => { doc: Record<string, unknown> } | { issues: Issue[] };

/** 1 → 2: `range: '6h'` becomes `time: { kind: 'relative', preset: '6h' }`. */
function rangeToTime(doc: Record<string, unknown>): { doc: Record<string, unknown> } | { issues: Issue[] } {
  const { range, ...rest } = doc;
  if ('time' in rest)
    return { issues: [{ path: 'time', message: 'not a field of version 1 (it came with version 2)' }] };
  if (range === undefined) return { doc: { ...rest, time: DEFAULT_DASHBOARD_TIME } };
  const preset = rangePresetSchema.safeParse(range);
  if (!preset.success)
    return {
      issues: [{ path: 'range', message: `must be one of ${rangePresetSchema.options.join(', ')}` }],
    };
  return { doc: { ...rest, time: { kind: 'relative', preset: preset.data } } };
}

const MIGRATIONS: readonly Migration[] = [rangeToTime];

export type DashboardParse =
  | { ok: true; dashboard: Dashboard; migratedFrom: number | null }
  | { ok: false; issues: { path: string; message: string }[] };

/** An unknown field is named by its own path (and `range`, the field version 2 replaced, says so). */
function describeIssue(issue: z.core.$ZodIssue): Issue[] {
  const at = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(document)';
  if (issue.code !== 'unrecognized_keys') return [{ path: at(issue.path), message: issue.message }];
  return issue.keys.map((key) => ({
    path: at([...issue.path, key]),
    message:
      issue.path.length === 0 && key === 'range'
        ? 'unknown field: version 2 replaced "range" with "time" ({ "kind": "relative", "preset": ... })'
        : 'unknown field',
  }));
}

/** Validates a dashboard document of any known version and brings it to the current one. */
export function parseDashboardDocument(raw: unknown): DashboardParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, issues: [{ path: '(document)', message: 'a dashboard is a JSON object' }] };
  const version = (raw as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return {
      ok: false,
      issues: [{ path: 'schemaVersion', message: 'missing or not a positive whole number' }],
    };
  if (version > DASHBOARD_SCHEMA_VERSION)
    return {
      ok: false,
      issues: [
        {
          path: 'schemaVersion',
          message: `version ${version} was written by a newer Vigie; this one reads up to ${DASHBOARD_SCHEMA_VERSION}`,
        },
      ],
    };
  let doc = { ...(raw as Record<string, unknown>) };
  for (let v = version; v < DASHBOARD_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v - 1];
    if (!step)
      return { ok: false, issues: [{ path: 'schemaVersion', message: `no migration from version ${v}` }] };
    const migrated = step(doc);
    if ('issues' in migrated) return { ok: false, issues: migrated.issues };
    doc = { ...migrated.doc, schemaVersion: v + 1 };
  }
  const parsed = dashboardSchema.safeParse(doc);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.flatMap(describeIssue).slice(0, 50),
    };
  return {
    ok: true,
    dashboard: parsed.data,
    migratedFrom: version === DASHBOARD_SCHEMA_VERSION ? null : version,
  };
}

/** Milliseconds of a range preset. */
export function presetMs(preset: RangePreset): number {
  const table: Record<RangePreset, number> = {
    '15m': 900_000,
    '1h': 3_600_000,
    '6h': 21_600_000,
    '24h': 86_400_000,
    '7d': 604_800_000,
    '30d': 2_592_000_000,
  };
  return table[preset];
}
