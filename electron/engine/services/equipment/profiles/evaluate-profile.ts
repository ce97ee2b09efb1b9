/**
 * The evaluator: a pure function of (profile, what the agent answered, the previous state, time)
 * that returns readings, the profile's status with its causes, events and the next state. It never
 * turns a missing value into a zero or a healthy status: a value it cannot compute is null with a
 * reason, and its status is `unknown`.
 */
import { counterRate, type CounterSample } from '../../../../../shared/domain/counter-rate';
import { missingCase } from '../../../../../shared/domain/missing-case';
import { worstStatus, type Status } from '../../../../../shared/domain/status';
import { snmpValueText, type SnmpValue, type SnmpVarbind } from '../../../ports/snmp-client';
import {
  aggregateAffectsStatus,
  metricAffectsStatus,
  type AggregateDef,
  type MetricDef,
  type MibProfile,
  type RuleClause,
  type RuleDef,
  type TableDef,
  whereClauses,
} from './mib-profile-schema';
import { compareOids, indexUnder, isWithin } from './oid';

/** sysUpTime.0 (RFC 3418): the agent's clock for counter rates and reboot detection. */
export const SYS_UPTIME_OID = '1.3.6.1.2.1.1.3.0';

/** A GET or a walk that failed: the OID asked (or the walked root) and why. */
export interface RequestFailure {
  readonly oid: string;
  /** An SnmpErrorCode (TIMEOUT, AUTH, UNREACHABLE, PROTOCOL ...). */
  readonly code: string;
  readonly message: string;
}

/** What one poll brought back: every varbind of its GETs and walks, and the requests that failed. */
export interface SnmpSnapshot {
  readonly varbinds: readonly SnmpVarbind[];
  readonly failures: readonly RequestFailure[];
}

/** Why a value is null. `detail` is English for logs and the CLI; the console translates `code`. */
export type ReadingReasonCode =
  | 'noSuchObject'
  | 'noSuchInstance'
  | 'endOfMibView'
  | 'missing'
  | 'requestFailed'
  | 'wrongType'
  | 'firstSample'
  | 'counterReset'
  | 'interval'
  | 'uptimeUnavailable'
  | 'notValid'
  | 'filterUnknown'
  | 'scaleUnavailable'
  | 'zeroDenominator'
  | 'noRows'
  | 'incomplete';

export interface ReadingReason {
  readonly code: ReadingReasonCode;
  readonly detail: string;
}

export type ThresholdName = 'warningHigh' | 'criticalHigh' | 'warningLow' | 'criticalLow';

export interface ProfileReading {
  /** Metric or aggregate name. */
  readonly metric: string;
  readonly table: string | null;
  /** The row index (`11001`, `1.4.10.0.0.1`); null for scalars and aggregates. */
  readonly instance: string | null;
  /** The row's labels (ifName, entPhysicalName ...) that the agent answered. */
  readonly labels: Readonly<Record<string, string>>;
  /** The value in `unit`; a string for text metrics and OID-valued enums; null with a `reason`. */
  readonly value: number | string | null;
  /** enum: the label of the value (unknown values: the raw value as text). */
  readonly label: string | null;
  /** enum: the description of the value, where the profile has one. */
  readonly description: string | null;
  /** What the agent sent, before any scale (Counter64 as a decimal string). */
  readonly raw: number | string | null;
  readonly unit: string | null;
  readonly status: Status;
  /** Which threshold the value reached, if any. */
  readonly threshold: ThresholdName | null;
  readonly reason: ReadingReason | null;
}

/** Something that makes the profile's status what it is (every contributor that is not `up`). */
export interface ProfileCondition {
  readonly source: 'reading' | 'rule' | 'table' | 'noData';
  /** Metric, aggregate, rule or table name; `noData` for the profile as a whole. */
  readonly name: string;
  readonly table: string | null;
  readonly instance: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: Status;
  /** False for rules that describe a row without counting in the profile (an access port down). */
  readonly affectsProfile: boolean;
  readonly detail: string;
}

export interface TableSummary {
  readonly name: string;
  /** Rows found; null when the walk of the index column failed. */
  readonly rows: number | null;
  readonly reason: ReadingReason | null;
}

