/**
 * The SLA catalogue: which SLAs exist, for which service, chain and client, and the KPIs each one
 * promises. It is imported and exported as JSON (the whole structure, {@link parseCatalogueJson})
 * or as CSV for spreadsheets ({@link catalogueToCsv}, {@link parseCatalogueCsv}), one row per KPI.
 *
 * Pure: nothing here reads a clock or a file; parsers never throw and name where each problem is
 * (a JSON path such as `slas[2].kpis[0].target.percent`, or a CSV row and column).
 *
 * CSV layout (header row required, columns in any order, every column present, no others):
 * `sla_id, service, chain, client, kpi_id, type, target, threshold_ms, period, schedule,
 * time_zone, holidays, exclusions, brief_interruption_s`.
 * - Rows with the same `sla_id` are KPIs of one SLA; its service, chain and client must agree.
 * - `target` is the percentage for availability, responseTime and batchDeadline, the maximum
 *   count for incidentCount, the maximum minutes for mttr. `threshold_ms` is the response-time
 *   threshold or the batch deadline (ms after an item arrives), empty for the other types.
 * - `schedule` is `24x7`, or business hours as ranges separated by `;`, each
 *   `<days> <HH:mm>-<HH:mm>`, days being names or runs joined by commas:
 *   `mon-fri 07:00-19:00; sat 08:00-12:00`, `mon,wed,fri 00:00-24:00`.
 * - `time_zone` empty means Europe/Brussels.
 * - `holidays` (business hours only) is an explicit list of dates `YYYY-MM-DD` separated by `;`.
 *   On import `BE:2026` or `BE:2026-2028` stands for the Belgian public holidays of those years
 *   (belgian-holidays.ts); export always writes the dates, so an export re-imports exactly.
 *   Holidays are a column of their own, not part of `schedule`, because they are a long list.
 * - `exclusions` is a list separated by `;` (so an exclusion cannot contain `;`).
 * - `brief_interruption_s` empty means none configured.
 * Cells a spreadsheet would run as a formula (starting with =, +, -, @) are written with a leading
 * apostrophe, which the reader removes again.
 */
import { z } from 'zod';
import { belgianPublicHolidayDates } from './belgian-holidays';
import { clientIdSchema } from './identity';
import { missingCase } from './missing-case';
import { DEFAULT_SLA_TIME_ZONE, slaScheduleSchema, type SlaSchedule } from './sla-schedule';

/** Version of the catalogue format this module reads and writes. */
export const SLA_CATALOGUE_VERSION = 1;

/** An SLA or KPI id: letters, digits, `.`, `_`, `:` and `-`, starting with a letter or digit. */
const idSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    'an id is 1 to 128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  );

/** A one-line name (service id, chain): no control characters, no spaces at either end. */
const nameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .refine((text) => text === text.trim(), { message: 'must not start or end with a space' })
  // eslint-disable-next-line no-control-regex
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), { message: 'must be one line of text' });

/** One exclusion: a reason or an outage classification name; may span lines, never holds `;`. */
const exclusionSchema = z
  .string()
  .min(1, 'an exclusion must not be empty')
  .max(500)
  .refine((text) => text === text.trim(), { message: 'an exclusion must not start or end with a space' })
  .refine((text) => !text.includes(';'), {
    message: 'an exclusion must not contain ";" (the CSV list separator)',
  });

/** A share in percent: more than 0, at most 100. */
const percentSchema = z
  .number()
  .gt(0, 'a percentage must be above 0')
  .max(100, 'a percentage is at most 100');
/** A duration in whole milliseconds, above 0. */
const positiveMsSchema = z.number().int('must be whole milliseconds').gt(0, 'must be above 0 ms');

/** The KPI kinds of issue 7. */
export const KPI_TYPES = ['availability', 'responseTime', 'batchDeadline', 'incidentCount', 'mttr'] as const;
export type KpiType = (typeof KPI_TYPES)[number];

