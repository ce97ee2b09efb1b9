/**
 * `vigie audit verify|export`: the audit trail of a data folder, read from its DuckDB file opened
 * read-only, so it works with no engine running (and changes nothing: these reads are not
 * recorded, as whoever can run them can read the file itself). While an engine holds the file,
 * DuckDB refuses a second process; the command then asks the running engine through its runtime
 * file, as the other commands do, where the read is audited, and says plainly what to do when
 * the engine refuses.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { AUDIT_EXPORT_MAX, type AuditFilter, type AuditVerdict } from '../../../shared/api/audit';
import { missingCase } from '../../../shared/domain/missing-case';
import type { AuditTrail } from '../ports/audit-log';
import { UpstreamError } from '../ports/upstream-error';
import { formatAuditExport, type AuditExportFormat } from '../services/audit/audit-export';
import type { EngineClient } from './engine-client';
import { defaultDataDir, isAlive, readRuntimeInfo } from './runtime-file';

export interface AuditCliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

export interface AuditCliDeps {
  readonly usage: (message: string) => Error;
  readonly parse: (
    args: string[],
    options: ParseArgsConfig['options'],
    positionals: number,
  ) => { values: Record<string, unknown>; positionals: string[] };
  readonly parseTime: (text: string, now: number) => number;
  /** A signed-in seat on the engine running for `dataDir` (null: none, said on stderr). */
  readonly connect: (dataDir: string) => Promise<EngineClient | null>;
  /** Opens the trail read-only; default the state store's file. */
  readonly openTrail?: (file: string) => Promise<AuditTrail & { close(): Promise<void> }>;
}

const OK = 0;
const FAILED = 1;

/** Where a data folder keeps its audit trail (the engine's state store; see engine.ts dataRoot). */
export function auditStorePath(dataDir: string, training: boolean): string {
  return join(training ? join(dataDir, 'training') : dataDir, 'state.duckdb');
}

async function defaultOpenTrail(file: string) {
  const { DuckDbStateStore } = await import('../adapters/duckdb/duckdb-state-store');
  return DuckDbStateStore.openReadOnly(file);
}

function summary(verdict: AuditVerdict): string {
  if (!verdict.ok) return verdict.problem.message;
  return `${verdict.entries} ${verdict.entries === 1 ? 'entry' : 'entries'}, chain intact, last anchor seq ${verdict.lastAnchorSeq ?? 'none'}`;
}

type Opened =
  | { kind: 'file'; trail: AuditTrail & { close(): Promise<void> } }
  | { kind: 'engine'; client: EngineClient }
  | { kind: 'failed' };

