/**
 * Inventory files: JSON documents of the inventory's shape, and CSV files of one table each
 * (the table is the end of the file name: `devices.csv`, `dc1-devices.csv`). They are merged
 * with what is already known, then the rules across records are checked on the whole; every
 * issue names the file it comes from, and for CSV the line and the column.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { INVENTORY_TABLES, importTableCsv, type ImportIssue } from './tables';
import { checkInventory, inventorySchema, type Inventory, type InventoryTable } from './schema';

const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** Where each record came from, to point an issue found on the merged whole back at its file. */
interface Origin {
  readonly file: string;
  readonly line?: number;
  /** Index in the file's own table (JSON). */
  readonly index?: number;
}

export type InventoryLoad = { ok: true; inventory: Inventory } | { ok: false; issues: ImportIssue[] };

export function emptyInventory(): Inventory {
  return { zones: [], rooms: [], racks: [], devices: [], services: [] };
}

/** The table a CSV file holds, from its name. */
export function tableOfFile(file: string): InventoryTable | null {
  const stem = basename(file, extname(file)).toLowerCase();
  return INVENTORY_TABLES.find((t) => stem === t || stem.endsWith(`-${t}`) || stem.endsWith(`_${t}`)) ?? null;
}

async function readText(file: string): Promise<string | ImportIssue> {
  try {
    const buf = await readFile(file);
    if (buf.byteLength > MAX_FILE_BYTES) return { file, message: `larger than ${MAX_FILE_BYTES} bytes` };
    return buf.toString('utf8');
  } catch (err: unknown) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot be read (${code || 'error'})`;
    return { file, message: why };
  }
}

/** Parses one file (by extension) into a partial inventory with the origin of each record. */
export async function readInventoryFile(
  file: string,
): Promise<
  | { ok: true; part: Inventory; origins: Record<InventoryTable, Origin[]> }
  | { ok: false; issues: ImportIssue[] }
> {
  const text = await readText(file);
  if (typeof text !== 'string') return { ok: false, issues: [text] };
  const part = emptyInventory();
  const origins: Record<InventoryTable, Origin[]> = {
    zones: [],
    rooms: [],
    racks: [],
    devices: [],
    services: [],
  };
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') {
    const table = tableOfFile(file);
    if (!table)
      return {
        ok: false,
        issues: [
          {
            file,
            message: `cannot tell the table from the name; call it ${INVENTORY_TABLES.map((t) => `${t}.csv`).join(', ')}`,
          },
        ],
      };
    const result = importTableCsv(table, file, text);
    if (!result.ok) return result;
    (part[table] as unknown[]).push(...result.records);
    origins[table] = result.lines.map((line) => ({ file, line }));
    return { ok: true, part, origins };
  }
  if (ext === '.json') {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err: unknown) {
      return {
        ok: false,
        issues: [{ file, message: `not JSON: ${err instanceof Error ? err.message : String(err)}` }],
      };
    }
    const parsed = inventorySchema.safeParse(raw);
    if (!parsed.success)
      return {
        ok: false,
        issues: parsed.error.issues
          .slice(0, 200)
          .map((i) => ({ file, path: i.path.map(String).join('.') || '(document)', message: i.message })),
      };
    for (const t of INVENTORY_TABLES) {
      (part[t] as unknown[]).push(...parsed.data[t]);
      origins[t] = parsed.data[t].map((_, index) => ({ file, index }));
    }
    return { ok: true, part, origins };
  }
  return { ok: false, issues: [{ file, message: 'inventory files are .json or .csv' }] };
}

/**
 * Merges `files` into `base` (records of `base` first) and checks the whole. Issues found on the
 * merged inventory point at the file and line of the record, or, for records of `base`, at
 * `baseName` with the record's path.
 */
export async function loadInventoryFiles(
  base: Inventory,
  files: readonly string[],
  baseName: string,
): Promise<InventoryLoad> {
  const merged = emptyInventory();
  const origins: Record<InventoryTable, Origin[]> = {
    zones: [],
    rooms: [],
    racks: [],
    devices: [],
    services: [],
  };
  for (const t of INVENTORY_TABLES) {
    (merged[t] as unknown[]).push(...base[t]);
    origins[t].push(...base[t].map((_, index) => ({ file: baseName, index })));
  }
  const issues: ImportIssue[] = [];
  for (const file of files) {
    const read = await readInventoryFile(file);
    if (!read.ok) {
      issues.push(...read.issues);
      continue;
    }
    for (const t of INVENTORY_TABLES) {
      (merged[t] as unknown[]).push(...read.part[t]);
      origins[t].push(...read.origins[t]);
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  const crossIssues = checkInventory(merged).map((issue): ImportIssue => {
    const [table, index, ...rest] = issue.path;
    const origin =
      typeof table === 'string' && typeof index === 'number'
        ? origins[table as InventoryTable]?.[index]
        : undefined;
    if (!origin) return { file: baseName, path: issue.path.join('.'), message: issue.message };
    const field = rest.join('.');
    if (origin.line !== undefined)
      return { file: origin.file, line: origin.line, path: field, message: issue.message };
    const prefix = origin.file === baseName ? `inventory.${String(table)}` : String(table);
    return { file: origin.file, path: [prefix, origin.index, ...rest].join('.'), message: issue.message };
  });
  return crossIssues.length > 0 ? { ok: false, issues: crossIssues } : { ok: true, inventory: merged };
}