/** The period a KPI is measured and judged over, cut in the schedule's zone. */
export const kpiPeriodSchema = z.enum(['day', 'month', 'quarter']);
export type KpiPeriod = z.infer<typeof kpiPeriodSchema>;

const kpiCommon = {
  id: idSchema,
  period: kpiPeriodSchema,
  schedule: slaScheduleSchema,
  /** Reasons or outage classifications that do not count against the KPI. */
  exclusions: z.array(exclusionSchema).max(100).default([]),
  /** Interruptions shorter than this many seconds are ignored (issue 7 item 2). */
  briefInterruptionSeconds: z.number().min(0, 'must be 0 or more seconds').optional(),
};

/** One KPI; the shape of `target` depends on `type`. */
export const kpiSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...kpiCommon,
    type: z.literal('availability'),
    /** Scheduled time available, in percent. */
    target: z.strictObject({ percent: percentSchema }),
  }),
  z.strictObject({
    ...kpiCommon,
    type: z.literal('responseTime'),
    /** At least `percent` % of requests answered in at most `thresholdMs`. */
    target: z.strictObject({ percent: percentSchema, thresholdMs: positiveMsSchema }),
  }),
  z.strictObject({
    ...kpiCommon,
    type: z.literal('batchDeadline'),
    /** At least `percent` % of batch items processed within `deadlineMs` of their arrival. */
    target: z.strictObject({ percent: percentSchema, deadlineMs: positiveMsSchema }),
  }),
  z.strictObject({
    ...kpiCommon,
    type: z.literal('incidentCount'),
    /** At most `maxCount` incidents in the period. */
    target: z.strictObject({ maxCount: z.number().int('must be a whole count').min(0, 'must be 0 or more') }),
  }),
  z.strictObject({
    ...kpiCommon,
    type: z.literal('mttr'),
    /** Mean time to restore at most `maxMinutes` over the period. */
    target: z.strictObject({ maxMinutes: z.number().gt(0, 'must be above 0 minutes') }),
  }),
]);
export type Kpi = z.infer<typeof kpiSchema>;

/** One SLA: a service of a chain, for a client, with KPIs whose ids are unique within it. */
export const slaSchema = z
  .strictObject({
    id: idSchema,
    serviceId: nameSchema,
    chain: nameSchema,
    client: clientIdSchema,
    kpis: z.array(kpiSchema).min(1, 'an SLA has at least one KPI').max(100),
  })
  .superRefine((sla, ctx) => {
    const seen = new Map<string, number>();
    sla.kpis.forEach((kpi, index) => {
      const first = seen.get(kpi.id);
      if (first === undefined) seen.set(kpi.id, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['kpis', index, 'id'],
          message: `KPI id "${kpi.id}" is already used by kpis[${first}] of SLA "${sla.id}"`,
        });
    });
  });
export type Sla = z.infer<typeof slaSchema>;

/** The whole catalogue; SLA ids are unique. */
export const slaCatalogueSchema = z
  .strictObject({
    version: z.literal(SLA_CATALOGUE_VERSION),
    slas: z.array(slaSchema).max(20_000),
  })
  .superRefine((catalogue, ctx) => {
    const seen = new Map<string, number>();
    catalogue.slas.forEach((sla, index) => {
      const first = seen.get(sla.id);
      if (first === undefined) seen.set(sla.id, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['slas', index, 'id'],
          message: `SLA id "${sla.id}" is already used by slas[${first}]`,
        });
    });
  });
export type SlaCatalogue = z.infer<typeof slaCatalogueSchema>;

/** One problem found in an imported catalogue. */
export interface CatalogueIssue {
  /** Where: a JSON path (`slas[0].kpis[1].target.percent`, `` for the whole document), or `row 3, column target`. */
  readonly path: string;
  readonly message: string;
  /** CSV only: the row (1-based, the header is row 1). */
  readonly row?: number;
  /** CSV only: the column name. */
  readonly column?: string;
}