export type ProfileEvent =
  | {
      readonly kind: 'reboot';
      readonly profile: string;
      readonly at: number;
      readonly previousUptimeSeconds: number;
      readonly uptimeSeconds: number;
    }
  | {
      readonly kind: 'counterDiscontinuity';
      readonly profile: string;
      readonly at: number;
      readonly metric: string;
      readonly table: string | null;
      readonly instance: string | null;
      readonly labels: Readonly<Record<string, string>>;
      /** discontinuityTime: ifCounterDiscontinuityTime changed; counterWentBack: it fell by more than half its range. */
      readonly cause: 'discontinuityTime' | 'counterWentBack';
    };

export interface ProfileResult {
  readonly profile: string;
  readonly at: number;
  readonly status: Status;
  readonly conditions: readonly ProfileCondition[];
  readonly readings: readonly ProfileReading[];
  readonly tables: readonly TableSummary[];
  readonly events: readonly ProfileEvent[];
}

/** sysUpTime as last seen: raw TimeTicks, how many times it wrapped at 2^32, and when. */
export interface UptimeState {
  readonly ticks: number;
  readonly wraps: number;
  readonly at: number;
}

export interface CounterState {
  readonly sample: CounterSample;
  readonly bits: 32 | 64;
}

/** What the evaluator remembers between polls of one profile on one device (in memory). */
export interface ProfileState {
  readonly uptime: UptimeState | null;
  /** By `metric|instance`. */
  readonly counters: Readonly<Record<string, CounterState>>;
}

export interface ProfileEvaluation {
  readonly result: ProfileResult;
  readonly state: ProfileState;
}

export const EMPTY_PROFILE_STATE: ProfileState = { uptime: null, counters: {} };

/** Whether a profile needs sysUpTime: for counter rates or reboot detection. */
export function profileNeedsUptime(profile: MibProfile): boolean {
  if (profile.detectReboot) return true;
  const counter = (m: MetricDef): boolean => m.type === 'counter';
  return profile.scalars.some(counter) || profile.tables.some((t) => t.metrics.some(counter));
}

// ---------------------------------------------------------------------------------------------
// The snapshot, indexed

type Cell =
  { readonly ok: true; readonly value: SnmpValue } | { readonly ok: false; readonly reason: ReadingReason };

class IndexedSnapshot {
  private readonly values = new Map<string, SnmpValue>();
  private readonly columns = new Map<string, Map<string, SnmpValue>>();

  constructor(private readonly snapshot: SnmpSnapshot) {
    for (const vb of snapshot.varbinds) this.values.set(vb.oid, vb.value);
  }

  get failures(): readonly RequestFailure[] {
    return this.snapshot.failures;
  }

  failureFor(oid: string): RequestFailure | undefined {
    return this.snapshot.failures.find((f) => isWithin(oid, f.oid));
  }

  scalar(oid: string): Cell {
    const value = this.values.get(oid);
    if (value !== undefined) return cellOf(value, oid);
    return this.absent(oid, `the agent returned no ${oid}`);
  }

  /** Instances of a column, by index. */
  column(column: string): Map<string, SnmpValue> {
    let rows = this.columns.get(column);
    if (rows === undefined) {
      rows = new Map();
      for (const vb of this.snapshot.varbinds) {
        const index = indexUnder(vb.oid, column);
        if (index !== null) rows.set(index, vb.value);
      }
      this.columns.set(column, rows);
    }
    return rows;
  }

  cell(column: string, index: string): Cell {
    const value = this.column(column).get(index);
    if (value !== undefined) return cellOf(value, `${column}.${index}`);
    return this.absent(column, `the agent returned no ${column} for row ${index}`);
  }

  private absent(oid: string, detail: string): Cell {
    const failure = this.failureFor(oid);
    if (failure !== undefined)
      return { ok: false, reason: { code: 'requestFailed', detail: `${failure.code}: ${failure.message}` } };
    return { ok: false, reason: { code: 'missing', detail } };
  }
}

function cellOf(value: SnmpValue, oid: string): Cell {
  switch (value.type) {
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return { ok: false, reason: { code: value.type, detail: `${value.type} at ${oid}` } };
    case 'null':
      return { ok: false, reason: { code: 'wrongType', detail: `the agent sent NULL at ${oid}` } };
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
    case 'counter64':
    case 'octets':
    case 'oid':
    case 'ipaddress':
      return { ok: true, value };
    default:
      throw missingCase(value);
  }
}

function numberOf(value: SnmpValue): number | null {
  switch (value.type) {
    case 'integer':
    case 'counter32':
    case 'gauge32':
    case 'timeticks':
      return value.value;
    case 'counter64':
      return Number(value.value);
    case 'octets':
    case 'oid':
    case 'ipaddress':
    case 'null':
    case 'noSuchObject':
    case 'noSuchInstance':
    case 'endOfMibView':
      return null;
    default:
      throw missingCase(value);
  }
}

