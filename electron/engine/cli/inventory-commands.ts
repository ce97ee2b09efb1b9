/**
 * `vigie inventory check FILE...` and `vigie inventory export`: the inventory's CSV and JSON
 * files, validated the way the engine loads them, and written back out without secrets.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatIssues, loadConfigFile } from '../config/load-config';
import { emptyInventory, loadInventoryFiles } from '../inventory/load-inventory';
import type { Inventory } from '../inventory/schema';
import {
  exportInventoryJson,
  exportTableCsv,
  formatImportIssue,
  INVENTORY_TABLES,
} from '../inventory/tables';

export interface InventoryIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Exit codes as the CLI has them. */
const OK = 0;
const INVALID = 2;

function counts(inv: Inventory): string {
  return INVENTORY_TABLES.map((t) => `${inv[t].length} ${t}`).join(', ');
}

export async function cmdInventory(
  args: string[],
  io: InventoryIo,
  usage: (message: string) => Error,
): Promise<number> {
  try {
    return await inventory(args, io, usage);
  } catch (err: unknown) {
    // node:util parseArgs reports bad flags as errors with an ERR_PARSE_ARGS_* code.
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code.startsWith('ERR_PARSE_ARGS')) throw usage((err as Error).message);
    throw err;
  }
}

async function inventory(
  args: string[],
  io: InventoryIo,
  usage: (message: string) => Error,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check') {
    const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
    if (positionals.length === 0) throw usage('usage: vigie inventory check FILE...');
    const result = await loadInventoryFiles(emptyInventory(), positionals, '(none)');
    if (!result.ok) {
      io.err(`${result.issues.map(formatImportIssue).join('\n')}\n`);
      return INVALID;
    }
    io.out(`valid: ${counts(result.inventory)}\n`);
    return OK;
  }
  if (sub === 'export') {
    const { values } = parseArgs({
      args: rest,
      options: {
        config: { type: 'string' },
        format: { type: 'string', default: 'json' },
        out: { type: 'string' },
      },
      allowPositionals: false,
      strict: true,
    });
    if (!values.config)
      throw usage('usage: vigie inventory export --config FILE [--format json|csv] [--out PATH]');
    if (values.format !== 'json' && values.format !== 'csv')
      throw usage(`--format must be json or csv, not "${values.format}"`);
    const loaded = await loadConfigFile(values.config);
    if (!loaded.ok) {
      io.err(`${formatIssues(values.config, loaded.issues)}\n`);
      return INVALID;
    }
    const { include: _include, ...inventory } = loaded.config.inventory;
    let redacted = 0;
    if (values.format === 'json') {
      const doc = exportInventoryJson(inventory);
      redacted = doc.redacted;
      if (values.out) await writeFile(values.out, doc.text, { mode: 0o640 });
      else io.out(doc.text);
    } else {
      if (!values.out) throw usage('CSV export writes one file per table: give the folder with --out');
      await mkdir(values.out, { recursive: true });
      for (const table of INVENTORY_TABLES) {
        const csv = exportTableCsv(table, inventory[table]);
        redacted += csv.redacted;
        await writeFile(join(values.out, `${table}.csv`), csv.text, { mode: 0o640 });
      }
      io.out(
        `wrote ${INVENTORY_TABLES.map((t) => `${t}.csv`).join(', ')} to ${values.out} (${counts(inventory)})\n`,
      );
    }
    if (redacted > 0)
      io.err(
        `vigie: ${redacted} inline SNMP ${redacted === 1 ? 'community was' : 'communities were'} left out of the export; ` +
          'reference them with communitySecret (env: or file:) instead\n',
      );
    return OK;
  }
  throw usage(
    'usage: vigie inventory check FILE... | vigie inventory export --config FILE [--format json|csv] [--out PATH]',
  );
}
