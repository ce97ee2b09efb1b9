/**
 * StateStore on DuckDB (@duckdb/node-api: N-API, loads in Electron without a rebuild).
 * Each poll is one transaction; `commitPoll` resolves after COMMIT, which DuckDB makes durable
 * through its write-ahead log, so a sample reported as stored survives a killed process.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { conditionSchema, readingSchema, statusSchema, type ReadingKey } from '../../../../shared/api';
import { parseDashboardDocument } from '../../../../shared/domain/dashboard';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import type { DashboardStore, StoredDashboard } from '../../ports/dashboard-store';
import type { HostKeyPin, HostKeyPinStore } from '../../ports/host-key-pins';
import type { Sample, SourceState, StateStore } from '../../ports/state-store';
import { UpstreamError } from '../../ports/upstream-error';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS samples (
     source_id VARCHAR NOT NULL, reading VARCHAR NOT NULL, ts BIGINT NOT NULL, value DOUBLE)`,
  `CREATE TABLE IF NOT EXISTS source_state (
     source_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, condition VARCHAR NOT NULL, readings VARCHAR NOT NULL,
     last_sample_at BIGINT, last_attempt_at BIGINT, error_code VARCHAR, error_message VARCHAR, error_at BIGINT)`,
  `CREATE SEQUENCE IF NOT EXISTS audit_seq`,
  `CREATE TABLE IF NOT EXISTS audit (
     seq BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'), at_ms BIGINT NOT NULL, actor VARCHAR NOT NULL, role VARCHAR NOT NULL,
     action VARCHAR NOT NULL, target VARCHAR NOT NULL, details VARCHAR NOT NULL)`,
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

const auditDetailsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const num = (v: bigint | null): number | null => (v === null ? null : Number(v));

export class DuckDbStateStore implements StateStore, AuditLog, DashboardStore, HostKeyPinStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens (or creates) the database file; `:memory:` for tests that need no file. */
  static async open(path: string): Promise<DuckDbStateStore> {
    try {
      if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      for (const sql of SCHEMA) await connection.run(sql);
      return new DuckDbStateStore(instance, connection);
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

  append(entry: AuditEntry): Promise<void> {
    return this.serial(async () => {
      await this.connection.run(
        'INSERT INTO audit (at_ms, actor, role, action, target, details) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          BigInt(Math.round(entry.at)),
          entry.actor,
          entry.role,
          entry.action,
          entry.target,
          JSON.stringify(entry.details),
        ],
      );
    });
  }

  list(limit: number): Promise<AuditEntry[]> {
    return this.serial(async () => {
      const reader = await this.connection.runAndReadAll(
        'SELECT at_ms, actor, role, action, target, details FROM audit ORDER BY seq DESC LIMIT $1',
        [BigInt(limit)],
      );
      return reader.getRows().map(([at, actor, role, action, target, details]) => ({
        at: Number(at),
        actor: String(actor),
        role: String(role),
        action: String(action),
        target: String(target),
        details: auditDetailsSchema.catch({}).parse(JSON.parse(String(details))),
      }));
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