function rawOf(value: SnmpValue): number | string | null {
  if (value.type === 'counter64') return value.value.toString();
  const n = numberOf(value);
  return n ?? snmpValueText(value);
}

/**
 * Multiplies by `scale`, dividing by its inverse when that is a whole number, so that tenths read
 * 49.9 rather than 49.900000000000006.
 */
function applyScale(value: number, scale: number): number {
  if (scale === 1) return value;
  const inverse = 1 / scale;
  const whole = Math.round(inverse);
  if (Math.abs(scale) < 1 && whole !== 0 && Math.abs(inverse - whole) < 1e-9) return value / whole;
  return value * scale;
}

/**
 * EntitySensorDataScale (RFC 3433) → power of ten. The RFC lists exa(14) before peta(15), so the
 * values are not in order of magnitude: exa is 10^18 and peta 10^15.
 */
const ENTITY_SENSOR_EXPONENT: ReadonlyMap<number, number> = new Map([
  [1, -24],
  [2, -21],
  [3, -18],
  [4, -15],
  [5, -12],
  [6, -9],
  [7, -6],
  [8, -3],
  [9, 0],
  [10, 3],
  [11, 6],
  [12, 9],
  [13, 12],
  [14, 18],
  [15, 15],
  [16, 21],
  [17, 24],
]);

/** value × 10^power, dividing for negative powers so decimal fixed-point values stay exact. */
function timesPowerOfTen(value: number, power: number): number {
  return power >= 0 ? value * 10 ** power : value / 10 ** -power;
}

// ---------------------------------------------------------------------------------------------
// Uptime: reboot or wrap

const TICKS_RANGE = 2 ** 32;

interface UptimeOutcome {
  readonly state: UptimeState | null;
  /** sysUpTime in ticks, made monotonic across 2^32 wraps; null when the agent did not give it. */
  readonly unwrapped: number | null;
  readonly reboot: { readonly previousTicks: number; readonly ticks: number } | null;
  readonly reason: ReadingReason | null;
}

/**
 * sysUpTime is TimeTicks, which wraps after 2^32 hundredths of a second (497 days): a value lower
 * than the last one is a wrap when the last one plus the elapsed time lands, modulo 2^32, on it;
 * otherwise the agent restarted.
 */