/** The file read-only; else, when an engine holds it, that engine. */
async function openTrail(
  dataDir: string,
  training: boolean,
  io: AuditCliIo,
  deps: AuditCliDeps,
): Promise<Opened> {
  const file = auditStorePath(dataDir, training);
  try {
    return { kind: 'file', trail: await (deps.openTrail ?? defaultOpenTrail)(file) };
  } catch (err: unknown) {
    if (err instanceof UpstreamError && err.code === 'NOT_FOUND') {
      io.err(
        `vigie: there is no audit log at ${file}${training ? '' : ' (the training estate keeps its own: add --training)'}\n`,
      );
      return { kind: 'failed' };
    }
    if (!(err instanceof UpstreamError && err.code === 'LOCKED')) {
      io.err(
        `vigie: the audit log at ${file} cannot be read: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return { kind: 'failed' };
    }
  }
  const info = await readRuntimeInfo(dataDir);
  if (!info || !isAlive(info.pid)) {
    io.err(
      `vigie: ${file} is held by another process (a Vigie engine, or the desktop app, on this data folder); stop it and run this again\n`,
    );
    return { kind: 'failed' };
  }
  io.err(`vigie: the engine running for ${dataDir} (pid ${info.pid}) holds ${file}; asking it instead\n`);
  const client = await deps.connect(dataDir);
  return client ? { kind: 'engine', client } : { kind: 'failed' };
}

function engineRefused(io: AuditCliIo, dataDir: string, message: string, code: string): number {
  io.err(
    code === 'FORBIDDEN' || code === 'UNAUTHENTICATED'
      ? `vigie: the running engine refused: ${message}.\n  Stop the engine (vigie serve: Ctrl-C; the desktop app: quit it) and run this again to read ${dataDir} directly, or use the console's Audit view as someone with the audit.read permission.\n`
      : `vigie: ${code}: ${message}\n`,
  );
  return FAILED;
}

async function verify(rest: string[], io: AuditCliIo, deps: AuditCliDeps): Promise<number> {
  const { values } = deps.parse(
    rest,
    { 'data-dir': { type: 'string' }, training: { type: 'boolean' }, json: { type: 'boolean' } },
    0,
  );
  const dataDir = resolve(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir(io.env),
  );
  const opened = await openTrail(dataDir, values.training === true, io, deps);
  let verdict: AuditVerdict;
  switch (opened.kind) {
    case 'failed':
      return FAILED;
    case 'file':
      try {
        verdict = await opened.trail.verify();
      } finally {
        await opened.trail.close();
      }
      break;
    case 'engine':
      try {
        const res = await opened.client.invoke('audit.verify', {});
        if (!res.ok) return engineRefused(io, dataDir, res.error.message, res.error.code);
        verdict = res.value;
      } finally {
        opened.client.close();
      }
      break;
    default:
      throw missingCase(opened);
  }
  io.out(values.json === true ? `${JSON.stringify(verdict)}\n` : `${summary(verdict)}\n`);
  return verdict.ok ? OK : FAILED;
}

async function exportTrail(rest: string[], io: AuditCliIo, deps: AuditCliDeps): Promise<number> {
  const { values } = deps.parse(
    rest,
    {
      'data-dir': { type: 'string' },
      training: { type: 'boolean' },
      format: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      actor: { type: 'string' },
      action: { type: 'string' },
      out: { type: 'string' },
    },
    0,
  );
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const format = str(values.format) ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv')
    throw deps.usage(`--format must be jsonl or csv, not "${format}"`);
  const now = Date.now();
  const from = str(values.from);
  const to = str(values.to);
  const actor = str(values.actor);
  const action = str(values.action);
  const filter: AuditFilter = {
    ...(from ? { from: deps.parseTime(from, now) } : {}),
    ...(to ? { to: deps.parseTime(to, now) } : {}),
    ...(actor ? { actor } : {}),
    ...(action ? { action } : {}),
  };
  if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from)
    throw deps.usage('--to must be after --from');
  const dataDir = resolve(str(values['data-dir']) ?? defaultDataDir(io.env));
  const opened = await openTrail(dataDir, values.training === true, io, deps);
  let text: string;
  let truncated: boolean;
  let count: number;
  switch (opened.kind) {
    case 'failed':
      return FAILED;
    case 'file':
      try {
        const found = await opened.trail.exportEntries(filter, AUDIT_EXPORT_MAX);
        text = formatAuditExport(found.entries, format satisfies AuditExportFormat);
        truncated = found.truncated;
        count = found.entries.length;
      } finally {
        await opened.trail.close();
      }
      break;
    case 'engine':
      try {
        const res = await opened.client.invoke('audit.export', { ...filter, format });
        if (!res.ok) return engineRefused(io, dataDir, res.error.message, res.error.code);
        ({ text, truncated, entries: count } = res.value);
      } finally {
        opened.client.close();
      }
      break;
    default:
      throw missingCase(opened);
  }
  const out = str(values.out);
  if (out) {
    await writeFile(out, text, { mode: 0o600 });
    io.err(`Wrote ${count} entries to ${out}.\n`);
  } else io.out(text);
  if (truncated)
    io.err(
      `vigie: only the first ${AUDIT_EXPORT_MAX} matching entries were exported; narrow --from/--to for the rest\n`,
    );
  return OK;
}

export async function cmdAudit(args: string[], io: AuditCliIo, deps: AuditCliDeps): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case undefined:
      throw deps.usage('usage: vigie audit verify|export');
    case 'verify':
      return verify(rest, io, deps);
    case 'export':
      return exportTrail(rest, io, deps);
    default:
      throw deps.usage(`unknown audit command "${sub}"`);
  }
}
