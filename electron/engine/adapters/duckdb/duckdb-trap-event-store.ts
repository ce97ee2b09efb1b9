/**
 * TrapEventStore on DuckDB. DuckDB allows one process per database file and the engine's
 * `state.duckdb` is held by DuckDbStateStore, so trap events get their own file (as metrics do),
 * e.g. `<data>/trap-events.duckdb`.
 *
 * One row per event: the columns queries filter on, and the event as JSON, parsed back through
 * the shared schema on read (a row that no longer parses is skipped, never served half-read).
 * Rows arrive in time order, so DuckDB's zone maps on `at_ms` and `seq` prune without an index.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { trapEventSchema, type TrapEvent } from '../../../../shared/domain/trap-event';
import type { TrapEventQuery, TrapEventStore, TrapRetention } from '../../ports/trap-event-store';
import { SerialDuckDb } from './serial-connection';

export const DUCKDB_TRAPS_SOURCE = 'duckdb-traps';
const SOURCE = DUCKDB_TRAPS_SOURCE;

const SCHEMA = [
  `CREATE SEQUENCE IF NOT EXISTS trap_event_seq`,
  `CREATE TABLE IF NOT EXISTS trap_events (
     seq BIGINT NOT NULL DEFAULT nextval('trap_event_seq'), id VARCHAR NOT NULL, at_ms BIGINT NOT NULL,
     device_id VARCHAR, event_key VARCHAR NOT NULL, kind VARCHAR NOT NULL, severity VARCHAR NOT NULL,
     document VARCHAR NOT NULL)`,
];

/** Rows per INSERT statement (8 parameters each). */
const INSERT_CHUNK = 250;

export class DuckDbTrapEventStore implements TrapEventStore {
  private constructor(private readonly db: SerialDuckDb) {}

  /** Opens (or creates) the database file; `:memory:` for tests. */
  static async open(path: string): Promise<DuckDbTrapEventStore> {
    return new DuckDbTrapEventStore(await SerialDuckDb.open(SOURCE, path, SCHEMA));
  }

  append(events: readonly TrapEvent[], signal: AbortSignal): Promise<void> {
    if (events.length === 0) return this.db.serial(signal, () => Promise.resolve());
    return this.db.transaction(signal, async (connection) => {
      for (let i = 0; i < events.length; i += INSERT_CHUNK) {
        const chunk = events.slice(i, i + INSERT_CHUNK);
        const params: DuckDBValue[] = [];
        const rows = chunk.map((e, k) => {
          params.push(
            e.id,
            BigInt(Math.round(e.at)),
            e.deviceId,
            e.key,
            e.kind,
            e.severity,
            JSON.stringify(e),
          );
          const b = k * 7;
          return `($${b + 1}, $${b + 2}, $${b + 3}::VARCHAR, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
        });
        await connection.run(
          `INSERT INTO trap_events (id, at_ms, device_id, event_key, kind, severity, document) VALUES ${rows.join(', ')}`,
          params,
        );
      }
    });
  }

  query(query: TrapEventQuery, signal: AbortSignal): Promise<TrapEvent[]> {
    if (!Number.isInteger(query.limit) || query.limit < 1)
      throw new RangeError('limit must be a positive integer');
    return this.db.serial(signal, async (connection) => {
      const params: DuckDBValue[] = [BigInt(Math.floor(query.from)), BigInt(Math.ceil(query.to))];
      let device = '';
      if (query.deviceId === null) device = 'AND device_id IS NULL';
      else if (query.deviceId !== undefined) {
        params.push(query.deviceId);
        device = `AND device_id = $${params.length}`;
      }
      params.push(BigInt(query.limit));
      const reader = await connection.runAndReadAll(
        `SELECT document FROM trap_events WHERE at_ms BETWEEN $1 AND $2 ${device}
         ORDER BY at_ms DESC, seq DESC LIMIT $${params.length}`,
        params,
      );
      const events: TrapEvent[] = [];
      for (const [document] of reader.getRows()) {
        let raw: unknown;
        try {
          raw = JSON.parse(String(document));
        } catch {
          continue; // unreadable row: skipped
        }
        const parsed = trapEventSchema.safeParse(raw);
        if (parsed.success) events.push(parsed.data);
      }
      return events;
    });
  }

  prune(retention: TrapRetention, signal: AbortSignal): Promise<number> {
    if (!Number.isInteger(retention.keep) || retention.keep < 0)
      throw new RangeError('keep must be an integer >= 0');
    return this.db.serial(signal, async (connection) => {
      const byAge = await connection.runAndReadAll('DELETE FROM trap_events WHERE at_ms < $1 RETURNING seq', [
        BigInt(Math.floor(retention.before)),
      ]);
      // The newest `keep` events stay: everything at or below the seq of the (keep+1)-th newest goes.
      const byCount = await connection.runAndReadAll(
        `DELETE FROM trap_events WHERE seq <= (
           SELECT seq FROM trap_events ORDER BY seq DESC LIMIT 1 OFFSET $1) RETURNING seq`,
        [BigInt(retention.keep)],
      );
      return byAge.getRows().length + byCount.getRows().length;
    });
  }

  /** Idempotent. */
  close(): Promise<void> {
    return this.db.close();
  }
}