function trackUptime(previous: UptimeState | null, cell: Cell, at: number): UptimeOutcome {
  if (!cell.ok || cell.value.type !== 'timeticks') {
    const reason: ReadingReason = cell.ok
      ? { code: 'wrongType', detail: `sysUpTime.0 is ${cell.value.type}, not TimeTicks` }
      : { code: 'uptimeUnavailable', detail: `no sysUpTime.0: ${cell.reason.detail}` };
    // Keep the last uptime: a reboot during an outage is still seen on the next answer.
    return { state: previous, unwrapped: null, reboot: null, reason };
  }
  const ticks = cell.value.value;
  if (previous === null) {
    return { state: { ticks, wraps: 0, at }, unwrapped: ticks, reboot: null, reason: null };
  }
  let wraps = previous.wraps;
  let reboot: UptimeOutcome['reboot'] = null;
  const elapsedTicks = Math.max(0, (at - previous.at) / 10);
  const expected = previous.ticks + elapsedTicks;
  const tolerance = Math.max(1000, elapsedTicks * 0.1);
  if (ticks < previous.ticks) {
    if (expected >= TICKS_RANGE - tolerance && Math.abs(expected - TICKS_RANGE - ticks) <= tolerance) {
      wraps += 1;
    } else {
      wraps = 0;
      reboot = { previousTicks: previous.ticks, ticks };
    }
  } else if (ticks + tolerance < expected && ticks <= elapsedTicks + tolerance) {
    // Up for less than the time since the last answer, and far short of where it should be: it
    // restarted while it was not answering (after an outage longer than its new uptime, sysUpTime
    // has not gone back). A recording whose uptime never moves is not taken for one: it stays
    // above the elapsed time.
    wraps = 0;
    reboot = { previousTicks: previous.ticks, ticks };
  }
  return {
    state: { ticks, wraps, at },
    unwrapped: ticks + wraps * TICKS_RANGE,
    reboot,
    reason: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Metrics

interface RowContext {
  readonly table: TableDef | null;
  readonly index: string | null;
  readonly labels: Readonly<Record<string, string>>;
  /** The metric's own value (scalar OID or column cell). */
  readonly cell: (oid: string) => Cell;
}

interface EvalContext {
  readonly profile: MibProfile;
  readonly snapshot: IndexedSnapshot;
  readonly at: number;
  readonly uptime: UptimeOutcome;
  readonly previous: ProfileState;
  readonly nextCounters: Record<string, CounterState>;
  readonly events: ProfileEvent[];
}

type Computed =
  | {
      readonly ok: true;
      readonly value: number | string;
      readonly raw: number | string | null;
      readonly label: string | null;
      readonly description: string | null;
      readonly enumStatus: Status | null;
    }
  | { readonly ok: false; readonly reason: ReadingReason; readonly raw: number | string | null };

function fail(code: ReadingReasonCode, detail: string, raw: number | string | null = null): Computed {
  return { ok: false, reason: { code, detail }, raw };
}

function ok(value: number | string, raw: number | string | null): Computed {
  return { ok: true, value, raw, label: null, description: null, enumStatus: null };
}

/** Whether a cell matches a `where`/`validWhen`: by raw value, or by the label an enum metric of the same column gives it. */
function matches(
  cell: Cell,
  match: {
    readonly column: string;
    readonly in?: readonly (string | number)[] | undefined;
    readonly notIn?: readonly (string | number)[] | undefined;
  },
  table: TableDef | null,
): boolean | null {
  if (!cell.ok) return null;
  const key = snmpValueText(cell.value);
  if (key === null) return null;
  const enumMetric = table?.metrics.find((m) => m.type === 'enum' && m.column === match.column);
  const label = enumMetric?.enum?.[key]?.label;
  const list = match.in ?? match.notIn ?? [];
  const found = list.some((x) => String(x) === key || (label !== undefined && String(x) === label));
  return match.in !== undefined ? found : !found;
}

function describeCell(cell: Cell, column: string, table: TableDef | null): string {
  if (!cell.ok) return cell.reason.detail;
  const key = snmpValueText(cell.value) ?? '?';
  const enumMetric = table?.metrics.find((m) => m.type === 'enum' && m.column === column);
  const label = enumMetric?.enum?.[key]?.label;
  return label === undefined ? `${column} is ${key}` : `${enumMetric?.name ?? column} is ${label}(${key})`;
}

function computeMetric(m: MetricDef, row: RowContext, ctx: EvalContext): Computed {
  const source = m.oid ?? m.column;
  if (source === undefined) return fail('missing', `${m.name} has neither oid nor column`);
  const cell = row.cell(source);
  if (!cell.ok) return { ok: false, reason: cell.reason, raw: null };
  const value = cell.value;
  const raw = rawOf(value);

  if (m.validWhen !== undefined) {
    const validCell = row.cell(m.validWhen.column);
    const valid = matches(validCell, m.validWhen, row.table);
    if (valid !== true)
      return fail(
        'notValid',
        `not meaningful while ${describeCell(validCell, m.validWhen.column, row.table)}`,
        raw,
      );
  }

  let computed: Computed;
  switch (m.type) {
    case 'text': {
      const text = snmpValueText(value);
      computed = text === null ? fail('wrongType', `${m.name} has no text`, raw) : ok(text, raw);
      break;
    }
    case 'enum': {
      const key = snmpValueText(value);
      if (key === null) return fail('wrongType', `${m.name} is ${value.type}`, raw);
      const entry = m.enum?.[key];
      const n = numberOf(value);
      const shown = value.type === 'counter64' || n === null ? key : n;
      if (entry === undefined) {
        return {
          ok: true,
          value: shown,
          raw,
          label: key,
          description: null,
          enumStatus: m.unmappedStatus ?? 'unknown',
        };
      }
      return {
        ok: true,
        value: shown,
        raw,
        label: entry.label,
        description: entry.description ?? null,
        enumStatus: entry.status ?? 'up',
      };
    }
    case 'timeticks':
      if (value.type !== 'timeticks')
        return fail('wrongType', `${m.name} is ${value.type}, not TimeTicks`, raw);
      computed = ok(value.value / 100, raw);
      break;
    case 'gauge': {
      const n = numberOf(value);
      computed = n === null ? fail('wrongType', `${m.name} is ${value.type}, not a number`, raw) : ok(n, raw);
      break;
    }
    case 'ratio': {
      const n = numberOf(value);
      if (n === null) return fail('wrongType', `${m.name} is ${value.type}, not a number`, raw);
      const denominator = m.denominator === undefined ? null : row.cell(m.denominator);
      if (denominator === null || !denominator.ok)
        return fail(
          denominator?.ok === false ? denominator.reason.code : 'missing',
          `no denominator for ${m.name}`,
          raw,
        );
      const d = numberOf(denominator.value);
      if (d === null)
        return fail('wrongType', `the denominator of ${m.name} is ${denominator.value.type}`, raw);
      if (d === 0) return fail('zeroDenominator', `the denominator of ${m.name} is 0`, raw);
      computed = ok(n / d, raw);
      break;
    }
    case 'counter':
      computed = computeCounter(m, value, row, ctx, raw);
      break;
    default:
      throw missingCase(m.type);
  }
  if (!computed.ok || typeof computed.value !== 'number') return computed;

  let result = applyScale(computed.value, m.scale ?? 1);
  if (m.multiplyBy !== undefined) {
    const factorCell = row.cell(m.multiplyBy);
    const factor = factorCell.ok ? numberOf(factorCell.value) : null;
    if (factor === null) return fail('scaleUnavailable', `no multiplier ${m.multiplyBy} for ${m.name}`, raw);
    result *= factor;
  }
  if (m.entitySensorScale !== undefined) {
    const scaleCell = row.cell(m.entitySensorScale.scale);
    const precisionCell = row.cell(m.entitySensorScale.precision);
    const scale = scaleCell.ok ? numberOf(scaleCell.value) : null;
    const precision = precisionCell.ok ? numberOf(precisionCell.value) : null;
    const exponent = scale === null ? undefined : ENTITY_SENSOR_EXPONENT.get(scale);
    if (exponent === undefined)
      return fail('scaleUnavailable', `entPhySensorScale of ${m.name} is ${scale ?? 'missing'}`, raw);
    // EntitySensorPrecision (RFC 3433): 1..9 decimal places; 0 and -8..-1 (accurate digits) mean none.
    if (precision === null || precision < -8 || precision > 9)
      return fail('scaleUnavailable', `entPhySensorPrecision of ${m.name} is ${precision ?? 'missing'}`, raw);
    result = timesPowerOfTen(result, exponent - Math.max(0, precision));
  }
  return { ...computed, value: result };
}

function computeCounter(
  m: MetricDef,
  value: SnmpValue,
  row: RowContext,
  ctx: EvalContext,
  raw: number | string | null,
): Computed {
  let bits: 32 | 64;
  let big: bigint;
  if (value.type === 'counter32') {
    bits = 32;
    big = BigInt(value.value);
  } else if (value.type === 'counter64') {
    bits = 64;
    big = value.value;
  } else {
    return fail('wrongType', `${m.name} is ${value.type}, not Counter32 or Counter64`, raw);
  }
  const upTime = ctx.uptime.unwrapped;
  if (upTime === null)
    return fail('uptimeUnavailable', ctx.uptime.reason?.detail ?? 'no sysUpTime.0 to time the counter', raw);

  let discontinuity: number | undefined;
  if (row.table?.discontinuity !== undefined) {
    const d = row.cell(row.table.discontinuity);
    if (d.ok && d.value.type === 'timeticks') discontinuity = d.value.value;
  }
  const sample: CounterSample =
    discontinuity === undefined
      ? { value: big, at: ctx.at, upTime }
      : { value: big, at: ctx.at, upTime, discontinuity };
  const key = `${m.name}|${row.index ?? ''}`;
  ctx.nextCounters[key] = { sample, bits };
  const previous = ctx.previous.counters[key];
  const usable = previous !== undefined && previous.bits === bits ? previous.sample : undefined;
  // After a restart the counters started again from zero, even if they are above the last sample.
  if (usable !== undefined && ctx.uptime.reboot !== null)
    return fail('counterReset', 'the agent restarted (sysUpTime went back)', raw);
  const rate = counterRate(usable, sample, bits);
  switch (rate.kind) {
    case 'rate':
      return ok(rate.perSecond, raw);
    case 'gap':
      switch (rate.reason) {
        case 'first':
          return fail('firstSample', 'a rate needs two samples', raw);
        case 'interval':
          return fail('interval', 'no time elapsed since the last sample', raw);
        case 'reset': {
          if (ctx.uptime.reboot !== null || (usable !== undefined && upTime < usable.upTime))
            return fail('counterReset', 'the agent restarted (sysUpTime went back)', raw);
          const cause =
            usable?.discontinuity !== undefined &&
            discontinuity !== undefined &&
            usable.discontinuity !== discontinuity
              ? 'discontinuityTime'
              : 'counterWentBack';
          ctx.events.push({
            kind: 'counterDiscontinuity',
            profile: ctx.profile.id,
            at: ctx.at,
            metric: m.name,
            table: row.table?.name ?? null,
            instance: row.index,
            labels: row.labels,
            cause,
          });
          return fail(
            'counterReset',
            cause === 'discontinuityTime'
              ? 'the counter had a discontinuity (ifCounterDiscontinuityTime changed)'
              : 'the counter went back by more than half its range: reset, not wrapped',
            raw,
          );
        }
        default:
          throw missingCase(rate.reason);
      }
    default:
      throw missingCase(rate);
  }
}

function thresholdStatus(
  value: number,
  t: MetricDef['thresholds'],
): { status: Status; threshold: ThresholdName | null } {
  if (t === undefined) return { status: 'up', threshold: null };
  if (t.criticalHigh !== undefined && value >= t.criticalHigh)
    return { status: 'down', threshold: 'criticalHigh' };
  if (t.criticalLow !== undefined && value <= t.criticalLow)
    return { status: 'down', threshold: 'criticalLow' };
  if (t.warningHigh !== undefined && value >= t.warningHigh)
    return { status: 'degraded', threshold: 'warningHigh' };
  if (t.warningLow !== undefined && value <= t.warningLow)
    return { status: 'degraded', threshold: 'warningLow' };
  return { status: 'up', threshold: null };
}

function toReading(
  name: string,
  unit: string | undefined,
  thresholds: MetricDef['thresholds'],
  row: { table: string | null; instance: string | null; labels: Readonly<Record<string, string>> },
  computed: Computed,
): ProfileReading {
  const base = {
    metric: name,
    table: row.table,
    instance: row.instance,
    labels: row.labels,
    unit: unit ?? null,
  };
  if (!computed.ok) {
    return {
      ...base,
      value: null,
      label: null,
      description: null,
      raw: computed.raw,
      status: 'unknown',
      threshold: null,
      reason: computed.reason,
    };
  }
  const judged =
    computed.enumStatus !== null
      ? { status: computed.enumStatus, threshold: null }
      : typeof computed.value === 'number'
        ? thresholdStatus(computed.value, thresholds)
        : { status: 'up' as Status, threshold: null };
  return {
    ...base,
    value: computed.value,
    label: computed.label,
    description: computed.description,
    raw: computed.raw,
    status: judged.status,
    threshold: judged.threshold,
    reason: null,
  };
}

// ---------------------------------------------------------------------------------------------
// Tables

function rowsOf(table: TableDef, snapshot: IndexedSnapshot): string[] {
  return [...snapshot.column(table.index).keys()].sort(compareOids);
}

function labelsOf(table: TableDef, index: string, snapshot: IndexedSnapshot): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const l of table.labels) {
    const cell = snapshot.cell(l.column, index);
    if (!cell.ok) continue;
    const key = snmpValueText(cell.value);
    if (key === null) continue;
    labels[l.name] = l.map?.[key] ?? key;
  }
  return labels;
}

