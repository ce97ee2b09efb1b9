/**
 * AlarmStore on DuckDB, in its own file (`<data>/alarms.duckdb`). Each record is a row keyed by
 * its id with the columns queries filter on and the document as JSON, parsed back through the
 * shared schemas on read: a row that no longer parses is skipped and counted in the log, never
 * served half-read.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { handoverSchema, type Handover } from '../../../../shared/api/alarms';
import {
  alarmHistoryEntrySchema,
  alarmSchema,
  type Alarm,
  type AlarmHistoryEntry,
} from '../../../../shared/domain/alarm';
import {
  maintenanceWindowSchema,
  type MaintenanceWindow,
} from '../../../../shared/domain/maintenance-window';
import type { AlarmCommit, AlarmStore, AlarmStoreSnapshot, OutboxEntry } from '../../ports/alarm-store';
import { SerialDuckDb } from './serial-connection';

export const DUCKDB_ALARMS_SOURCE = 'duckdb-alarms';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS alarm_meta (name VARCHAR PRIMARY KEY, value BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alarms (
     id VARCHAR PRIMARY KEY, alarm_key VARCHAR NOT NULL, state VARCHAR NOT NULL,
     changed_at BIGINT NOT NULL, document VARCHAR NOT NULL)`,
  `CREATE SEQUENCE IF NOT EXISTS alarm_history_seq`,
  `CREATE TABLE IF NOT EXISTS alarm_history (
     seq BIGINT NOT NULL DEFAULT nextval('alarm_history_seq'), alarm_id VARCHAR NOT NULL,
     at_ms BIGINT NOT NULL, document VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alarm_escalations (alarm_id VARCHAR PRIMARY KEY, document VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alarm_outbox (
     entry_key VARCHAR PRIMARY KEY, alarm_id VARCHAR NOT NULL, status VARCHAR NOT NULL, document VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS maintenance_windows (id VARCHAR PRIMARY KEY, document VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS handovers (id VARCHAR PRIMARY KEY, created_at BIGINT NOT NULL, document VARCHAR NOT NULL)`,
];

/** Rows per INSERT statement. */
const CHUNK = 200;

const escalationSchema = z.strictObject({
  alarmId: z.string(),
  policyId: z.string(),
  cycle: z.number().int().nonnegative(),
  step: z.number().int().nonnegative(),
  cycleStartedAt: z.number(),
  lastFiredAt: z.number().nullable(),
  lastRenotifiedAt: z.number().nullable(),
  done: z.boolean(),
});

