/**
 * StateStore on DuckDB (@duckdb/node-api: N-API, loads in Electron without a rebuild).
 * Each poll is one transaction; `commitPoll` resolves after COMMIT, which DuckDB makes durable
 * through its write-ahead log, so a sample reported as stored survives a killed process.
 */
import { mkdir, open as openFile, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { conditionSchema, readingSchema, statusSchema, type ReadingKey } from '../../../../shared/api';
import {
  auditDetailsSchema,
  type AuditFilter,
  type AuditPage,
  type AuditQuery,
} from '../../../../shared/api/audit';
import { parseDashboardDocument } from '../../../../shared/domain/dashboard';
import type { AuditEntry, AuditRecord, AuditTrail, AuditVerdict } from '../../ports/audit-log';
import type { Logger } from '../../ports/logger';
// The chain's canonical form and verification are pure logic shared with `vigie audit verify`.
import {
  anchorLine,
  canonicalDetails,
  chainEntry,
  parseAnchors,
  verifyAuditChain,
} from '../../services/audit/audit-chain';
import type { DashboardStore, StoredDashboard } from '../../ports/dashboard-store';
import type { HostKeyPin, HostKeyPinStore } from '../../ports/host-key-pins';
import type { Sample, SourceState, StateStore } from '../../ports/state-store';
import { UpstreamError } from '../../ports/upstream-error';

/**
 * The audit trail: `seq` is given by the store (head + 1, gapless from 1), `prev_hash` and `hash`
 * chain the entries (services/audit/audit-chain.ts). Before the chain, `seq` came from the
 * sequence `audit_seq` and the hashes did not exist: such a table is rebuilt at open.
 */
const AUDIT_TABLE = (name: string): string => `CREATE TABLE IF NOT EXISTS ${name} (
     seq BIGINT PRIMARY KEY, at_ms BIGINT NOT NULL, actor VARCHAR NOT NULL, role VARCHAR NOT NULL,
     action VARCHAR NOT NULL, target VARCHAR NOT NULL, details VARCHAR NOT NULL,
     prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL)`;

const AUDIT_COLUMNS = 'seq, at_ms, actor, role, action, target, details, prev_hash, hash';

/** The anchor file beside a database file (none for `:memory:`). */
export function auditAnchorsPath(databasePath: string): string | null {
  return databasePath === ':memory:' ? null : join(dirname(databasePath), 'audit-anchors.jsonl');
}

/** A details text that is not what the engine wrote still verifies as a change, never as `{}`. */
const UNREADABLE = '\u0000unreadable';

function auditRecord(row: DuckDBValue[]): AuditRecord {
  const [seq, at, actor, role, action, target, details, prevHash, hash] = row;
  let parsed: AuditRecord['details'];
  try {
    const result = auditDetailsSchema.safeParse(JSON.parse(String(details)));
    parsed = result.success ? result.data : { [UNREADABLE]: String(details) };
  } catch {
    parsed = { [UNREADABLE]: String(details) };
  }
  return {
    seq: Number(seq),
    at: Number(at),
    actor: String(actor),
    role: String(role),
    action: String(action),
    target: String(target),
    details: parsed,
    prevHash: String(prevHash ?? ''),
    hash: String(hash ?? ''),
  };
}

/** The WHERE clause of an audit filter, with its parameters from `$first`. */
function auditWhere(filter: AuditFilter, params: DuckDBValue[]): string {
  const where: string[] = [];
  const param = (value: DuckDBValue): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.from !== undefined) where.push(`at_ms >= ${param(BigInt(Math.ceil(filter.from)))}`);
  if (filter.to !== undefined) where.push(`at_ms < ${param(BigInt(Math.ceil(filter.to)))}`);
  if (filter.actor) where.push(`contains(lower(actor), lower(${param(filter.actor)}))`);
  if (filter.action) where.push(`starts_with(lower(action), lower(${param(filter.action)}))`);
  if (filter.target) where.push(`contains(lower(target), lower(${param(filter.target)}))`);
  if (filter.text) {
    const p = param(filter.text);
    where.push(
      `(contains(lower(actor), lower(${p})) OR contains(lower(action), lower(${p})) OR contains(lower(target), lower(${p})) OR contains(lower(details), lower(${p})))`,
    );
  }
  return where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
}