function aggregate(
  a: AggregateDef,
  table: TableDef,
  rows: number | null,
  readings: readonly ProfileReading[],
): Computed {
  if (rows === null) return fail('requestFailed', `the rows of ${table.name} could not be read`);
  if (a.function === 'count') return ok(rows, rows);
  const values = readings.filter((r) => r.metric === a.metric);
  if (values.length === 0) return fail('noRows', `${table.name} has no ${a.metric ?? ''} to aggregate`);
  const unknown = values.filter((r) => typeof r.value !== 'number');
  if (unknown.length > 0)
    return fail('incomplete', `${unknown.length} of ${values.length} ${a.metric ?? ''} values are unknown`);
  const numbers = values.map((r) => r.value as number);
  switch (a.function) {
    case 'avg':
      return ok(numbers.reduce((s, v) => s + v, 0) / numbers.length, null);
    case 'sum':
      return ok(
        numbers.reduce((s, v) => s + v, 0),
        null,
      );
    case 'min':
      return ok(Math.min(...numbers), null);
    case 'max':
      return ok(Math.max(...numbers), null);
    default:
      throw missingCase(a.function);
  }
}

// ---------------------------------------------------------------------------------------------
// Rules

function clauseHolds(c: RuleClause, r: ProfileReading): boolean | null {
  if (r.value === null) return null;
  if (c.in !== undefined || c.notIn !== undefined) {
    const list = c.in ?? c.notIn ?? [];
    const found = list.some((x) => String(x) === r.label || String(x) === String(r.value));
    return c.in !== undefined ? found : !found;
  }
  if (typeof r.value !== 'number') return null;
  if (c.above !== undefined) return r.value > c.above;
  if (c.below !== undefined) return r.value < c.below;
  return null;
}

