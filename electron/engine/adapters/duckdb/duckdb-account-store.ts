/**
 * AccountStore on DuckDB, in its own file (`<data>/identity.duckdb`): accounts and sessions
 * (by token hash). TOTP secrets are sealed with the SecretSealer when one is given, bound to the
 * account's id so a sealed secret copied to another row does not open there; without one they
 * are stored as `plain:` base32 and sealed at the account's next write once a sealer is given.
 * Rows are read back through the shared person schema: a row that no longer parses is skipped,
 * never served half-read.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { personSchema } from '../../../../shared/domain/identity';
import type {
  AccountRecord,
  AccountStore,
  PendingTotp,
  SecretSealer,
  SessionRecord,
  TotpCredential,
} from '../../ports/account-store';
import { UpstreamError } from '../../ports/upstream-error';
import { SerialDuckDb } from './serial-connection';

export const DUCKDB_IDENTITY_SOURCE = 'duckdb-identity';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS accounts (
     id VARCHAR PRIMARY KEY, person VARCHAR NOT NULL, password_hash VARCHAR,
     totp_secret VARCHAR, totp_last_step BIGINT, totp_pending_secret VARCHAR, totp_pending_at BIGINT,
     failed_attempts INTEGER NOT NULL, locked_until BIGINT,
     created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS sessions (
     token_hash VARCHAR PRIMARY KEY, person_id VARCHAR NOT NULL, created_at BIGINT NOT NULL,
     last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, locked_at BIGINT)`,
];

const ACCOUNT_COLUMNS = `id, person, password_hash, totp_secret, totp_last_step, totp_pending_secret,
  totp_pending_at, failed_attempts, locked_until, created_at, updated_at`;

const SESSION_COLUMNS = 'token_hash, person_id, created_at, last_seen_at, expires_at, locked_at';

const PLAIN = 'plain:';
const SEALED = 'sealed:';

const big = (n: number): bigint => BigInt(Math.round(n));
const num = (v: DuckDBValue): number => Number(v);
const numOrNull = (v: DuckDBValue): number | null => (v === null ? null : Number(v));
const strOrNull = (v: DuckDBValue): string | null => (v === null ? null : String(v));

export class DuckDbAccountStore implements AccountStore {
  private constructor(
    private readonly db: SerialDuckDb,
    private readonly sealer: SecretSealer | null,
  ) {}

  /** Opens (or creates) the file; `:memory:` for tests. */
  static async open(path: string, options: { sealer?: SecretSealer } = {}): Promise<DuckDbAccountStore> {
    return new DuckDbAccountStore(
      await SerialDuckDb.open(DUCKDB_IDENTITY_SOURCE, path, SCHEMA),
      options.sealer ?? null,
    );
  }

  get(id: string, signal: AbortSignal): Promise<AccountRecord | null> {
    return this.db.serial(signal, async (c) => {
      const rows = (
        await c.runAndReadAll(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id])
      ).getRows();
      return rows[0] ? this.toRecord(rows[0]) : null;
    });
  }

  list(signal: AbortSignal): Promise<AccountRecord[]> {
    return this.db.serial(signal, async (c) => {
      const rows = (await c.runAndReadAll(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id`)).getRows();
      return rows.map((r) => this.toRecord(r)).filter((r): r is AccountRecord => r !== null);
    });
  }

  create(record: AccountRecord, signal: AbortSignal): Promise<boolean> {
    return this.db.transaction(signal, async (c) => {
      const exists = (
        await c.runAndReadAll(`SELECT 1 FROM accounts WHERE id = $1`, [record.person.id])
      ).getRows();
      if (exists.length > 0) return false;
      await c.run(
        `INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        this.toRow(record),
      );
      return true;
    });
  }

  update(record: AccountRecord, signal: AbortSignal): Promise<boolean> {
    return this.db.transaction(signal, async (c) => {
      const [id, ...rest] = this.toRow(record);
      const reader = await c.runAndReadAll(
        `UPDATE accounts SET person = $2, password_hash = $3, totp_secret = $4, totp_last_step = $5,
           totp_pending_secret = $6, totp_pending_at = $7, failed_attempts = $8, locked_until = $9,
           created_at = $10, updated_at = $11
         WHERE id = $1 RETURNING id`,
        [id ?? null, ...rest],
      );
      return reader.getRows().length > 0;
    });
  }

  useTotpStep(id: string, step: number, signal: AbortSignal): Promise<boolean> {
    return this.db.serial(signal, async (c) => {
      const reader = await c.runAndReadAll(
        `UPDATE accounts SET totp_last_step = $2
         WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)
         RETURNING id`,
        [id, big(step)],
      );
      return reader.getRows().length > 0;
    });
  }

  createSession(session: SessionRecord, signal: AbortSignal): Promise<void> {
    return this.db.transaction(signal, async (c) => {
      await c.run(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
        session.tokenHash,
        session.personId,
        big(session.createdAt),
        big(session.lastSeenAt),
        big(session.expiresAt),
        session.lockedAt === null ? null : big(session.lockedAt),
      ]);
    });
  }

  updateSession(session: SessionRecord, signal: AbortSignal): Promise<boolean> {
    return this.db.serial(signal, async (c) => {
      const reader = await c.runAndReadAll(
        `UPDATE sessions SET last_seen_at = $2, expires_at = $3, locked_at = $4
         WHERE token_hash = $1 RETURNING token_hash`,
        [
          session.tokenHash,
          big(session.lastSeenAt),
          big(session.expiresAt),
          session.lockedAt === null ? null : big(session.lockedAt),
        ],
      );
      return reader.getRows().length > 0;
    });
  }

  getSession(tokenHash: string, signal: AbortSignal): Promise<SessionRecord | null> {
    return this.db.serial(signal, async (c) => {
      const row = (
        await c.runAndReadAll(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = $1`, [tokenHash])
      ).getRows()[0];
      if (!row) return null;
      const [hash, personId, createdAt, lastSeenAt, expiresAt, lockedAt] = row;
      return {
        tokenHash: String(hash),
        personId: String(personId),
        createdAt: num(createdAt ?? 0),
        lastSeenAt: num(lastSeenAt ?? 0),
        expiresAt: num(expiresAt ?? 0),
        lockedAt: numOrNull(lockedAt ?? null),
      };
    });
  }

  deleteSession(tokenHash: string, signal: AbortSignal): Promise<void> {
    return this.db.serial(signal, async (c) => {
      await c.run(`DELETE FROM sessions WHERE token_hash = $1`, [tokenHash]);
    });
  }

  deleteSessionsOf(personId: string, signal: AbortSignal): Promise<number> {
    return this.db.serial(signal, async (c) => {
      const reader = await c.runAndReadAll(`DELETE FROM sessions WHERE person_id = $1 RETURNING token_hash`, [
        personId,
      ]);
      return reader.getRows().length;
    });
  }

  purgeSessions(now: number, lastSeenBefore: number, signal: AbortSignal): Promise<number> {
    return this.db.serial(signal, async (c) => {
      const reader = await c.runAndReadAll(
        `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2 RETURNING token_hash`,
        [big(now), big(lastSeenBefore)],
      );
      return reader.getRows().length;
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private seal(secret: string, aad: string): string {
    return this.sealer ? `${SEALED}${this.sealer.seal(secret, aad)}` : `${PLAIN}${secret}`;
  }

  private open(stored: string, aad: string): string {
    if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
    if (!stored.startsWith(SEALED))
      throw new UpstreamError(
        DUCKDB_IDENTITY_SOURCE,
        'CORRUPT',
        'a TOTP secret is stored in an unknown form',
      );
    if (!this.sealer)
      throw new UpstreamError(
        DUCKDB_IDENTITY_SOURCE,
        'SEALED',
        'TOTP secrets are encrypted and no key was given to open them',
      );
    try {
      return this.sealer.open(stored.slice(SEALED.length), aad);
    } catch (err: unknown) {
      // The sealer's message might quote key material: say only what failed.
      throw new UpstreamError(DUCKDB_IDENTITY_SOURCE, 'SEALED', 'a TOTP secret could not be decrypted', {
        cause: err,
      });
    }
  }

  private toRow(r: AccountRecord): DuckDBValue[] {
    const id = r.person.id;
    return [
      id,
      JSON.stringify(r.person),
      r.passwordHash,
      r.totp ? this.seal(r.totp.secret, `totp:${id}`) : null,
      r.totp?.lastUsedStep === null || r.totp === null ? null : big(r.totp.lastUsedStep),
      r.pendingTotp ? this.seal(r.pendingTotp.secret, `totp-pending:${id}`) : null,
      r.pendingTotp ? big(r.pendingTotp.createdAt) : null,
      r.failedAttempts,
      r.lockedUntil === null ? null : big(r.lockedUntil),
      big(r.createdAt),
      big(r.updatedAt),
    ];
  }

  private toRecord(row: readonly DuckDBValue[]): AccountRecord | null {
    const [
      id,
      personJson,
      hash,
      totpSecret,
      totpStep,
      pendingSecret,
      pendingAt,
      failed,
      locked,
      created,
      updated,
    ] = row;
    let raw: unknown;
    try {
      raw = JSON.parse(String(personJson));
    } catch {
      return null; // unreadable row: skipped
    }
    const person = personSchema.safeParse(raw);
    if (!person.success || person.data.id !== String(id)) return null;
    const aad = person.data.id;
    const totp: TotpCredential | null =
      totpSecret === null || totpSecret === undefined
        ? null
        : { secret: this.open(String(totpSecret), `totp:${aad}`), lastUsedStep: numOrNull(totpStep ?? null) };
    const pendingTotp: PendingTotp | null =
      pendingSecret === null || pendingSecret === undefined
        ? null
        : {
            secret: this.open(String(pendingSecret), `totp-pending:${aad}`),
            createdAt: num(pendingAt ?? 0),
          };
    return {
      person: person.data,
      passwordHash: strOrNull(hash ?? null),
      totp,
      pendingTotp,
      failedAttempts: z
        .number()
        .int()
        .nonnegative()
        .catch(0)
        .parse(num(failed ?? 0)),
      lockedUntil: numOrNull(locked ?? null),
      createdAt: num(created ?? 0),
      updatedAt: num(updated ?? 0),
    };
  }
}
