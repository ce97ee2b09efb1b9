/**
 * MIB profiles as data: what to read from an SNMP agent and what it means. A profile lists scalar
 * objects and tables (rows keyed by the instances of an index column), and for each metric its
 * OID or column, its type, unit, scale and thresholds; status rules combine metrics. Built-in
 * profiles live in resources/mib-profiles/ (YAML); user-defined ones come from the configuration
 * and are validated by the same schema (`mibProfileSchema`), so a wrong field names its path.
 */
import { z } from 'zod';
import { STATUSES } from '../../../../../shared/domain/status';

/** Version of the profile format; a profile written for a later format is refused, not guessed. */
export const MIB_PROFILE_FORMAT = 1;

const NUMERIC_OID = /^\.?\d+(\.\d+)+$/;

/** A numeric OID (`1.3.6.1.2.1.1.3.0`); a leading dot is accepted and dropped. */
export const oidSchema = z
  .string()
  .max(256)
  .regex(NUMERIC_OID, 'must be a numeric OID such as 1.3.6.1.2.1.1.3.0')
  .transform((oid) => (oid.startsWith('.') ? oid.slice(1) : oid));

const nameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and use only letters, digits and _');

/** Profile ids are what devices list in the configuration (`profiles: [ups-mib]`). */
export const profileIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must use only lower-case letters, digits and -');

const statusSchema = z.enum(STATUSES);

/**
 * Units the console translates (`unit.<name>`); any other short text is shown as written, so a
 * user-defined profile can say `dBm` or `l/min`.
 */
export const KNOWN_UNITS = [
  'percent',
  'celsius',
  'volt',
  'ampere',
  'watt',
  'voltAmpere',
  'hertz',
  'seconds',
  'minutes',
  'milliseconds',
  'bytes',
  'bitsPerSecond',
  'errorsPerSecond',
  'packetsPerSecond',
  'perSecond',
  'rpm',
  'count',
] as const;

const unitSchema = z.string().min(1).max(24);

/** The value an enum, a `where` or a `validWhen` compares with: an integer, or an OID for AutonomousType objects. */
const enumKeySchema = z
  .string()
  .regex(/^(-?\d+|\d+(\.\d+)+)$/, 'must be an integer or a numeric OID (the value the agent sends)');

const matchValuesSchema = z
  .array(z.union([z.number().int(), z.string().min(1).max(256)]))
  .min(1)
  .max(256);

export const thresholdsSchema = z
  .strictObject({
    /** At or above: degraded. */
    warningHigh: z.number().finite().optional(),
    /** At or above: down. */
    criticalHigh: z.number().finite().optional(),
    /** At or below: degraded. */
    warningLow: z.number().finite().optional(),
    /** At or below: down. */
    criticalLow: z.number().finite().optional(),
  })
  .superRefine((t, ctx) => {
    const order = (lo: keyof typeof t, hi: keyof typeof t): void => {
      const a = t[lo];
      const b = t[hi];
      if (a !== undefined && b !== undefined && a > b)
        ctx.addIssue({ code: 'custom', path: [hi], message: `must not be below ${lo} (${a})` });
    };
    order('warningHigh', 'criticalHigh');
    order('criticalLow', 'warningLow');
    if (t.warningLow !== undefined && t.warningHigh !== undefined && t.warningLow >= t.warningHigh)
      ctx.addIssue({ code: 'custom', path: ['warningHigh'], message: 'must be above warningLow' });
    if (Object.values(t).every((v) => v === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'give at least one threshold' });
  });

const enumEntrySchema = z.strictObject({
  /** Machine name of the value (`batteryLow`); the console translates `enum.<label>` where it can. */
  label: nameSchema,
  /** Status this value means; without one the value is only shown. */
  status: statusSchema.optional(),
  /** Plain-English explanation, shown when no translation exists (alarm descriptions, for one). */
  description: z.string().max(300).optional(),
});

const rowMatchSchema = z
  .strictObject({
    column: oidSchema,
    in: matchValuesSchema.optional(),
    notIn: matchValuesSchema.optional(),
  })
  .refine((m) => (m.in === undefined) !== (m.notIn === undefined), {
    message: 'give exactly one of in, notIn',
  });