function evaluateRule(
  rule: RuleDef,
  instance: string | null,
  table: string | null,
  labels: Readonly<Record<string, string>>,
  lookup: (metric: string, instance: string | null) => ProfileReading | undefined,
  tableOf: (metric: string) => string | null,
): ProfileCondition | null {
  let unknownBecause: string | null = null;
  for (const c of rule.when) {
    const reading = lookup(c.metric, tableOf(c.metric) === null ? null : instance);
    // A metric this row does not have (filtered out by `where`): the rule does not apply.
    if (reading === undefined) return null;
    const holds = clauseHolds(c, reading);
    if (holds === false) return null;
    if (holds === null)
      unknownBecause ??= `${c.metric} is unknown${reading.reason ? ` (${reading.reason.detail})` : ''}`;
  }
  return {
    source: 'rule',
    name: rule.name,
    table,
    instance,
    labels,
    status: unknownBecause === null ? rule.status : 'unknown',
    affectsProfile: rule.affectsProfile,
    detail:
      unknownBecause === null ? (rule.description ?? `${rule.name} holds`) : `cannot tell: ${unknownBecause}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The evaluator

/**
 * Evaluates one profile against one poll's answers. `previous` is the state this function
 * returned for the same profile and device last time (undefined on the first poll); `at` is the
 * engine time of the poll (epoch ms). Pure: the same inputs give the same outputs.
 */
export function evaluateProfile(
  profile: MibProfile,
  snapshot: SnmpSnapshot,
  previous: ProfileState | undefined,
  at: number,
): ProfileEvaluation {
  const indexed = new IndexedSnapshot(snapshot);
  const prior = previous ?? EMPTY_PROFILE_STATE;
  const needsUptime = profileNeedsUptime(profile);
  const uptime: UptimeOutcome = needsUptime
    ? trackUptime(prior.uptime, indexed.scalar(SYS_UPTIME_OID), at)
    : { state: prior.uptime, unwrapped: null, reboot: null, reason: null };
  const events: ProfileEvent[] = [];
  const ctx: EvalContext = {
    profile,
    snapshot: indexed,
    at,
    uptime,
    previous: prior,
    nextCounters: {},
    events,
  };
  if (uptime.reboot !== null && profile.detectReboot) {
    events.push({
      kind: 'reboot',
      profile: profile.id,
      at,
      previousUptimeSeconds: uptime.reboot.previousTicks / 100,
      uptimeSeconds: uptime.reboot.ticks / 100,
    });
  }

  const readings: ProfileReading[] = [];
  const conditions: ProfileCondition[] = [];
  const contributes = new Set<string>();
  const metricTable = new Map<string, string | null>();

  for (const m of profile.scalars) {
    metricTable.set(m.name, null);
    if (metricAffectsStatus(m)) contributes.add(m.name);
    const row: RowContext = { table: null, index: null, labels: {}, cell: (oid) => indexed.scalar(oid) };
    readings.push(
      toReading(
        m.name,
        m.unit,
        m.thresholds,
        { table: null, instance: null, labels: {} },
        computeMetric(m, row, ctx),
      ),
    );
  }

  const tables: TableSummary[] = [];
  const tableRows = new Map<string, { index: string; labels: Record<string, string> }[] | null>();
  for (const t of profile.tables) {
    for (const m of t.metrics) {
      metricTable.set(m.name, t.name);
      if (metricAffectsStatus(m)) contributes.add(m.name);
    }
    const failure = indexed.failureFor(t.index);
    const tableReadings: ProfileReading[] = [];
    let rowCount: number | null;
    if (failure !== undefined) {
      const reason: ReadingReason = { code: 'requestFailed', detail: `${failure.code}: ${failure.message}` };
      tables.push({ name: t.name, rows: null, reason });
      tableRows.set(t.name, null);
      conditions.push({
        source: 'table',
        name: t.name,
        table: t.name,
        instance: null,
        labels: {},
        status: 'unknown',
        affectsProfile: true,
        detail: `the rows of ${t.name} could not be read: ${reason.detail}`,
      });
      rowCount = null;
    } else {
      const rows = rowsOf(t, indexed).map((index) => ({ index, labels: labelsOf(t, index, indexed) }));
      tables.push({ name: t.name, rows: rows.length, reason: null });
      tableRows.set(t.name, rows);
      rowCount = rows.length;
      for (const { index, labels } of rows) {
        const row: RowContext = { table: t, index, labels, cell: (column) => indexed.cell(column, index) };
        for (const m of t.metrics) {
          let skip = false;
          let unsure: string | null = null;
          for (const where of whereClauses(m)) {
            const whereCell = indexed.cell(where.column, index);
            const applies = matches(whereCell, where, t);
            if (applies === false) skip = true;
            else if (applies === null) unsure ??= describeCell(whereCell, where.column, t);
          }
          if (skip) continue;
          if (unsure !== null) {
            tableReadings.push(
              toReading(
                m.name,
                m.unit,
                m.thresholds,
                { table: t.name, instance: index, labels },
                fail('filterUnknown', `cannot tell whether ${m.name} applies: ${unsure}`),
              ),
            );
            continue;
          }
          tableReadings.push(
            toReading(
              m.name,
              m.unit,
              m.thresholds,
              { table: t.name, instance: index, labels },
              computeMetric(m, row, ctx),
            ),
          );
        }
      }
    }
    readings.push(...tableReadings);
    for (const a of t.aggregates) {
      metricTable.set(a.name, null);
      if (aggregateAffectsStatus(a)) contributes.add(a.name);
      readings.push(
        toReading(
          a.name,
          a.unit,
          a.thresholds,
          { table: t.name, instance: null, labels: {} },
          aggregate(a, t, rowCount, tableReadings),
        ),
      );
    }
  }

  for (const r of readings) {
    if (r.status === 'up' || !contributes.has(r.metric)) continue;
    conditions.push({
      source: 'reading',
      name: r.metric,
      table: r.table,
      instance: r.instance,
      labels: r.labels,
      status: r.status,
      affectsProfile: true,
      detail: describeReading(r),
    });
  }

  const byKey = new Map(readings.map((r) => [`${r.metric}|${r.instance ?? ''}`, r]));
  const lookup = (metric: string, instance: string | null): ProfileReading | undefined =>
    byKey.get(`${metric}|${instance ?? ''}`);
  const tableOf = (metric: string): string | null => metricTable.get(metric) ?? null;
  for (const rule of profile.rules) {
    const table = rule.when.map((c) => tableOf(c.metric)).find((t) => t !== null) ?? null;
    if (table === null) {
      const condition = evaluateRule(rule, null, null, {}, lookup, tableOf);
      if (condition !== null) conditions.push(condition);
      continue;
    }
    for (const { index, labels } of tableRows.get(table) ?? []) {
      const condition = evaluateRule(rule, index, table, labels, lookup, tableOf);
      if (condition !== null) conditions.push(condition);
    }
  }

  // Aggregates do not count as data: an empty walk gives a count of 0 for an agent that has rows
  // and for one that does not implement the MIB alike.
  const aggregates = new Set(profile.tables.flatMap((t) => t.aggregates.map((a) => a.name)));
  const anyValue =
    readings.some((r) => r.value !== null && !aggregates.has(r.metric)) ||
    tables.some((t) => (t.rows ?? 0) > 0);
  if (!anyValue) {
    const failure = indexed.failures[0];
    conditions.push({
      source: 'noData',
      name: 'noData',
      table: null,
      instance: null,
      labels: {},
      status: 'unknown',
      affectsProfile: true,
      detail:
        failure !== undefined
          ? `no answer: ${failure.code}: ${failure.message}`
          : "the agent has none of this profile's objects",
    });
  }

  const counted = conditions.filter((c) => c.affectsProfile).map((c) => c.status);
  const status: Status = counted.length === 0 ? 'up' : worstStatus(counted);
  return {
    result: { profile: profile.id, at, status, conditions, readings, tables, events },
    state: { uptime: uptime.state, counters: ctx.nextCounters },
  };
}

function describeReading(r: ProfileReading): string {
  const where = r.instance === null ? '' : ` [${r.labels[Object.keys(r.labels)[0] ?? ''] ?? r.instance}]`;
  if (r.value === null) return `${r.metric}${where} unknown: ${r.reason?.detail ?? 'no value'}`;
  const shown = r.label ?? `${r.value}${r.unit !== null ? ` ${r.unit}` : ''}`;
  return `${r.metric}${where} is ${shown}${r.threshold !== null ? ` (${r.threshold})` : ''}`;
}