/** The outcome of an import: the catalogue, or every problem found. */
export type CatalogueParseResult =
  | { readonly ok: true; readonly catalogue: SlaCatalogue }
  | { readonly ok: false; readonly issues: CatalogueIssue[] };

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

function schemaIssues(error: z.ZodError): Array<{ path: PropertyKey[]; message: string }> {
  return error.issues.map((issue) => ({ path: [...issue.path], message: issue.message }));
}

// ---------------------------------------------------------------------------------------------
// JSON

/**
 * Reads a catalogue from JSON text. Syntax errors are reported with their line, column and
 * offset; schema errors with the path of the offending value. Never throws.
 */
export function parseCatalogueJson(text: string): CatalogueParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err: unknown) {
    if (!(err instanceof SyntaxError)) throw err;
    return { ok: false, issues: [{ path: '', message: jsonSyntaxMessage(text) }] };
  }
  const parsed = slaCatalogueSchema.safeParse(value);
  if (parsed.success) return { ok: true, catalogue: parsed.data };
  return {
    ok: false,
    issues: schemaIssues(parsed.error).map((i) => ({ path: formatPath(i.path), message: i.message })),
  };
}

/** The catalogue as JSON text, readable by {@link parseCatalogueJson}. */
export function catalogueToJson(catalogue: SlaCatalogue): string {
  return `${JSON.stringify(catalogue, null, 2)}\n`;
}

/**
 * Where JSON.parse failed: the engines' own messages do not all give a position (V8's newer ones
 * quote the text instead), so a small scanner finds the first offset that is not JSON.
 */
function jsonSyntaxMessage(text: string): string {
  const { offset, expected } = findJsonError(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const found = offset >= text.length ? 'the end of the text' : JSON.stringify(text[offset]);
  return `invalid JSON at line ${line}, column ${column} (offset ${offset}): expected ${expected}, found ${found}`;
}

class JsonStop extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`expected ${expected} at offset ${offset}`);
  }
}

function findJsonError(text: string): { offset: number; expected: string } {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i += 1;
  };
  const stop = (expected: string): never => {
    throw new JsonStop(i, expected);
  };
  const literal = (word: string): void => {
    for (const c of word) {
      if (text[i] !== c) stop(`"${word}"`);
      i += 1;
    }
  };
  const string = (): void => {
    i += 1; // opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) stop('a closing quote');
      else if (c === '"') {
        i += 1;
        return;
      } else if (c === '\\') {
        i += 1;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) {
            i += 1;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) stop('a hexadecimal digit');
          }
          i += 1;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 1;
        else stop('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      } else if (c < ' ') stop('no control character inside a string');
      else i += 1;
    }
  };
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match === null || match[0] === '' || match[0] === '-') stop('a value');
    else i += match[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i += 1;
      ws();
      if (text[i] === '}') {
        i += 1;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') stop('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') stop('":"');
        i += 1;
        value();
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') {
          i += 1;
          return;
        } else stop('"," or "}"');
      }
    } else if (c === '[') {
      i += 1;
      ws();
      if (text[i] === ']') {
        i += 1;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') {
          i += 1;
          return;
        } else stop('"," or "]"');
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) stop('the end of the text');
    // JSON.parse refused what this scanner accepts (it should not happen): point at the start.
    return { offset: 0, expected: 'valid JSON' };
  } catch (err: unknown) {
    if (err instanceof JsonStop) return { offset: err.offset, expected: err.expected };
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// CSV reader and writer (RFC 4180)

/** One CSV record: its cells and its row number (1-based, blank rows counted). */
interface CsvRecord {
  readonly row: number;
  readonly cells: string[];
}

class CsvStop extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every record of RFC 4180 text: comma separated, quoted with `"` when needed, `""` inside
 * quotes, CRLF or LF line ends, a leading byte order mark ignored. A line break inside quotes
 * stays in the cell and does not start a new row. Blank rows are skipped but counted.
 */
function readCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row = 1;
  while (i < text.length) {
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[i] === '"') {
        i += 1;
        for (;;) {
          if (i >= text.length) throw new CsvStop(row, 'a quoted cell is never closed');
          if (text[i] === '"') {
            if (text[i + 1] !== '"') break;
            i += 1;
          }
          cell += text[i] as string;
          i += 1;
        }
        i += 1; // closing quote
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n')
          throw new CsvStop(
            row,
            'text after a closing quote (quote the whole cell, double the quotes inside)',
          );
      } else {
        while (i < text.length && !',\r\n'.includes(text[i] as string)) {
          if (text[i] === '"')
            throw new CsvStop(row, 'a quote inside an unquoted cell (quote the cell, double the quote)');
          cell += text[i] as string;
          i += 1;
        }
      }
      cells.push(cell);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === '\r') i += 1;
      if (text[i] === '\n') i += 1;
      break;
    }
    if (!(cells.length === 1 && cells[0] === '')) records.push({ row, cells });
    row += 1;
  }
  return records;
}