/** Whether an `audit` table exists without the chain's columns. */
async function needsAuditMigration(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    "SELECT column_name FROM duckdb_columns() WHERE table_name = 'audit' AND schema_name = 'main'",
  );
  const columns = reader.getRows().map(([name]) => String(name));
  return columns.length > 0 && !columns.includes('hash');
}

export interface StateStoreOptions {
  /** Where the audit migration is reported. */
  readonly logger?: Logger;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS samples (
     source_id VARCHAR NOT NULL, reading VARCHAR NOT NULL, ts BIGINT NOT NULL, value DOUBLE)`,
  `CREATE TABLE IF NOT EXISTS source_state (
     source_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, condition VARCHAR NOT NULL, readings VARCHAR NOT NULL,
     last_sample_at BIGINT, last_attempt_at BIGINT, error_code VARCHAR, error_message VARCHAR, error_at BIGINT)`,
  AUDIT_TABLE('audit'),
  `CREATE TABLE IF NOT EXISTS dashboards (
     id VARCHAR PRIMARY KEY, revision BIGINT NOT NULL, document VARCHAR NOT NULL,
     updated_at BIGINT NOT NULL, updated_by VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS host_key_pins (
     device_id VARCHAR PRIMARY KEY, key_type VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL, public_key VARCHAR NOT NULL,
     endpoint VARCHAR NOT NULL, pinned_at BIGINT NOT NULL, pinned_by VARCHAR NOT NULL)`,
];

const storedStateSchema = z.object({
  source_id: z.string(),
  status: statusSchema,
  condition: conditionSchema,
  readings: z.string(),
  last_sample_at: z.bigint().nullable(),
  last_attempt_at: z.bigint().nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  error_at: z.bigint().nullable(),
});

const num = (v: bigint | null): number | null => (v === null ? null : Number(v));

export class DuckDbStateStore implements StateStore, AuditTrail, DashboardStore, HostKeyPinStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly anchorsFile: string | null,
    private readonly readOnly: boolean,
  ) {}

  /**
   * Opens (or creates) the database file; `:memory:` for tests that need no file. An audit
   * table from before the hash chain is chained at open (logged).
   */
  static async open(path: string, options: StateStoreOptions = {}): Promise<DuckDbStateStore> {
    try {
      if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      const migrate = await needsAuditMigration(connection);
      for (const sql of SCHEMA) await connection.run(sql);
      const store = new DuckDbStateStore(instance, connection, auditAnchorsPath(path), false);
      if (migrate) {
        const chained = await store.chainLegacyAudit();
        options.logger?.info(
          { entries: chained, anchors: store.anchorsFile },
          `audit log: ${chained} entries recorded before the hash chain were chained in seq order (renumbered 1 to ${chained}) and anchored`,
        );
      }
      return store;
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      const code = /lock/i.test(message) ? 'LOCKED' : 'UNAVAILABLE';
      throw new UpstreamError(
        'duckdb',
        code,
        code === 'LOCKED' ? `the store ${path} is in use by another Vigie engine` : message,
        { cause: err },
      );
    }
  }

  /**
   * Opens an existing database file read-only, to read and verify the audit trail while no engine
   * runs (`vigie audit verify`). LOCKED when an engine holds the file; NOT_FOUND when there is
   * none. Nothing is created, migrated or anchored.
   */
  static async openReadOnly(path: string): Promise<DuckDbStateStore> {
    let instance: DuckDBInstance;
    try {
      await stat(path).catch((err: unknown) => {
        throw new UpstreamError('duckdb', 'NOT_FOUND', `there is no store at ${path}`, { cause: err });
      });
      instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    } catch (err: unknown) {
      if (err instanceof UpstreamError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const locked = /lock/i.test(message);
      throw new UpstreamError(
        'duckdb',
        locked ? 'LOCKED' : 'UNAVAILABLE',
        locked ? `the store ${path} is held by a running Vigie engine` : message,
        { cause: err },
      );
    }
    const connection = await instance.connect();
    if (await needsAuditMigration(connection)) {
      connection.closeSync();
      instance.closeSync();
      throw new UpstreamError(
        'duckdb',
        'UNAVAILABLE',
        `the audit log in ${path} predates the hash chain; start the engine once to chain it`,
      );
    }
    return new DuckDbStateStore(instance, connection, auditAnchorsPath(path), true);
  }

  /**
   * Rebuilds an audit table from before the chain: the rows in seq order become entries 1..n,
   * chained, in one transaction; then the head is anchored. Returns how many were chained.
   */
  private async chainLegacyAudit(): Promise<number> {
    const c = this.connection;
    await c.run('BEGIN TRANSACTION');
    let head: AuditRecord | null = null;
    let count = 0;
    try {
      const reader = await c.runAndReadAll(
        'SELECT at_ms, actor, role, action, target, details FROM audit ORDER BY seq',
      );
      await c.run(AUDIT_TABLE('audit_chained'));
      for (const [at, actor, role, action, target, details] of reader.getRows()) {
        const record = auditRecord([
          0n,
          at ?? 0n,
          actor ?? '',
          role ?? '',
          action ?? '',
          target ?? '',
          details ?? '{}',
          '',
          '',
        ]);
        head = chainEntry(record, head);
        await this.insertAudit(c, head, 'audit_chained');
        count += 1;
      }
      await c.run('DROP TABLE audit');
      await c.run('DROP SEQUENCE IF EXISTS audit_seq');
      await c.run('ALTER TABLE audit_chained RENAME TO audit');
      await c.run('COMMIT');
    } catch (err: unknown) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    if (head) await this.writeAnchor(head);
    return count;
  }

  private async insertAudit(c: DuckDBConnection, r: AuditRecord, table = 'audit'): Promise<void> {
    await c.run(`INSERT INTO ${table} (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      BigInt(r.seq),
      BigInt(r.at),
      r.actor,
      r.role,
      r.action,
      r.target,
      canonicalDetails(r.details),
      r.prevHash,
      r.hash,
    ]);
  }

  /** Appends the head to the anchor file and waits until it is on disk. */
  private async writeAnchor(head: AuditRecord): Promise<void> {
    if (this.anchorsFile === null) return;
    const file = await openFile(this.anchorsFile, 'a', 0o600);
    try {
      await file.appendFile(anchorLine({ seq: head.seq, hash: head.hash, at: Date.now() }), 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
  }

  /** Writes run one at a time on the single connection, in call order. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  commitPoll(samples: readonly Sample[], states: readonly SourceState[]): Promise<void> {
    return this.serial(async () => {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        for (let i = 0; i < samples.length; i += 500) {
          const chunk = samples.slice(i, i + 500);
          const params: DuckDBValue[] = [];
          const rows = chunk.map((s, k) => {
            params.push(s.sourceId, s.reading, BigInt(Math.round(s.ts)), s.value);
            const b = k * 4;
            return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::DOUBLE)`;
          });
          await this.connection.run(`INSERT INTO samples VALUES ${rows.join(', ')}`, params);
        }
        for (const s of states) {
          await this.connection.run(
            'INSERT OR REPLACE INTO source_state VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
            [
              s.sourceId,
              s.status,
              s.condition,
              JSON.stringify(s.readings),
              s.lastSampleAt === null ? null : BigInt(Math.round(s.lastSampleAt)),
              s.lastAttemptAt === null ? null : BigInt(Math.round(s.lastAttemptAt)),
              s.lastError?.code ?? null,
              s.lastError?.message ?? null,
              s.lastError ? BigInt(Math.round(s.lastError.at)) : null,
            ],
          );
        }
        await this.connection.run('COMMIT');
      } catch (err: unknown) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw new UpstreamError('duckdb', 'WRITE_FAILED', err instanceof Error ? err.message : String(err), {
          cause: err,
        });
      }
    });
  }

  loadStates(): Promise<SourceState[]> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll('SELECT * FROM source_state ORDER BY source_id');
      const states: SourceState[] = [];
      for (const raw of reader.getRowObjects()) {
        const row = storedStateSchema.safeParse(raw);
        if (!row.success) continue; // a row from an incompatible version is ignored: the source starts unknown
        const readings = z.array(readingSchema).safeParse(JSON.parse(row.data.readings));
        states.push({
          sourceId: row.data.source_id,
          status: row.data.status,
          condition: row.data.condition,
          readings: readings.success ? readings.data : [],
          lastSampleAt: num(row.data.last_sample_at),
          lastAttemptAt: num(row.data.last_attempt_at),
          lastError:
            row.data.error_code !== null && row.data.error_at !== null
              ? {
                  code: row.data.error_code,
                  message: row.data.error_message ?? '',
                  at: Number(row.data.error_at),
                }
              : null,
        });
      }
      return states;
    });
  }

  history(
    sourceId: string,
    reading: ReadingKey,
    from: number,
    to: number,
  ): Promise<{ times: number[]; values: (number | null)[] }> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        'SELECT ts, value FROM samples WHERE source_id = $1 AND reading = $2 AND ts BETWEEN $3 AND $4 ORDER BY ts',
        [sourceId, reading, BigInt(Math.floor(from)), BigInt(Math.ceil(to))],
      );
      const times: number[] = [];
      const values: (number | null)[] = [];
      for (const [ts, value] of reader.getRows()) {
        times.push(Number(ts));
        values.push(typeof value === 'number' ? value : null);
      }
      return { times, values };
    });
  }

  /**
   * Appends `entry` to the chain: one at a time (the serial queue), reading the head and
   * inserting in one transaction so the chain never forks; resolves once committed and anchored.
   */
  append(entry: AuditEntry): Promise<void> {
    if (this.readOnly)
      return Promise.reject(new UpstreamError('duckdb', 'READ_ONLY', 'the store is open read-only'));
    return this.serial(async () => {
      let record: AuditRecord;
      await this.connection.run('BEGIN TRANSACTION');
      try {
        const head = (
          await this.connection.runAndReadAll('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')
        ).getRows()[0];
        record = chainEntry(entry, head ? { seq: Number(head[0]), hash: String(head[1]) } : null);
        await this.insertAudit(this.connection, record);
        await this.connection.run('COMMIT');
      } catch (err: unknown) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw new UpstreamError('duckdb', 'WRITE_FAILED', err instanceof Error ? err.message : String(err), {
          cause: err,
        });
      }
      try {
        await this.writeAnchor(record);
      } catch (err: unknown) {
        throw new UpstreamError(
          'duckdb',
          'WRITE_FAILED',
          `audit entry ${record.seq} is committed but could not be anchored in ${this.anchorsFile ?? '-'}: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      }
    });
  }

  list(limit: number): Promise<AuditEntry[]> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        `SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq DESC LIMIT $1`,
        [BigInt(limit)],
      );
      return reader.getRows().map((row) => {
        const { at, actor, role, action, target, details } = auditRecord(row);
        return { at, actor, role, action, target, details };
      });
    });
  }

  query(query: AuditQuery): Promise<AuditPage> {
    return this.serial(async () => {
      const params: DuckDBValue[] = [];
      let where = auditWhere(query, params);
      if (query.beforeSeq !== undefined) {
        params.push(BigInt(query.beforeSeq));
        where = `${where === '' ? 'WHERE' : `${where} AND`} seq < $${params.length}`;
      }
      params.push(BigInt(query.limit + 1));
      const reader = await this.connection.runAndReadAll(
        `SELECT ${AUDIT_COLUMNS} FROM audit ${where} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      );
      const entries = reader.getRows().map(auditRecord);
      const more = entries.length > query.limit;
      if (more) entries.pop();
      return { entries, nextBeforeSeq: more ? (entries.at(-1)?.seq ?? null) : null };
    });
  }

  exportEntries(filter: AuditFilter, max: number): Promise<{ entries: AuditRecord[]; truncated: boolean }> {
    return this.serial(async () => {
      const params: DuckDBValue[] = [];
      const where = auditWhere(filter, params);
      params.push(BigInt(max + 1));
      const reader = await this.connection.runAndReadAll(
        `SELECT ${AUDIT_COLUMNS} FROM audit ${where} ORDER BY seq LIMIT $${params.length}`,
        params,
      );
      const entries = reader.getRows().map(auditRecord);
      const truncated = entries.length > max;
      if (truncated) entries.pop();
      return { entries, truncated };
    });
  }

  /** Reads every entry and every anchor, and checks them (audit-chain.ts). */
  verify(): Promise<AuditVerdict> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(`SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`);
      const entries = reader.getRows().map(auditRecord);
      let anchorsText = '';
      if (this.anchorsFile !== null)
        anchorsText = await readFile(this.anchorsFile, 'utf8').catch((err: unknown) => {
          if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return '';
          throw err;
        });
      // In memory there is no anchor file: the chain alone is checked, its head taken as anchored.
      const anchors =
        this.anchorsFile === null
          ? entries.slice(-1).map((e) => ({ seq: e.seq, hash: e.hash, at: e.at }))
          : parseAnchors(anchorsText);
      return verifyAuditChain(entries, anchors, Date.now());
    });
  }

  private readDashboards(where: string, params: DuckDBValue[]): Promise<StoredDashboard[]> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        `SELECT id, revision, document, updated_at, updated_by FROM dashboards ${where} ORDER BY id`,
        params,
      );
      const out: StoredDashboard[] = [];
      for (const [, revision, document, updatedAt, updatedBy] of reader.getRows()) {
        let raw: unknown;
        try {
          raw = JSON.parse(String(document));
        } catch {
          continue; // unreadable row: skipped, never served half-parsed
        }
        const parsed = parseDashboardDocument(raw);
        if (!parsed.ok) continue;
        out.push({
          dashboard: parsed.dashboard,
          revision: Number(revision),
          updatedAt: Number(updatedAt),
          updatedBy: String(updatedBy),
        });
      }
      return out;
    });
  }

  listDashboards(): Promise<StoredDashboard[]> {
    return this.readDashboards('', []);
  }

  async getDashboard(id: string): Promise<StoredDashboard | null> {
    return (await this.readDashboards('WHERE id = $1', [id]))[0] ?? null;
  }

  saveDashboard(
    dashboard: StoredDashboard['dashboard'],
    baseRevision: number | undefined,
    by: string,
    at: number,
  ): Promise<{ saved: StoredDashboard } | { conflict: number | null }> {
    return this.serial(async () => {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        const current = await this.connection.runAndReadAll('SELECT revision FROM dashboards WHERE id = $1', [
          dashboard.id,
        ]);
        const stored = current.getRows()[0]?.[0];
        const storedRevision = stored === undefined ? null : Number(stored);
        if (storedRevision !== (baseRevision ?? null)) {
          await this.connection.run('ROLLBACK');
          return { conflict: storedRevision };
        }
        const revision = (storedRevision ?? 0) + 1;
        await this.connection.run('INSERT OR REPLACE INTO dashboards VALUES ($1, $2, $3, $4, $5)', [
          dashboard.id,
          BigInt(revision),
          JSON.stringify(dashboard),
          BigInt(Math.round(at)),
          by,
        ]);
        await this.connection.run('COMMIT');
        return { saved: { dashboard, revision, updatedAt: at, updatedBy: by } };
      } catch (err: unknown) {
        await this.connection.run('ROLLBACK').catch(() => undefined);
        throw new UpstreamError('duckdb', 'WRITE_FAILED', err instanceof Error ? err.message : String(err), {
          cause: err,
        });
      }
    });
  }

  deleteDashboard(id: string): Promise<boolean> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        'DELETE FROM dashboards WHERE id = $1 RETURNING id',
        [id],
      );
      return reader.getRows().length > 0;
    });
  }

  private readHostKeyPins(where: string, params: DuckDBValue[]): Promise<HostKeyPin[]> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        `SELECT device_id, key_type, fingerprint, public_key, endpoint, pinned_at, pinned_by
           FROM host_key_pins ${where} ORDER BY device_id`,
        params,
      );
      return reader
        .getRows()
        .map(([deviceId, keyType, fingerprint, publicKey, endpoint, pinnedAt, pinnedBy]) => ({
          deviceId: String(deviceId),
          keyType: String(keyType),
          fingerprint: String(fingerprint),
          publicKey: String(publicKey),
          endpoint: String(endpoint),
          pinnedAt: Number(pinnedAt),
          pinnedBy: String(pinnedBy),
        }));
    });
  }

  async getHostKeyPin(deviceId: string): Promise<HostKeyPin | null> {
    return (await this.readHostKeyPins('WHERE device_id = $1', [deviceId]))[0] ?? null;
  }

  listHostKeyPins(): Promise<HostKeyPin[]> {
    return this.readHostKeyPins('', []);
  }

  saveHostKeyPin(pin: HostKeyPin): Promise<void> {
    return this.serial(async () => {
      await this.connection.run('INSERT OR REPLACE INTO host_key_pins VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        pin.deviceId,
        pin.keyType,
        pin.fingerprint,
        pin.publicKey,
        pin.endpoint,
        BigInt(Math.round(pin.pinnedAt)),
        pin.pinnedBy,
      ]);
    });
  }

  deleteHostKeyPin(deviceId: string): Promise<boolean> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        'DELETE FROM host_key_pins WHERE device_id = $1 RETURNING device_id',
        [deviceId],
      );
      return reader.getRows().length > 0;
    });
  }

  close(): Promise<void> {
    return this.serial(() => {
      this.connection.closeSync();
      this.instance.closeSync();
      return Promise.resolve();
    });
  }
}
