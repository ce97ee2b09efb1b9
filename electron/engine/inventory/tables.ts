/**
 * The inventory's tables as CSV: one file per table, named after it (devices.csv, racks.csv,
 * ...), a header row of column names, one record per row. Nested fields have flat columns
 * (`snmp_auth_protocol`, `rack_position_u`); lists are separated by `;`. An empty cell is an
 * absent field (its default applies). Every problem names the file, the line and the column.
 */
import type { z } from 'zod';
import { CsvSyntaxError, formatCsv, parseCsv } from './csv';
import {
  deviceSchema,
  rackSchema,
  roomSchema,
  serviceSchema,
  zoneSchema,
  type Inventory,
  type InventoryTable,
} from './schema';

type CellType = 'string' | 'integer' | 'number' | 'list';

interface Column {
  readonly header: string;
  readonly path: readonly string[];
  readonly type: CellType;
}

const col = (header: string, path: string, type: CellType = 'string'): Column => ({
  header,
  path: path.split('.'),
  type,
});

export const TABLE_COLUMNS: Readonly<Record<InventoryTable, readonly Column[]>> = {
  zones: [col('id', 'id'), col('name', 'name'), col('kind', 'kind')],
  rooms: [col('id', 'id'), col('zone', 'zone'), col('name', 'name')],
  racks: [col('id', 'id'), col('room', 'room'), col('name', 'name'), col('height_u', 'heightU', 'integer')],
  devices: [
    col('id', 'id'),
    col('zone', 'zone'),
    col('name', 'name'),
    col('kind', 'kind'),
    col('role', 'role'),
    col('address', 'address'),
    col('room', 'room'),
    col('rack', 'rack.id'),
    col('rack_position_u', 'rack.positionU', 'integer'),
    col('rack_height_u', 'rack.heightU', 'integer'),
    col('snmp_version', 'snmp.version'),
    col('snmp_port', 'snmp.port', 'integer'),
    col('snmp_community', 'snmp.community'),
    col('snmp_community_secret', 'snmp.communitySecret'),
    col('snmp_user', 'snmp.user'),
    col('snmp_level', 'snmp.level'),
    col('snmp_auth_protocol', 'snmp.authProtocol'),
    col('snmp_auth_secret', 'snmp.authSecret'),
    col('snmp_priv_protocol', 'snmp.privProtocol'),
    col('snmp_priv_secret', 'snmp.privSecret'),
    col('snmp_context', 'snmp.context'),
    col('ssh_port', 'ssh.port', 'integer'),
    col('ssh_user', 'ssh.user'),
    col('ssh_key_secret', 'ssh.keySecret'),
    col('ssh_password_secret', 'ssh.passwordSecret'),
    col('ssh_templates', 'ssh.templates', 'list'),
    col('profiles', 'profiles', 'list'),
    col('interval_seconds', 'intervalSeconds', 'number'),
    col('sensor_temperature_index', 'sensors.temperatureIndex', 'integer'),
    col('sensor_humidity_index', 'sensors.humidityIndex', 'integer'),
    col('uplink_if_index', 'uplinkIfIndex', 'integer'),
    col('tags', 'tags', 'list'),
  ],
  services: [
    col('id', 'id'),
    col('zone', 'zone'),
    col('name', 'name'),
    col('url', 'url'),
    col('interval_seconds', 'intervalSeconds', 'number'),
    col('degraded_latency_ms', 'degradedLatencyMs', 'integer'),
    col('client', 'client'),
    col('tags', 'tags', 'list'),
  ],
};

const RECORD_SCHEMAS: Readonly<Record<InventoryTable, z.ZodType>> = {
  zones: zoneSchema,
  rooms: roomSchema,
  racks: rackSchema,
  devices: deviceSchema,
  services: serviceSchema,
};

export const INVENTORY_TABLES: readonly InventoryTable[] = ['zones', 'rooms', 'racks', 'devices', 'services'];

/** Where an import went wrong: file, line (of the row) and column (its header name). */
export interface ImportIssue {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
  /** The field's path in the JSON form, when there is one. */
  readonly path?: string;
  readonly message: string;
}

