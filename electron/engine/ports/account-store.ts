/**
 * Where local accounts and sessions are kept (issue 6, identities). The identity service is the
 * only writer; it serialises the changes of one account, so the store needs no read-modify-write
 * of its own except {@link AccountStore.useTotpStep}, which is atomic because a one-time code must
 * be spent once even if two sign-ins race.
 */
import type { Person } from '../../../shared/domain/identity';

/**
 * Encrypts small secrets at rest (the vault of issue 6 provides one). `aad` is bound to the
 * ciphertext and must be given again to open it, so a sealed value moved to another row does not
 * open there.
 */
export interface SecretSealer {
  /** Returns a printable, self-contained ciphertext of `plaintext`. */
  seal(plaintext: string, aad: string): string;
  /** The plaintext of `sealed`; throws when the key, the ciphertext or `aad` does not match. */
  open(sealed: string, aad: string): string;
}

/** A confirmed TOTP secret (base32) and the last time step a code of it was used. */
export interface TotpCredential {
  readonly secret: string;
  readonly lastUsedStep: number | null;
}

/** An enrolment started but not yet confirmed by a first valid code. */
export interface PendingTotp {
  readonly secret: string;
  readonly createdAt: number;
}

/** One account: the person and their credentials. Secrets here never leave the engine. */
export interface AccountRecord {
  readonly person: Person;
  /** `$scrypt$...`, or null for an account that cannot sign in with a password (OIDC). */
  readonly passwordHash: string | null;
  readonly totp: TotpCredential | null;
  readonly pendingTotp: PendingTotp | null;
  /** Failed sign-ins since the last success (drives the lockout). */
  readonly failedAttempts: number;
  /** Epoch ms until which sign-in is refused, or null. */
  readonly lockedUntil: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A session, known by the SHA-256 of its token (the token itself is never stored). */
export interface SessionRecord {
  /** Hex SHA-256 of the token. */
  readonly tokenHash: string;
  readonly personId: string;
  readonly createdAt: number;
  /** Last use, as last written (the manager writes it at most once a minute). */
  readonly lastSeenAt: number;
  /** Absolute end, whatever the use. */
  readonly expiresAt: number;
  /** Set while the seat is locked: the session needs the password (or a code) again. */
  readonly lockedAt: number | null;
}

export interface AccountStore {
  get(id: string, signal: AbortSignal): Promise<AccountRecord | null>;
  /** Every account, by id. */
  list(signal: AbortSignal): Promise<AccountRecord[]>;
  /** Adds an account; resolves false (and changes nothing) when the id exists. */
  create(record: AccountRecord, signal: AbortSignal): Promise<boolean>;
  /** Replaces an existing account; resolves false when there is none. */
  update(record: AccountRecord, signal: AbortSignal): Promise<boolean>;
  /**
   * Records that a code of `step` was used, only if it is later than the last one: resolves
   * false when `step` was already spent (a replay), atomically.
   */
  useTotpStep(id: string, step: number, signal: AbortSignal): Promise<boolean>;

  /** Adds a new session. */
  createSession(session: SessionRecord, signal: AbortSignal): Promise<void>;
  /**
   * Replaces an existing session (last use, lock); resolves false when it is gone, so a write
   * racing a revocation never brings the session back.
   */
  updateSession(session: SessionRecord, signal: AbortSignal): Promise<boolean>;
  getSession(tokenHash: string, signal: AbortSignal): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string, signal: AbortSignal): Promise<void>;
  /** Ends every session of a person; resolves how many there were. */
  deleteSessionsOf(personId: string, signal: AbortSignal): Promise<number>;
  /**
   * Deletes the sessions past their absolute end (`expiresAt <= now`) or last seen at or before
   * `lastSeenBefore`; resolves how many.
   */
  purgeSessions(now: number, lastSeenBefore: number, signal: AbortSignal): Promise<number>;
  close(): Promise<void>;
}
