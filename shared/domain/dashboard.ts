/**
 * Dashboards as versioned JSON documents: what operators build, export, import and put on the
 * wall. Each document names its `schemaVersion`; `parseDashboardDocument` migrates older
 * versions step by step to the current one and refuses versions from the future with a clear
 * message (a newer Vigie wrote it).
 */
import { z } from 'zod';

export const DASHBOARD_SCHEMA_VERSION = 1;

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)');

export const rangePresetSchema = z.enum(['15m', '1h', '6h', '24h', '7d', '30d']);
export type RangePreset = z.infer<typeof rangePresetSchema>;

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
    range: rangePresetSchema.default('6h'),
    /** How often the wall or the console re-reads the panels. */
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

/** One step from version N to N+1 (index N-1 of MIGRATIONS). None yet: version 1 is the first. */
type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
const MIGRATIONS: readonly Migration[] = [];

export type DashboardParse =
  | { ok: true; dashboard: Dashboard; migratedFrom: number | null }
  | { ok: false; issues: { path: string; message: string }[] };

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
    doc = { ...step(doc), schemaVersion: v + 1 };
  }
  const parsed = dashboardSchema.safeParse(doc);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues
        .slice(0, 50)
        .map((i) => ({ path: i.path.map(String).join('.') || '(document)', message: i.message })),
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
