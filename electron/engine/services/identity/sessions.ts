/**
 * Sessions of signed-in people. A session is known to its holder by an opaque token (32 random
 * bytes, base64url) and to the engine only by the token's SHA-256, so a copy of the store does
 * not let anyone in. A session ends at its absolute lifetime (default 12 h, a long shift) or after
 * an idle spell (default 30 min), whichever comes first; every use moves the idle end.
 *
 * A seat can be locked at once (the operator walks away): the session stays, but answers LOCKED
 * until its person proves themselves again. Revoking is immediate: the in-memory view is dropped
 * before the store is written, so a disabled person's next request already fails.
 *
 * Last use is written to the store at most once per `touchPersistMs` (default 1 min), so a busy
 * seat does not write at every request; after a restart a session may look up to that much
 * older, which only ever shortens it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AccountStore, SessionRecord } from '../../ports/account-store';
import type { Clock } from '../../ports/clock';

/** How long sessions last. */
export interface SessionPolicy {
  /** Absolute lifetime from sign-in, ms. */
  readonly absoluteMs: number;
  /** Idle timeout: a session unused this long ends, ms. */
  readonly idleMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  absoluteMs: 12 * 60 * 60_000,
  idleMs: 30 * 60_000,
};

/** What a session's holder and the transports may see of it (no token, no hash). */
export interface SessionView {
  readonly personId: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** When it ends whatever the use. */
  readonly expiresAt: number;
  /** When it ends if unused from now on. */
  readonly idleExpiresAt: number;
  readonly lockedAt: number | null;
}

/** Why a token does not give access. INVALID: never issued, signed out or revoked. */
export type SessionFailure =
  | { readonly ok: false; readonly reason: 'INVALID' | 'EXPIRED' }
  | { readonly ok: false; readonly reason: 'LOCKED'; readonly session: SessionView };

export type SessionCheck = { readonly ok: true; readonly session: SessionView } | SessionFailure;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const never = new AbortController().signal;

/** Hex SHA-256 of a token: the only form in which the engine keeps it. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

interface Cached {
  record: SessionRecord;
  /** `lastSeenAt` as last written to the store. */
  persistedSeenAt: number;
}

export class SessionManager {
  private readonly store: AccountStore;
  private readonly clock: Clock;
  private readonly policy: SessionPolicy;
  private readonly touchPersistMs: number;
  private readonly cache = new Map<string, Cached>();
  /** Counts revocations, so a store read that raced one is not cached. */
  private revocations = 0;

  constructor(options: {
    readonly store: AccountStore;
    readonly clock: Clock;
    readonly policy?: Partial<SessionPolicy>;
    readonly touchPersistMs?: number;
  }) {
    this.store = options.store;
    this.clock = options.clock;
    this.policy = { ...DEFAULT_SESSION_POLICY, ...options.policy };
    if (!(this.policy.absoluteMs > 0) || !(this.policy.idleMs > 0))
      throw new RangeError('session lifetimes must be positive');
    this.touchPersistMs = options.touchPersistMs ?? 60_000;
  }