export const METRIC_TYPES = ['gauge', 'counter', 'enum', 'text', 'timeticks', 'ratio'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

export const metricSchema = z.strictObject({
  name: nameSchema,
  /**
   * gauge: the number as sent; counter: rate per second (Counter32/Counter64, wrap and
   * discontinuities handled); enum: label and status from `enum`; text: the value as text;
   * timeticks: seconds; ratio: this column divided by `denominator` (× scale).
   */
  type: z.enum(METRIC_TYPES),
  /** Scalars: the instance OID to GET (with its `.0`). */
  oid: oidSchema.optional(),
  /** Tables: the column OID (the row index is appended by the agent). */
  column: oidSchema.optional(),
  description: z.string().max(300).optional(),
  unit: unitSchema.optional(),
  /** Multiplier applied to the value (8 turns octets/s into bits/s, 0.1 reads tenths). */
  scale: z
    .number()
    .finite()
    .refine((s) => s !== 0, 'must not be 0')
    .optional(),
  /** Tables: multiply by this column of the same row (hrStorageAllocationUnits). */
  multiplyBy: oidSchema.optional(),
  /** ratio: the column divided by. */
  denominator: oidSchema.optional(),
  /**
   * Tables: ENTITY-SENSOR-MIB fixed-point values (RFC 3433): value × 10^exponent(scale column)
   * / 10^(precision column), both read from the same row.
   */
  entitySensorScale: z.strictObject({ scale: oidSchema, precision: oidSchema }).optional(),
  /** enum: the agent's value (integer or OID) → label and status. */
  enum: z.record(enumKeySchema, enumEntrySchema).optional(),
  /** enum: status of a value missing from `enum`; default unknown. */
  unmappedStatus: statusSchema.optional(),
  thresholds: thresholdsSchema.optional(),
  /**
   * Whether this metric's status counts in the profile's status. Default: yes when it has
   * thresholds or an enum with statuses.
   */
  affectsStatus: z.boolean().optional(),
  /**
   * Tables: only rows whose column matches have this metric (sensor type celsius); a list must
   * match in full (disks, and of a size above 0).
   */
  where: z.union([rowMatchSchema, z.array(rowMatchSchema).min(1).max(8)]).optional(),
  /** Tables: the value is meaningful only when this column matches (entPhySensorOperStatus ok). */
  validWhen: rowMatchSchema.optional(),
});
export type MetricDef = z.infer<typeof metricSchema>;
export type RowMatch = z.infer<typeof rowMatchSchema>;

/** A metric's `where`, as a list. */
export function whereClauses(m: MetricDef): RowMatch[] {
  if (m.where === undefined) return [];
  return Array.isArray(m.where) ? m.where : [m.where];
}

export const labelSchema = z.strictObject({
  name: nameSchema,
  column: oidSchema,
  /** Agent value → text (hrStorageType OIDs → `fixedDisk`). */
  map: z.record(enumKeySchema, z.string().min(1).max(120)).optional(),
});
export type LabelDef = z.infer<typeof labelSchema>;

export const AGGREGATE_FUNCTIONS = ['avg', 'min', 'max', 'sum', 'count'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export const aggregateSchema = z.strictObject({
  name: nameSchema,
  function: z.enum(AGGREGATE_FUNCTIONS),
  /** The metric of this table to aggregate; not for `count` (which counts rows). */
  metric: nameSchema.optional(),
  unit: unitSchema.optional(),
  thresholds: thresholdsSchema.optional(),
  affectsStatus: z.boolean().optional(),
});
export type AggregateDef = z.infer<typeof aggregateSchema>;

export const tableSchema = z.strictObject({
  name: nameSchema,
  /** The column whose instances are the rows (walked with GetBulk); other columns join on the index. */
  index: oidSchema,
  /**
   * TimeTicks column telling when the row's counters last had a discontinuity
   * (ifCounterDiscontinuityTime, RFC 2863 section 3.1.6): a change makes a gap, never a spike.
   */
  discontinuity: oidSchema.optional(),
  labels: z.array(labelSchema).max(32).default([]),
  metrics: z.array(metricSchema).min(1).max(128),
  aggregates: z.array(aggregateSchema).max(32).default([]),
});
export type TableDef = z.infer<typeof tableSchema>;

const clauseSchema = z
  .strictObject({
    metric: nameSchema,
    /** Enum labels, texts or raw values. */
    in: matchValuesSchema.optional(),
    notIn: matchValuesSchema.optional(),
    above: z.number().finite().optional(),
    below: z.number().finite().optional(),
  })
  .refine(
    (c) => [c.in, c.notIn, c.above, c.below].filter((v) => v !== undefined).length === 1,
    'give exactly one of in, notIn, above, below',
  );
export type RuleClause = z.infer<typeof clauseSchema>;

export const ruleSchema = z.strictObject({
  name: nameSchema,
  description: z.string().max(300).optional(),
  /** Status when every clause holds (per row when a clause names a table metric). */
  status: statusSchema,
  /** Whether a match counts in the profile's status (an access port down need not). Default true. */
  affectsProfile: z.boolean().default(true),
  when: z.array(clauseSchema).min(1).max(16),
});
export type RuleDef = z.infer<typeof ruleSchema>;

const NUMERIC_TYPES: ReadonlySet<MetricType> = new Set(['gauge', 'counter', 'timeticks', 'ratio']);

export function isNumericType(type: MetricType): boolean {
  return NUMERIC_TYPES.has(type);
}

const profileObjectSchema = z.strictObject({
  schemaVersion: z.literal(MIB_PROFILE_FORMAT),
  id: profileIdSchema,
  name: z.string().min(1).max(80),
  description: z.string().max(500).optional(),
  /** Emit a `reboot` event when sysUpTime goes back (a 497-day TimeTicks wrap is not a reboot). */
  detectReboot: z.boolean().default(false),
  scalars: z.array(metricSchema).max(256).default([]),
  tables: z.array(tableSchema).max(32).default([]),
  rules: z.array(ruleSchema).max(64).default([]),
});

export const mibProfileSchema = profileObjectSchema.superRefine((profile, ctx) => {
  for (const issue of checkProfile(profile)) ctx.addIssue({ code: 'custom', ...issue });
});

export type MibProfile = z.infer<typeof mibProfileSchema>;
/** What a caller writes (defaults optional): the input side of the schema. */
export type MibProfileInput = z.input<typeof mibProfileSchema>;

interface ProfileIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** The rules that span fields: names unique, each option on the metric kind it makes sense for, rule references. */
function checkProfile(profile: z.infer<typeof profileObjectSchema>): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const names = new Map<string, { table: string | null; numeric: boolean; path: string }>();
  const declare = (name: string, table: string | null, numeric: boolean, path: (string | number)[]): void => {
    const other = names.get(name);
    if (other !== undefined)
      issues.push({ path: [...path, 'name'], message: `"${name}" is already used by ${other.path}` });
    else names.set(name, { table, numeric, path: path.join('.') });
  };

  if (profile.scalars.length === 0 && profile.tables.length === 0)
    issues.push({ path: [], message: 'a profile needs at least one scalar or table' });

  profile.scalars.forEach((m, i) => {
    const path = ['scalars', i];
    declare(m.name, null, isNumericType(m.type), path);
    if (m.oid === undefined) issues.push({ path: [...path, 'oid'], message: 'a scalar metric needs an oid' });
    for (const key of [
      'column',
      'multiplyBy',
      'entitySensorScale',
      'where',
      'validWhen',
      'denominator',
    ] as const) {
      if (m[key] !== undefined)
        issues.push({ path: [...path, key], message: `${key} is for table metrics; a scalar has none` });
    }
    if (m.type === 'ratio') issues.push({ path: [...path, 'type'], message: 'ratio is for table metrics' });
    checkMetricKind(m, path, issues);
  });

  profile.tables.forEach((t, ti) => {
    const tablePath = ['tables', ti];
    if (profile.tables.findIndex((o) => o.name === t.name) !== ti)
      issues.push({ path: [...tablePath, 'name'], message: `table "${t.name}" is declared twice` });
    const labelNames = new Set<string>();
    t.labels.forEach((l, li) => {
      if (labelNames.has(l.name))
        issues.push({
          path: [...tablePath, 'labels', li, 'name'],
          message: `label "${l.name}" is declared twice`,
        });
      labelNames.add(l.name);
    });
    const tableMetrics = new Map<string, MetricDef>();
    t.metrics.forEach((m, mi) => {
      const path = [...tablePath, 'metrics', mi];
      declare(m.name, t.name, isNumericType(m.type), path);
      tableMetrics.set(m.name, m);
      if (m.column === undefined)
        issues.push({ path: [...path, 'column'], message: 'a table metric needs a column' });
      if (m.oid !== undefined)
        issues.push({ path: [...path, 'oid'], message: 'a table metric has a column, not an oid' });
      if (m.type === 'ratio' && m.denominator === undefined)
        issues.push({ path: [...path, 'denominator'], message: 'a ratio needs a denominator column' });
      if (m.type !== 'ratio' && m.denominator !== undefined)
        issues.push({ path: [...path, 'denominator'], message: 'only a ratio has a denominator' });
      if (!isNumericType(m.type)) {
        for (const key of ['multiplyBy', 'entitySensorScale'] as const) {
          if (m[key] !== undefined)
            issues.push({ path: [...path, key], message: `${key} needs a numeric type, not ${m.type}` });
        }
      }
      checkMetricKind(m, path, issues);
    });
    t.aggregates.forEach((a, ai) => {
      const path = [...tablePath, 'aggregates', ai];
      declare(a.name, null, true, path);
      if (a.function === 'count') {
        if (a.metric !== undefined)
          issues.push({ path: [...path, 'metric'], message: 'count counts rows: it takes no metric' });
        return;
      }
      if (a.metric === undefined) {
        issues.push({
          path: [...path, 'metric'],
          message: `${a.function} needs a metric of table "${t.name}"`,
        });
        return;
      }
      const target = tableMetrics.get(a.metric);
      if (target === undefined)
        issues.push({ path: [...path, 'metric'], message: `table "${t.name}" has no metric "${a.metric}"` });
      else if (!isNumericType(target.type))
        issues.push({ path: [...path, 'metric'], message: `"${a.metric}" is ${target.type}, not a number` });
    });
  });

  profile.rules.forEach((r, ri) => {
    const rulePath = ['rules', ri];
    if (profile.rules.findIndex((o) => o.name === r.name) !== ri)
      issues.push({ path: [...rulePath, 'name'], message: `rule "${r.name}" is declared twice` });
    let table: string | null = null;
    r.when.forEach((c, ci) => {
      const path = [...rulePath, 'when', ci, 'metric'];
      const target = names.get(c.metric);
      if (target === undefined) {
        issues.push({ path, message: `no metric or aggregate "${c.metric}" in this profile` });
        return;
      }
      if ((c.above !== undefined || c.below !== undefined) && !target.numeric)
        issues.push({ path, message: `above/below need a numeric metric; "${c.metric}" is not` });
      if (target.table !== null) {
        if (table !== null && table !== target.table)
          issues.push({
            path,
            message: `a rule reads one table; "${c.metric}" is in "${target.table}", not "${table}"`,
          });
        table = target.table;
      }
    });
  });
  return issues;
}

function checkMetricKind(m: MetricDef, path: (string | number)[], issues: ProfileIssue[]): void {
  if (m.type === 'enum' && m.enum === undefined)
    issues.push({ path: [...path, 'enum'], message: 'an enum metric needs its values (enum)' });
  if (m.type !== 'enum') {
    if (m.enum !== undefined)
      issues.push({ path: [...path, 'enum'], message: `enum values on a ${m.type} metric` });
    if (m.unmappedStatus !== undefined)
      issues.push({ path: [...path, 'unmappedStatus'], message: 'unmappedStatus is for enum metrics' });
  }
  if (!isNumericType(m.type)) {
    if (m.thresholds !== undefined)
      issues.push({
        path: [...path, 'thresholds'],
        message: `thresholds need a numeric type, not ${m.type}`,
      });
    if (m.scale !== undefined)
      issues.push({ path: [...path, 'scale'], message: `scale needs a numeric type, not ${m.type}` });
  }
}

/** Whether a metric's status counts in its profile's status (see `affectsStatus`). */
export function metricAffectsStatus(m: MetricDef): boolean {
  if (m.affectsStatus !== undefined) return m.affectsStatus;
  if (m.thresholds !== undefined) return true;
  if (m.type !== 'enum') return false;
  return m.unmappedStatus !== undefined || Object.values(m.enum ?? {}).some((e) => e.status !== undefined);
}

/** Whether an aggregate's status counts in its profile's status. */
export function aggregateAffectsStatus(a: AggregateDef): boolean {
  return a.affectsStatus ?? a.thresholds !== undefined;
}
