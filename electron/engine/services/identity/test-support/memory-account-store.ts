/**
 * AccountStore in memory, for the identity service's unit tests. It passes the same contract
 * suite as the DuckDB adapter (account-store-contract.ts), so the tests cannot lean on behaviour
 * the real store lacks. Records are copied in and out, as a database would.
 */
import type { AccountRecord, AccountStore, SessionRecord } from '../../../ports/account-store';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  /** How many writes reached the store (tests check that a refused change wrote nothing). */
  writes = 0;

  get(id: string): Promise<AccountRecord | null> {
    const found = this.accounts.get(id);
    return Promise.resolve(found ? copy(found) : null);
  }

  list(): Promise<AccountRecord[]> {
    return Promise.resolve(
      [...this.accounts.values()].sort((a, b) => (a.person.id < b.person.id ? -1 : 1)).map(copy),
    );
  }

  create(record: AccountRecord): Promise<boolean> {
    if (this.accounts.has(record.person.id)) return Promise.resolve(false);
    this.writes++;
    this.accounts.set(record.person.id, copy(record));
    return Promise.resolve(true);
  }

  update(record: AccountRecord): Promise<boolean> {
    if (!this.accounts.has(record.person.id)) return Promise.resolve(false);
    this.writes++;
    this.accounts.set(record.person.id, copy(record));
    return Promise.resolve(true);
  }

  useTotpStep(id: string, step: number): Promise<boolean> {
    const found = this.accounts.get(id);
    if (!found?.totp) return Promise.resolve(false);
    const last = found.totp.lastUsedStep;
    if (last !== null && step <= last) return Promise.resolve(false);
    this.writes++;
    this.accounts.set(id, { ...found, totp: { ...found.totp, lastUsedStep: step } });
    return Promise.resolve(true);
  }

  createSession(session: SessionRecord): Promise<void> {
    if (this.sessions.has(session.tokenHash)) return Promise.reject(new Error('session exists'));
    this.writes++;
    this.sessions.set(session.tokenHash, copy(session));
    return Promise.resolve();
  }

  updateSession(session: SessionRecord): Promise<boolean> {
    if (!this.sessions.has(session.tokenHash)) return Promise.resolve(false);
    this.writes++;
    this.sessions.set(session.tokenHash, copy(session));
    return Promise.resolve(true);
  }

  getSession(tokenHash: string): Promise<SessionRecord | null> {
    const found = this.sessions.get(tokenHash);
    return Promise.resolve(found ? copy(found) : null);
  }

  deleteSession(tokenHash: string): Promise<void> {
    this.sessions.delete(tokenHash);
    return Promise.resolve();
  }

  deleteSessionsOf(personId: string): Promise<number> {
    let n = 0;
    for (const [hash, s] of this.sessions)
      if (s.personId === personId) {
        this.sessions.delete(hash);
        n++;
      }
    return Promise.resolve(n);
  }

  purgeSessions(now: number, lastSeenBefore: number): Promise<number> {
    let n = 0;
    for (const [hash, s] of this.sessions)
      if (s.expiresAt <= now || s.lastSeenAt <= lastSeenBefore) {
        this.sessions.delete(hash);
        n++;
      }
    return Promise.resolve(n);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