  /** Opens a session for `personId`; the token is returned once and never kept. */
  async create(
    personId: string,
    signal: AbortSignal = never,
  ): Promise<{ token: string; session: SessionView }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const record: SessionRecord = {
      tokenHash: hashToken(token),
      personId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.policy.absoluteMs,
      lockedAt: null,
    };
    await this.store.createSession(record, signal);
    this.cache.set(record.tokenHash, { record, persistedSeenAt: now });
    return { token, session: this.view(record) };
  }

  /** The session of `token` without counting it as a use. */
  async peek(token: string, signal: AbortSignal = never): Promise<SessionCheck> {
    const found = await this.load(token, signal);
    if (!found.ok) return found;
    return this.status(found.cached.record);
  }

  /** The session of `token`, counted as a use (moves its idle end) when it gives access. */
  async touch(token: string, signal: AbortSignal = never): Promise<SessionCheck> {
    const found = await this.load(token, signal);
    if (!found.ok) return found;
    const { cached } = found;
    const status = this.status(cached.record);
    if (!status.ok) return status;
    const now = this.clock.now();
    cached.record = { ...cached.record, lastSeenAt: now };
    if (now - cached.persistedSeenAt >= this.touchPersistMs) {
      const record = cached.record;
      if (!(await this.write(cached, record, signal))) return { ok: false, reason: 'INVALID' };
    }
    return { ok: true, session: this.view(cached.record) };
  }

  /** Locks the seat: the session stays but answers LOCKED until {@link unlock}. */
  async lock(token: string, signal: AbortSignal = never): Promise<SessionCheck> {
    const found = await this.load(token, signal);
    if (!found.ok) return found;
    const status = this.status(found.cached.record);
    if (!status.ok) return status; // already locked, or over
    const record = { ...found.cached.record, lockedAt: this.clock.now() };
    if (!(await this.write(found.cached, record, signal))) return { ok: false, reason: 'INVALID' };
    return this.status(record);
  }

  /**
   * Unlocks a locked session. The caller has checked the person's password or code; a session
   * that expired meanwhile stays expired.
   */
  async unlock(token: string, signal: AbortSignal = never): Promise<SessionCheck> {
    const found = await this.load(token, signal);
    if (!found.ok) return found;
    const status = this.status(found.cached.record);
    if (status.ok || status.reason !== 'LOCKED') return status;
    const record = { ...found.cached.record, lockedAt: null, lastSeenAt: this.clock.now() };
    if (!(await this.write(found.cached, record, signal))) return { ok: false, reason: 'INVALID' };
    return { ok: true, session: this.view(record) };
  }

  /** Ends the session of `token` (sign-out). */
  async revoke(token: string, signal: AbortSignal = never): Promise<void> {
    if (!TOKEN_PATTERN.test(token)) return;
    const hash = hashToken(token);
    this.revocations++;
    this.cache.delete(hash);
    await this.store.deleteSession(hash, signal);
  }

  /** Ends every session of a person at once (access withdrawn); resolves how many were open. */
  async revokeAll(personId: string, signal: AbortSignal = never): Promise<number> {
    this.revocations++;
    for (const [hash, cached] of this.cache) if (cached.record.personId === personId) this.cache.delete(hash);
    return this.store.deleteSessionsOf(personId, signal);
  }

  /** Forgets sessions that are over; call it now and then (sessions over are refused anyway). */
  async purgeExpired(signal: AbortSignal = never): Promise<number> {
    const now = this.clock.now();
    for (const [hash, cached] of this.cache) if (this.over(cached.record, now)) this.cache.delete(hash);
    // The store's last use may lag the memory's by touchPersistMs: never delete a live session.
    return this.store.purgeSessions(now, now - this.policy.idleMs - this.touchPersistMs, signal);
  }

  private async load(
    token: string,
    signal: AbortSignal,
  ): Promise<{ ok: true; cached: Cached } | { ok: false; reason: 'INVALID' | 'EXPIRED' }> {
    if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: 'INVALID' };
    const hash = hashToken(token);
    let cached = this.cache.get(hash);
    while (!cached) {
      const epoch = this.revocations;
      const record = await this.store.getSession(hash, signal);
      if (!record) return { ok: false, reason: 'INVALID' };
      // A revocation during the read may have deleted what was read: read again after it.
      if (epoch !== this.revocations) continue;
      // Another call may have filled the cache while this one read the store.
      cached = this.cache.get(hash) ?? { record, persistedSeenAt: record.lastSeenAt };
      this.cache.set(hash, cached);
    }
    if (this.over(cached.record, this.clock.now())) {
      this.cache.delete(hash);
      await this.store.deleteSession(hash, signal);
      return { ok: false, reason: 'EXPIRED' };
    }
    return { ok: true, cached };
  }

  /** Writes a changed session; false (and forgotten) when it was revoked meanwhile. */
  private async write(cached: Cached, record: SessionRecord, signal: AbortSignal): Promise<boolean> {
    if (!(await this.store.updateSession(record, signal))) {
      this.cache.delete(record.tokenHash);
      return false;
    }
    cached.record = record;
    cached.persistedSeenAt = record.lastSeenAt;
    return true;
  }

  private over(record: SessionRecord, now: number): boolean {
    return now >= record.expiresAt || now >= record.lastSeenAt + this.policy.idleMs;
  }

  private status(record: SessionRecord): SessionCheck {
    const session = this.view(record);
    return record.lockedAt === null ? { ok: true, session } : { ok: false, reason: 'LOCKED', session };
  }

  private view(record: SessionRecord): SessionView {
    return {
      personId: record.personId,
      createdAt: record.createdAt,
      lastSeenAt: record.lastSeenAt,
      expiresAt: record.expiresAt,
      idleExpiresAt: Math.min(record.expiresAt, record.lastSeenAt + this.policy.idleMs),
      lockedAt: record.lockedAt,
    };
  }
}