const outboxSchema = z.strictObject({
  key: z.string(),
  alarmId: z.string(),
  channel: z.string(),
  payload: z.unknown(),
  createdAt: z.number(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number(),
  lastError: z.string().nullable(),
});

/** The last of each id wins (DuckDB refuses to upsert one key twice in one statement). */
function lastById<T>(items: readonly T[], idOf: (item: T) => string): T[] {
  const byId = new Map<string, T>();
  for (const item of items) byId.set(idOf(item), item);
  return [...byId.values()];
}

async function insertRows(
  connection: DuckDBConnection,
  head: string,
  rows: readonly DuckDBValue[][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const params: DuckDBValue[] = [];
    const tuples = chunk.map((row) => {
      const base = params.length;
      params.push(...row);
      return `(${row.map((_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    await connection.run(`${head} VALUES ${tuples.join(', ')}`, params);
  }
}

function parseRows<T>(rows: readonly (readonly DuckDBValue[])[], schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  for (const [document] of rows) {
    let raw: unknown;
    try {
      raw = JSON.parse(String(document));
    } catch {
      continue; // unreadable row: skipped
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

export class DuckDbAlarmStore implements AlarmStore {
  private constructor(private readonly db: SerialDuckDb) {}

  static async open(path: string): Promise<DuckDbAlarmStore> {
    return new DuckDbAlarmStore(await SerialDuckDb.open(DUCKDB_ALARMS_SOURCE, path, SCHEMA));
  }

  load(signal: AbortSignal): Promise<AlarmStoreSnapshot> {
    return this.db.serial(signal, async (c) => {
      const rev = await c.runAndReadAll(`SELECT value FROM alarm_meta WHERE name = 'revision'`);
      const revision = Number(rev.getRows()[0]?.[0] ?? 0);
      const alarms = parseRows(
        (await c.runAndReadAll(`SELECT document FROM alarms WHERE state <> 'closed'`)).getRows(),
        alarmSchema,
      );
      const open = new Set(alarms.map((a) => a.id));
      const escalations = parseRows(
        (await c.runAndReadAll(`SELECT document FROM alarm_escalations`)).getRows(),
        escalationSchema,
      ).filter((e) => open.has(e.alarmId));
      const outbox = parseRows(
        (await c.runAndReadAll(`SELECT document FROM alarm_outbox WHERE status = 'pending'`)).getRows(),
        outboxSchema,
      ) as OutboxEntry[];
      return { revision, alarms, escalations, outbox };
    });
  }

  commit(commit: AlarmCommit, signal: AbortSignal): Promise<void> {
    return this.db.transaction(signal, async (c) => {
      await c.run(`INSERT OR REPLACE INTO alarm_meta VALUES ('revision', $1)`, [BigInt(commit.revision)]);
      await insertRows(
        c,
        'INSERT OR REPLACE INTO alarms (id, alarm_key, state, changed_at, document)',
        lastById(commit.alarms, (a) => a.id).map((a) => [
          a.id,
          a.key,
          a.state,
          BigInt(Math.round(a.changedAt)),
          JSON.stringify(a),
        ]),
      );
      await insertRows(
        c,
        'INSERT INTO alarm_history (alarm_id, at_ms, document)',
        commit.history.map((h) => [h.alarmId, BigInt(Math.round(h.at)), JSON.stringify(h)]),
      );
      await insertRows(
        c,
        'INSERT OR REPLACE INTO alarm_escalations (alarm_id, document)',
        lastById(commit.escalations ?? [], (e) => e.alarmId).map((e) => [e.alarmId, JSON.stringify(e)]),
      );
      await insertRows(
        c,
        'INSERT OR REPLACE INTO alarm_outbox (entry_key, alarm_id, status, document)',
        lastById(commit.outbox ?? [], (o) => o.key).map((o) => [
          o.key,
          o.alarmId,
          o.status,
          JSON.stringify(o),
        ]),
      );
    });
  }

  history(alarmId: string, limit: number, signal: AbortSignal): Promise<AlarmHistoryEntry[]> {
    return this.db.serial(signal, async (c) => {
      const reader = await c.runAndReadAll(
        `SELECT document FROM (SELECT document, seq FROM alarm_history WHERE alarm_id = $1
           ORDER BY seq DESC LIMIT $2) ORDER BY seq`,
        [alarmId, BigInt(limit)],
      );
      return parseRows(reader.getRows(), alarmHistoryEntrySchema);
    });
  }

  alarms(ids: readonly string[], signal: AbortSignal): Promise<Alarm[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.serial(signal, async (c) => {
      const placeholders = ids.map((_, i) => `$${i + 1}`).join(', ');
      const reader = await c.runAndReadAll(`SELECT document FROM alarms WHERE id IN (${placeholders})`, [
        ...ids,
      ]);
      return parseRows(reader.getRows(), alarmSchema);
    });
  }

  changedBetween(
    from: number,
    to: number,
    limit: number,
    signal: AbortSignal,
  ): Promise<{ alarms: Alarm[]; entries: AlarmHistoryEntry[] }> {
    return this.db.serial(signal, async (c) => {
      const range = [BigInt(Math.floor(from)), BigInt(Math.ceil(to)), BigInt(limit)];
      const alarms = parseRows(
        (
          await c.runAndReadAll(
            `SELECT document FROM alarms WHERE changed_at BETWEEN $1 AND $2 ORDER BY changed_at DESC LIMIT $3`,
            range,
          )
        ).getRows(),
        alarmSchema,
      );
      const entries = parseRows(
        (
          await c.runAndReadAll(
            `SELECT document FROM alarm_history WHERE at_ms BETWEEN $1 AND $2 ORDER BY seq DESC LIMIT $3`,
            range,
          )
        ).getRows(),
        alarmHistoryEntrySchema,
      );
      return { alarms, entries };
    });
  }

  saveMaintenance(window: MaintenanceWindow, signal: AbortSignal): Promise<void> {
    return this.db.transaction(signal, async (c) => {
      await c.run(`INSERT OR REPLACE INTO maintenance_windows VALUES ($1, $2)`, [
        window.id,
        JSON.stringify(window),
      ]);
    });
  }

  deleteMaintenance(id: string, signal: AbortSignal): Promise<boolean> {
    return this.db.serial(signal, async (c) => {
      const reader = await c.runAndReadAll(`DELETE FROM maintenance_windows WHERE id = $1 RETURNING id`, [
        id,
      ]);
      return reader.getRows().length > 0;
    });
  }

  listMaintenance(signal: AbortSignal): Promise<MaintenanceWindow[]> {
    return this.db.serial(signal, async (c) =>
      parseRows(
        (await c.runAndReadAll(`SELECT document FROM maintenance_windows ORDER BY id`)).getRows(),
        maintenanceWindowSchema,
      ),
    );
  }

  saveHandover(handover: Handover, signal: AbortSignal): Promise<void> {
    return this.db.transaction(signal, async (c) => {
      await c.run(`INSERT OR REPLACE INTO handovers VALUES ($1, $2, $3)`, [
        handover.id,
        BigInt(Math.round(handover.createdAt)),
        JSON.stringify(handover),
      ]);
    });
  }

  listHandovers(limit: number, signal: AbortSignal): Promise<Handover[]> {
    return this.db.serial(signal, async (c) =>
      parseRows(
        (
          await c.runAndReadAll(`SELECT document FROM handovers ORDER BY created_at DESC, id DESC LIMIT $1`, [
            BigInt(limit),
          ])
        ).getRows(),
        handoverSchema,
      ),
    );
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