export function formatImportIssue(issue: ImportIssue): string {
  const where = [issue.file, issue.line !== undefined ? `line ${issue.line}` : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
  const what = issue.column ?? issue.path;
  return `${where}${what ? `, ${issue.column ? 'column ' : ''}${what}` : ''}: ${issue.message}`;
}

export type TableImport<T> =
  | { ok: true; records: T[]; /** The line of each record's row. */ lines: number[] }
  | { ok: false; issues: ImportIssue[] };

const MAX_ROWS = 100_000;

function cellValue(raw: string, type: CellType): { value: unknown } | { error: string } {
  // A leading apostrophe is how formatCsv defuses spreadsheet formulas: take it back off.
  const text = /^'[=+\-@]/.test(raw) ? raw.slice(1) : raw;
  switch (type) {
    case 'string':
      return { value: text };
    case 'list':
      return {
        value: text
          .split(';')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    case 'integer':
    case 'number': {
      const trimmed = text.trim();
      const n = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(n)) return { error: `"${text}" is not a number` };
      if (type === 'integer' && !Number.isInteger(n)) return { error: `"${text}" is not a whole number` };
      return { value: n };
    }
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const child = node[key];
    if (typeof child === 'object' && child !== null) node = child as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
}

/**
 * Parses one table's CSV. Unknown or repeated headers and missing required headers are refused
 * before any row is read: a typo in a header would otherwise silently drop a column.
 */
export function importTableCsv<T extends InventoryTable>(
  table: T,
  file: string,
  text: string,
): TableImport<Inventory[T][number]> {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (err: unknown) {
    if (err instanceof CsvSyntaxError)
      return {
        ok: false,
        issues: [{ file, line: err.line, message: err.message.replace(/^line \d+: /, '') }],
      };
    throw err;
  }
  const [header, ...body] = rows;
  if (!header)
    return { ok: false, issues: [{ file, message: 'the file is empty (a header row is needed)' }] };
  if (body.length > MAX_ROWS)
    return { ok: false, issues: [{ file, message: `more than ${MAX_ROWS} rows; split the file` }] };
  const known = new Map(TABLE_COLUMNS[table].map((c) => [c.header, c]));
  const columns: Column[] = [];
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  header.cells.forEach((h) => {
    const name = h.trim();
    const column = known.get(name);
    if (!column)
      issues.push({
        file,
        line: header.line,
        column: name,
        message: `unknown column; ${table} has ${[...known.keys()].join(', ')}`,
      });
    else if (seen.has(name))
      issues.push({ file, line: header.line, column: name, message: 'column given twice' });
    else columns.push(column);
    seen.add(name);
  });
  for (const required of [
    'id',
    ...(table === 'devices' ? ['zone', 'name', 'kind', 'address', 'snmp_version'] : []),
  ])
    if (!seen.has(required))
      issues.push({ file, line: header.line, column: required, message: 'required column missing' });
  if (issues.length > 0) return { ok: false, issues };

  const records: Inventory[T][number][] = [];
  const lines: number[] = [];
  const schema = RECORD_SCHEMAS[table];
  for (const row of body) {
    if (row.cells.length > header.cells.length) {
      issues.push({
        file,
        line: row.line,
        message: `${row.cells.length} cells for ${header.cells.length} columns`,
      });
      continue;
    }
    const record: Record<string, unknown> = {};
    let rowOk = true;
    row.cells.forEach((raw, i) => {
      const column = columns[i];
      if (!column || raw === '') return;
      const value = cellValue(raw, column.type);
      if ('error' in value) {
        issues.push({ file, line: row.line, column: column.header, message: value.error });
        rowOk = false;
      } else setPath(record, column.path, value.value);
    });
    if (!rowOk) continue;
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String);
        const dotted = path.join('.');
        // The column of the field, or of the first field under it (for a missing nested object).
        const column =
          columns.find((c) => c.path.join('.') === dotted) ??
          TABLE_COLUMNS[table].find(
            (c) => c.path.join('.') === dotted || c.path.join('.').startsWith(`${dotted}.`),
          );
        issues.push({
          file,
          line: row.line,
          ...(column ? { column: column.header } : { path: dotted || '(row)' }),
          message: issue.message,
        });
      }
      continue;
    }
    records.push(parsed.data as Inventory[T][number]);
    lines.push(row.line);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, records, lines };
}

function getPath(record: unknown, path: readonly string[]): unknown {
  let node: unknown = record;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * One table as CSV, every column in the header. Inline SNMP communities are secrets and are not
 * exported: `redacted` counts them, and the cell stays empty (move them to `snmp_community_secret`).
 */
export function exportTableCsv<T extends InventoryTable>(
  table: T,
  records: readonly Inventory[T][number][],
): { text: string; redacted: number } {
  const columns = TABLE_COLUMNS[table];
  let redacted = 0;
  const rows = records.map((record) =>
    columns.map((c) => {
      const value = getPath(record, c.path);
      if (c.header === 'snmp_community' && value !== undefined) {
        redacted += 1;
        return '';
      }
      if (value === undefined || value === null) return '';
      if (Array.isArray(value)) return value.map(String).join(';');
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return JSON.stringify(value);
    }),
  );
  return { text: formatCsv([columns.map((c) => c.header), ...rows]), redacted };
}

/** The inventory as a JSON document, inline communities removed as in {@link exportTableCsv}. */
export function exportInventoryJson(inv: Inventory): { text: string; redacted: number } {
  let redacted = 0;
  const devices = inv.devices.map((d) => {
    if (d.snmp.version === '2c' && d.snmp.community !== undefined) {
      redacted += 1;
      const { community: _community, ...snmp } = d.snmp;
      return { ...d, snmp };
    }
    return d;
  });
  const doc = {
    zones: inv.zones,
    rooms: inv.rooms,
    racks: inv.racks,
    devices,
    services: inv.services,
  };
  return { text: `${JSON.stringify(doc, null, 2)}\n`, redacted };
}