/** Formula-looking cells (and ones that would look like our escape of them) get an apostrophe. */
const FORMULA = /^'*[=+\-@]/;

function writeCell(cell: string): string {
  const safe = FORMULA.test(cell) && !/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) || /^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function unescapeCell(cell: string): string {
  return /^'+[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

// ---------------------------------------------------------------------------------------------
// Catalogue <-> CSV

/** The CSV columns, in the order {@link catalogueToCsv} writes them. */
export const CATALOGUE_CSV_COLUMNS = [
  'sla_id',
  'service',
  'chain',
  'client',
  'kpi_id',
  'type',
  'target',
  'threshold_ms',
  'period',
  'schedule',
  'time_zone',
  'holidays',
  'exclusions',
  'brief_interruption_s',
] as const;
type Column = (typeof CATALOGUE_CSV_COLUMNS)[number];

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** ISO weekdays as names, runs of three or more consecutive days written `mon-fri`. */
function formatWeekdays(weekdays: readonly number[]): string {
  const parts: string[] = [];
  let k = 0;
  while (k < weekdays.length) {
    let end = k;
    while (end + 1 < weekdays.length && (weekdays[end + 1] as number) === (weekdays[end] as number) + 1)
      end += 1;
    const name = (w: number): string => DAY_NAMES[w - 1] as string;
    if (end - k >= 2) parts.push(`${name(weekdays[k] as number)}-${name(weekdays[end] as number)}`);
    else for (let j = k; j <= end; j++) parts.push(name(weekdays[j] as number));
    k = end + 1;
  }
  return parts.join(',');
}

/** The compact schedule text of the CSV `schedule` column. */
export function formatScheduleCompact(schedule: SlaSchedule): string {
  switch (schedule.kind) {
    case '24x7':
      return '24x7';
    case 'business-hours':
      return schedule.hours.map((r) => `${formatWeekdays(r.weekdays)} ${r.from}-${r.to}`).join('; ');
    default:
      throw missingCase(schedule);
  }
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function dayIndex(name: string): number {
  return DAY_NAMES.indexOf(name.toLowerCase() as (typeof DAY_NAMES)[number]) + 1;
}

/** The business-hours ranges of a compact schedule; times are checked by the schedule schema. */
function parseHours(text: string): Parsed<Array<{ weekdays: number[]; from: string; to: string }>> {
  const ranges: Array<{ weekdays: number[]; from: string; to: string }> = [];
  for (const part of text.split(';')) {
    const match = /^\s*([A-Za-z,-]+)\s+(\S+)-(\S+)\s*$/.exec(part);
    if (match === null)
      return {
        ok: false,
        message: `"${part.trim()}" is not "<days> HH:mm-HH:mm" (e.g. "mon-fri 07:00-19:00")`,
      };
    const weekdays: number[] = [];
    for (const item of (match[1] as string).split(',')) {
      const [first, last, extra] = item.split('-');
      const a = dayIndex(first ?? '');
      const b = last === undefined ? a : dayIndex(last);
      if (a === 0 || b === 0 || extra !== undefined)
        return { ok: false, message: `"${item}" is not a day (mon..sun) or a run of days (mon-fri)` };
      if (b < a) return { ok: false, message: `"${item}" runs backwards (write the days from Monday on)` };
      for (let w = a; w <= b; w++) weekdays.push(w);
    }
    ranges.push({ weekdays, from: match[2] as string, to: match[3] as string });
  }
  return { ok: true, value: ranges };
}

/** The holidays column: dates, and `BE:YYYY` / `BE:YYYY-YYYY` for Belgian public holidays. */
function parseHolidays(text: string): Parsed<string[]> {
  if (text.trim() === '') return { ok: true, value: [] };
  const dates: string[] = [];
  for (const raw of text.split(';')) {
    const item = raw.trim();
    const be = /^BE:(\d{4})(?:-(\d{4}))?$/i.exec(item);
    if (be === null) {
      dates.push(item); // checked by the schedule schema
      continue;
    }
    const from = Number(be[1]);
    const to = be[2] === undefined ? from : Number(be[2]);
    if (from < 1970 || to < from || to - from > 100)
      return { ok: false, message: `"${item}" must name years from 1970 on, at most 100 of them, in order` };
    for (let year = from; year <= to; year++) dates.push(...belgianPublicHolidayDates(year));
  }
  return { ok: true, value: dates };
}

/** A number as the CSV writes it (`String(n)`): decimal, optional exponent; no hex, no spaces. */
function parseNumber(text: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function splitList(text: string): string[] {
  return text === '' ? [] : text.split(';').map((item) => item.trim());
}

/** What a KPI writes in `target` and `threshold_ms`. */
function targetCells(kpi: Kpi): { target: number; threshold: number | null } {
  switch (kpi.type) {
    case 'availability':
      return { target: kpi.target.percent, threshold: null };
    case 'responseTime':
      return { target: kpi.target.percent, threshold: kpi.target.thresholdMs };
    case 'batchDeadline':
      return { target: kpi.target.percent, threshold: kpi.target.deadlineMs };
    case 'incidentCount':
      return { target: kpi.target.maxCount, threshold: null };
    case 'mttr':
      return { target: kpi.target.maxMinutes, threshold: null };
    default:
      throw missingCase(kpi);
  }
}

/** The catalogue as CSV text (CRLF line ends), one row per KPI, readable by {@link parseCatalogueCsv}. */
export function catalogueToCsv(catalogue: SlaCatalogue): string {
  const rows: string[][] = [[...CATALOGUE_CSV_COLUMNS]];
  for (const sla of catalogue.slas) {
    for (const kpi of sla.kpis) {
      const { target, threshold } = targetCells(kpi);
      const cells: Record<Column, string> = {
        sla_id: sla.id,
        service: sla.serviceId,
        chain: sla.chain,
        client: sla.client,
        kpi_id: kpi.id,
        type: kpi.type,
        target: String(target),
        threshold_ms: threshold === null ? '' : String(threshold),
        period: kpi.period,
        schedule: formatScheduleCompact(kpi.schedule),
        time_zone: kpi.schedule.timeZone,
        holidays: kpi.schedule.kind === 'business-hours' ? kpi.schedule.holidays.join(';') : '',
        exclusions: kpi.exclusions.join(';'),
        brief_interruption_s:
          kpi.briefInterruptionSeconds === undefined ? '' : String(kpi.briefInterruptionSeconds),
      };
      rows.push(CATALOGUE_CSV_COLUMNS.map((column) => cells[column]));
    }
  }
  return rows.map((row) => `${row.map(writeCell).join(',')}\r\n`).join('');
}

/** Which column a schema path inside a KPI comes from. */
function kpiColumn(path: readonly PropertyKey[]): Column {
  const [field, sub] = path;
  switch (field) {
    case 'id':
      return 'kpi_id';
    case 'type':
      return 'type';
    case 'period':
      return 'period';
    case 'exclusions':
      return 'exclusions';
    case 'briefInterruptionSeconds':
      return 'brief_interruption_s';
    case 'target':
      return sub === 'thresholdMs' || sub === 'deadlineMs' ? 'threshold_ms' : 'target';
    case 'schedule':
      return sub === 'timeZone' ? 'time_zone' : sub === 'holidays' ? 'holidays' : 'schedule';
    case undefined:
    default:
      return 'kpi_id';
  }
}

const SLA_COLUMNS: Partial<Record<PropertyKey, Column>> = {
  id: 'sla_id',
  serviceId: 'service',
  chain: 'chain',
  client: 'client',
};

/**
 * Reads a catalogue from CSV text (see the module comment for the columns). Every problem names
 * its row (1-based, the header is row 1) and column; all are reported, not just the first.
 * Never throws.
 */
export function parseCatalogueCsv(text: string): CatalogueParseResult {
  let records: CsvRecord[];
  try {
    records = readCsv(text);
  } catch (err: unknown) {
    if (!(err instanceof CsvStop)) throw err;
    return { ok: false, issues: [{ path: `row ${err.row}`, row: err.row, message: err.message }] };
  }
  const issues: CatalogueIssue[] = [];
  const report = (row: number, column: string, message: string): void => {
    issues.push({ path: `row ${row}, column ${column}`, row, column, message });
  };

  const header = records[0];
  if (header === undefined)
    return { ok: false, issues: [{ path: 'row 1', row: 1, message: 'the CSV has no header row' }] };
  const index = new Map<string, number>();
  header.cells.forEach((name, position) => {
    const column = name.trim().toLowerCase();
    if (!(CATALOGUE_CSV_COLUMNS as readonly string[]).includes(column))
      report(header.row, name, `unknown column (expected: ${CATALOGUE_CSV_COLUMNS.join(', ')})`);
    else if (index.has(column)) report(header.row, column, 'column given twice');
    else index.set(column, position);
  });
  for (const column of CATALOGUE_CSV_COLUMNS)
    if (!index.has(column)) report(header.row, column, 'column missing from the header');
  if (issues.length > 0) return { ok: false, issues };

  interface Draft {
    readonly sla: { id: string; serviceId: string; chain: string; client: string; kpis: unknown[] };
    readonly firstRow: number;
    readonly kpiRows: number[];
  }
  const drafts = new Map<string, Draft>();
  for (const record of records.slice(1)) {
    const { row } = record;
    if (record.cells.length !== header.cells.length) {
      report(row, 'sla_id', `${record.cells.length} cells where the header has ${header.cells.length}`);
      continue;
    }
    const cell = (column: Column): string =>
      unescapeCell(record.cells[index.get(column) as number] as string);
    const before = issues.length;

    const slaId = cell('sla_id');
    let draft = drafts.get(slaId);
    if (draft === undefined) {
      draft = {
        sla: {
          id: slaId,
          serviceId: cell('service'),
          chain: cell('chain'),
          client: cell('client'),
          kpis: [],
        },
        firstRow: row,
        kpiRows: [],
      };
      drafts.set(slaId, draft);
    } else {
      for (const [field, column] of [
        ['serviceId', 'service'],
        ['chain', 'chain'],
        ['client', 'client'],
      ] as const)
        if (cell(column) !== draft.sla[field])
          report(
            row,
            column,
            `differs from row ${draft.firstRow} of the same SLA "${slaId}" ("${draft.sla[field]}")`,
          );
    }

    const type = cell('type');
    const target = cell('target');
    const targetValue = parseNumber(target);
    if (targetValue === null) report(row, 'target', `"${target}" is not a number`);
    const thresholdText = cell('threshold_ms');
    const thresholdValue = thresholdText === '' ? null : parseNumber(thresholdText);
    const needsThreshold = type === 'responseTime' || type === 'batchDeadline';
    if (thresholdText !== '' && thresholdValue === null)
      report(row, 'threshold_ms', `"${thresholdText}" is not a number`);
    else if (needsThreshold && thresholdValue === null)
      report(row, 'threshold_ms', `a ${type} KPI needs a threshold in ms`);
    else if (!needsThreshold && thresholdValue !== null && (KPI_TYPES as readonly string[]).includes(type))
      report(row, 'threshold_ms', `must be empty for a ${type} KPI`);
    else if (!(KPI_TYPES as readonly string[]).includes(type))
      report(row, 'type', `"${type}" is not one of ${KPI_TYPES.join(', ')}`);

    const timeZoneText = cell('time_zone');
    const timeZone = timeZoneText === '' ? DEFAULT_SLA_TIME_ZONE : timeZoneText;
    const scheduleText = cell('schedule');
    const holidaysText = cell('holidays');
    let schedule: unknown;
    if (scheduleText.trim().toLowerCase() === '24x7') {
      schedule = { kind: '24x7', timeZone };
      if (holidaysText.trim() !== '') report(row, 'holidays', 'must be empty for a 24x7 schedule');
    } else {
      const hours = parseHours(scheduleText);
      const holidays = parseHolidays(holidaysText);
      if (!hours.ok) report(row, 'schedule', hours.message);
      if (!holidays.ok) report(row, 'holidays', holidays.message);
      if (hours.ok && holidays.ok)
        schedule = { kind: 'business-hours', timeZone, hours: hours.value, holidays: holidays.value };
    }

    const briefText = cell('brief_interruption_s');
    const brief = briefText === '' ? undefined : parseNumber(briefText);
    if (brief === null) report(row, 'brief_interruption_s', `"${briefText}" is not a number`);

    if (issues.length > before) continue;
    const kpiTarget = ((): unknown => {
      switch (type) {
        case 'availability':
          return { percent: targetValue };
        case 'responseTime':
          return { percent: targetValue, thresholdMs: thresholdValue };
        case 'batchDeadline':
          return { percent: targetValue, deadlineMs: thresholdValue };
        case 'incidentCount':
          return { maxCount: targetValue };
        default:
          return { maxMinutes: targetValue };
      }
    })();
    draft.sla.kpis.push({
      id: cell('kpi_id'),
      type,
      target: kpiTarget,
      period: cell('period'),
      schedule,
      exclusions: splitList(cell('exclusions')),
      ...(brief === undefined ? {} : { briefInterruptionSeconds: brief }),
    });
    draft.kpiRows.push(row);
  }
  // Rows with cell problems were left out; the others are still checked against the schema so
  // that one import lists every problem. An SLA all of whose rows were left out is skipped.
  const list = [...drafts.values()].filter((d) => issues.length === 0 || d.sla.kpis.length > 0);
  const parsed = slaCatalogueSchema.safeParse({
    version: SLA_CATALOGUE_VERSION,
    slas: list.map((d) => d.sla),
  });
  if (parsed.success)
    return issues.length === 0 ? { ok: true, catalogue: parsed.data } : { ok: false, issues };
  for (const issue of schemaIssues(parsed.error)) {
    const [, slaIndex, field, kpiIndex, ...rest] = issue.path;
    const draft = list[slaIndex as number];
    if (draft === undefined) {
      issues.push({ path: formatPath(issue.path), message: issue.message });
      continue;
    }
    if (field === 'kpis' && typeof kpiIndex === 'number')
      report(draft.kpiRows[kpiIndex] ?? draft.firstRow, kpiColumn(rest), issue.message);
    else report(draft.firstRow, SLA_COLUMNS[field as PropertyKey] ?? 'sla_id', issue.message);
  }
  return { ok: false, issues };
}
