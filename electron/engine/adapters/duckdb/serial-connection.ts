/**
 * One DuckDB file behind one connection, used one statement sequence at a time in call order.
 * DuckDB allows one process per database file, so each store of the engine has its own file.
 * Errors become UpstreamError with the store's source name: LOCKED when another engine holds the
 * file, ABORTED / CLOSED for calls that came too late.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { UpstreamError } from '../../ports/upstream-error';

export class SerialDuckDb {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly source: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens (or creates) the file (`:memory:` for tests) and runs the schema statements. */
  static async open(source: string, path: string, schema: readonly string[]): Promise<SerialDuckDb> {
    try {
      if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      for (const sql of schema) await connection.run(sql);
      return new SerialDuckDb(source, instance, connection);
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      const code = /lock/i.test(message) ? 'LOCKED' : 'UNAVAILABLE';
      throw new UpstreamError(
        source,
        code,
        code === 'LOCKED' ? `the store ${path} is in use by another Vigie engine` : message,
        { cause: err },
      );
    }
  }

  /** Runs `work` after every earlier call, unless `signal` aborted or the store closed meanwhile. */
  serial<T>(signal: AbortSignal, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const guarded = (): Promise<T> => {
      if (signal.aborted)
        return Promise.reject(
          new UpstreamError(this.source, 'ABORTED', `${this.source} call aborted`, { cause: signal.reason }),
        );
      if (this.closed)
        return Promise.reject(new UpstreamError(this.source, 'CLOSED', `${this.source} is closed`));
      return work(this.connection);
    };
    const next = this.queue.then(guarded, guarded);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** `work` in one transaction: rolled back (and WRITE_FAILED) when it throws. */
  transaction<T>(signal: AbortSignal, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.serial(signal, async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await work(connection);
        await connection.run('COMMIT');
        return result;
      } catch (err: unknown) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw new UpstreamError(
          this.source,
          'WRITE_FAILED',
          err instanceof Error ? err.message : String(err),
          {
            cause: err,
          },
        );
      }
    });
  }

  /** Idempotent; waits for the calls already queued. */
  close(): Promise<void> {
    const next = this.queue.then(() => {
      if (this.closed) return;
      this.closed = true;
      this.connection.closeSync();
      this.instance.closeSync();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
