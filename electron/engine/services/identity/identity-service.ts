/**
 * Local accounts (issue 6): sign-in with a password and, once enrolled, a TOTP code; sessions;
 * and the administration of accounts. No transport here: the dispatcher maps {@link IdentityError}
 * codes to envelopes and decides who may call what; this service checks again that an account
 * change comes from an administrator whose client scope covers the person (a designated user
 * manager of one institution manages that institution's people only).
 *
 * Every change is appended to the audit log before it takes effect, sign-in successes and
 * failures included; passwords, codes and secrets never go into an entry. An unknown login is
 * not written either: people type their password into the login field, and the log would keep it.
 *
 * Sign-in gives nothing away: an unknown login and a wrong password are the same BAD_CREDENTIALS
 * and take about the same time (a dummy hash is checked for an unknown login). A locked-out
 * account answers LOCKED_OUT before any check, so guessing stops while it lasts. After 5 failures
 * in a row the account is locked 1 min, then 2, 4, ... up to 1 h for each further failure.
 */
import { randomBytes } from 'node:crypto';
import {
  ALL_CLIENTS,
  clientScopeSchema,
  hasRole,
  loginSchema,
  personSchema,
  roleListSchema,
  scopeWithin,
  type IdentitySource,
  type Person,
  type Role,
} from '../../../../shared/domain/identity';
import type { AccountRecord, AccountStore } from '../../ports/account-store';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import type { Clock } from '../../ports/clock';
import {
  checkPasswordPolicy,
  DEFAULT_SCRYPT_PARAMS,
  hashPassword,
  needsRehash,
  verifyPassword,
  type ScryptParams,
} from './password';
import { SessionManager, type SessionPolicy, type SessionView } from './sessions';
import { base32Decode, base32Encode, generateTotpSecret, otpauthUri, verifyTotp } from './totp';

/** Codes the transports map to their errors. */
export type IdentityErrorCode =
  | 'BAD_CREDENTIALS'
  | 'TOTP_REQUIRED'
  | 'BAD_TOTP'
  | 'LOCKED_OUT'
  | 'DISABLED'
  | 'VALIDATION'
  | 'WEAK_PASSWORD'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN';

/** A refusal a person can act on; its message never carries a password, code or secret. */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
    /** For LOCKED_OUT: how long until the next attempt is heard, ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Who asks for an account change: a signed-in person, or the machine itself (the CLI as
 * `cli:<OS user>`, the estate's seed as `estate`); the audit entry names the one or the other.
 */
export type Actor =
  { readonly kind: 'person'; readonly person: Person } | { readonly kind: 'system'; readonly name: string };

/** An account as administrators see it: the person and the state of their credentials. */
export interface AccountSummary {
  readonly person: Person;
  readonly hasPassword: boolean;
  readonly totpEnrolled: boolean;
  readonly lockedUntil: number | null;
  readonly failedAttempts: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SignInResult {
  /** Give it to the seat once; the engine keeps only its hash. */
  readonly token: string;
  readonly session: SessionView;
  readonly person: Person;
}

export type ResolveResult =
  | { readonly ok: true; readonly person: Person; readonly session: SessionView }
  | { readonly ok: false; readonly reason: 'INVALID' | 'EXPIRED' }
  | { readonly ok: false; readonly reason: 'LOCKED'; readonly person: Person; readonly session: SessionView };

export interface LockoutPolicy {
  /** Failures in a row that lock the account. */
  readonly threshold: number;
  /** First lockout, ms; each further failure doubles it. */
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, baseMs: 60_000, maxMs: 3_600_000 };

export interface IdentityServiceOptions {
  readonly store: AccountStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly sessions?: Partial<SessionPolicy>;
  readonly lockout?: Partial<LockoutPolicy>;
  /** scrypt cost of new hashes (tests lower it; production keeps the default). */
  readonly passwordParams?: ScryptParams;
  /** Shown by authenticator apps next to the code. */
  readonly totpIssuer?: string;
  /** How long a started TOTP enrolment waits for its first code, ms. */
  readonly pendingTotpMs?: number;
}

export interface NewPerson {
  readonly id: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly clients: readonly string[];
  readonly source?: IdentitySource;
  /** Optional: an account without a password cannot sign in until one is set. */
  readonly password?: string;
}

const never = new AbortController().signal;

function actorName(actor: Actor): { actor: string; role: string } {
  return actor.kind === 'system'
    ? { actor: actor.name, role: actor.name === 'anonymous' ? 'anonymous' : 'system' }
    : { actor: actor.person.id, role: actor.person.roles.join('+') };
}

function validation(err: { issues: readonly { message: string }[] }, what: string): IdentityError {
  return new IdentityError('VALIDATION', `${what}: ${err.issues.map((i) => i.message).join('; ')}`);
}

export class IdentityService {
  readonly sessions: SessionManager;
  private readonly store: AccountStore;
  private readonly audit: AuditLog;
  private readonly clock: Clock;
  private readonly lockout: LockoutPolicy;
  private readonly passwordParams: ScryptParams;
  private readonly issuer: string;
  private readonly pendingTotpMs: number;
  /** One chain per account: its changes (sign-in counters included) never interleave. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Account administration, one change at a time (the last-administrator rule reads them all). */
  private adminChain: Promise<unknown> = Promise.resolve();
  private readonly persons = new Map<string, Person>();
  private dummyHash: Promise<string> | null = null;

  constructor(options: IdentityServiceOptions) {
    this.store = options.store;
    this.audit = options.audit;
    this.clock = options.clock;
    this.lockout = { ...DEFAULT_LOCKOUT, ...options.lockout };
    this.passwordParams = options.passwordParams ?? DEFAULT_SCRYPT_PARAMS;
    this.issuer = options.totpIssuer ?? 'Vigie';
    this.pendingTotpMs = options.pendingTotpMs ?? 15 * 60_000;
    this.sessions = new SessionManager({
      store: options.store,
      clock: options.clock,
      ...(options.sessions ? { policy: options.sessions } : {}),
    });
  }

  // ---------------------------------------------------------------- sign-in and sessions

  /** Checks the credentials and opens a session. Throws {@link IdentityError}. */
  async signIn(
    input: { readonly login: string; readonly password: string; readonly totp?: string },
    signal: AbortSignal = never,
  ): Promise<SignInResult> {
    const login = input.login.trim().toLowerCase();
    if (!loginSchema.safeParse(login).success) {
      await this.burnDummy(input.password);
      await this.auditSignIn(null, 'BAD_CREDENTIALS');
      throw this.badCredentials();
    }
    return this.withAccount(login, async () => {
      const record = await this.store.get(login, signal);
      if (!record || record.person.source !== 'local' || record.passwordHash === null) {
        await this.burnDummy(input.password);
        await this.auditSignIn(record ? record.person : null, 'BAD_CREDENTIALS');
        throw this.badCredentials();
      }
      const now = this.clock.now();
      if (record.lockedUntil !== null && record.lockedUntil > now) {
        await this.burnDummy(input.password);
        await this.auditSignIn(record.person, 'LOCKED_OUT');
        throw this.lockedOut(record.lockedUntil - now);
      }
      if (!(await verifyPassword(input.password, record.passwordHash))) {
        await this.fail(record, 'BAD_CREDENTIALS', signal);
        throw this.badCredentials();
      }
      if (record.person.disabled) {
        await this.auditSignIn(record.person, 'DISABLED');
        throw new IdentityError('DISABLED', 'this account is disabled; ask an administrator');
      }
      let method = 'password';
      if (record.totp !== null) {
        if (input.totp === undefined || input.totp.trim() === '') {
          // The password was right: not a failure, but not a success either (no counter reset).
          await this.auditSignIn(record.person, 'TOTP_REQUIRED');
          throw new IdentityError('TOTP_REQUIRED', 'enter the code from your authenticator app');
        }
        if (!(await this.spendCode(record, input.totp, signal))) {
          await this.fail(record, 'BAD_TOTP', signal);
          throw new IdentityError('BAD_TOTP', 'the code is wrong, expired or already used');
        }
        method = 'password+totp';
      }
      await this.auditSignIn(record.person, 'OK', { method });
      const rehash = needsRehash(record.passwordHash, this.passwordParams)
        ? await hashPassword(input.password, this.passwordParams)
        : null;
      const fresh = (await this.store.get(login, signal)) ?? record;
      if (fresh.failedAttempts !== 0 || fresh.lockedUntil !== null || rehash !== null)
        await this.store.update(
          {
            ...fresh,
            failedAttempts: 0,
            lockedUntil: null,
            ...(rehash !== null ? { passwordHash: rehash } : {}),
            updatedAt: this.clock.now(),
          },
          signal,
        );
      this.persons.set(login, fresh.person);
      const { token, session } = await this.sessions.create(login, signal);
      return { token, session, person: fresh.person };
    });
  }

  /** The person behind `token`, counted as a use; or why the token gives no access. */
  async resolve(token: string, signal: AbortSignal = never): Promise<ResolveResult> {
    const check = await this.sessions.touch(token, signal);
    if (!check.ok && check.reason !== 'LOCKED') return check;
    const person = await this.person(check.session.personId, signal);
    if (person === null || person.disabled) {
      // Disabling revokes at once; this catches a session that raced the revocation.
      await this.sessions.revoke(token, signal);
      return { ok: false, reason: 'INVALID' };
    }
    return check.ok
      ? { ok: true, person, session: check.session }
      : { ok: false, reason: 'LOCKED', person, session: check.session };
  }

  /** Ends the session of `token` (audited). Unknown tokens are ignored. */
  async signOut(token: string, signal: AbortSignal = never): Promise<void> {
    const check = await this.sessions.peek(token, signal);
    if (check.ok || check.reason === 'LOCKED') {
      const person = await this.person(check.session.personId, signal);
      await this.append(
        person ? { kind: 'person', person } : { kind: 'system', name: 'session' },
        'identity.signOut',
        check.session.personId,
        {},
      );
    }
    await this.sessions.revoke(token, signal);
  }

  /** Locks the seat of `token` at once (audited): it needs the password or a code again. */
  async lock(token: string, signal: AbortSignal = never): Promise<ResolveResult> {
    const check = await this.resolve(token, signal);
    if (!check.ok) return check;
    await this.append({ kind: 'person', person: check.person }, 'identity.lock', check.person.id, {});
    const locked = await this.sessions.lock(token, signal);
    if (locked.ok || locked.reason !== 'LOCKED') return locked.ok ? { ok: false, reason: 'INVALID' } : locked;
    return { ok: false, reason: 'LOCKED', person: check.person, session: locked.session };
  }

  /**
   * Unlocks a locked seat with its person's password or, when enrolled, a TOTP code. Failures
   * count towards the lockout like sign-in failures (a locked seat must not be a place to guess).
   */
  async unlock(
    token: string,
    proof: { readonly password?: string; readonly totp?: string },
    signal: AbortSignal = never,
  ): Promise<ResolveResult> {
    const check = await this.resolve(token, signal);
    if (check.ok || check.reason !== 'LOCKED') return check;
    const id = check.person.id;
    return this.withAccount(id, async () => {
      const record = await this.store.get(id, signal);
      if (!record) return { ok: false, reason: 'INVALID' } as const;
      const now = this.clock.now();
      if (record.lockedUntil !== null && record.lockedUntil > now) {
        await this.auditUnlock(record.person, 'LOCKED_OUT');
        throw this.lockedOut(record.lockedUntil - now);
      }
      let ok = false;
      let failure: 'BAD_CREDENTIALS' | 'BAD_TOTP' = 'BAD_CREDENTIALS';
      if (proof.password !== undefined && record.passwordHash !== null) {
        ok = await verifyPassword(proof.password, record.passwordHash);
      } else if (proof.totp !== undefined && record.totp !== null) {
        failure = 'BAD_TOTP';
        ok = await this.spendCode(record, proof.totp, signal);
      } else {
        await this.burnDummy(proof.password ?? '');
      }
      if (!ok) {
        await this.fail(record, failure, signal, 'identity.unlock');
        throw failure === 'BAD_TOTP'
          ? new IdentityError('BAD_TOTP', 'the code is wrong, expired or already used')
          : this.badCredentials();
      }
      await this.auditUnlock(record.person, 'OK');
      if (record.failedAttempts !== 0)
        await this.store.update(
          { ...record, failedAttempts: 0, lockedUntil: null, updatedAt: this.clock.now() },
          signal,
        );
      const unlocked = await this.sessions.unlock(token, signal);
      return unlocked.ok
        ? ({ ok: true, person: record.person, session: unlocked.session } as const)
        : ({ ok: false, reason: 'INVALID' } as const);
    });
  }

  /** Forgets sessions that are over (schedule it, e.g. every few minutes). */
  purgeExpiredSessions(signal: AbortSignal = never): Promise<number> {
    return this.sessions.purgeExpired(signal);
  }

  // ---------------------------------------------------------------- reading accounts

  /** One person, or null. */
  async getPerson(id: string, signal: AbortSignal = never): Promise<Person | null> {
    return this.person(id, signal);
  }

  /** Every account with the state of its credentials (never the credentials). */
  async listAccounts(signal: AbortSignal = never): Promise<AccountSummary[]> {
    return (await this.store.list(signal)).map((r) => this.summary(r));
  }

  // ---------------------------------------------------------------- administration

  /** Creates a person (and their password, checked against the policy). */
  async createPerson(actor: Actor, input: NewPerson, signal: AbortSignal = never): Promise<AccountSummary> {
    const parsed = personSchema.safeParse({
      id: input.id,
      displayName: input.displayName,
      roles: input.roles,
      clients: input.clients,
      source: input.source ?? 'local',
      disabled: false,
    });
    if (!parsed.success) throw validation(parsed.error, 'the person is not valid');
    const person = parsed.data;
    if (input.password !== undefined && person.source !== 'local')
      throw new IdentityError('VALIDATION', 'a person who signs in through OIDC has no local password');
    this.requireAdmin(actor, person.clients);
    const passwordHash = input.password === undefined ? null : await this.newHash(input.password, person.id);
    return this.administer(person.id, async () => {
      if (await this.store.get(person.id, signal))
        throw new IdentityError('CONFLICT', `the login "${person.id}" is taken`);
      await this.append(actor, 'identity.createPerson', person.id, {
        displayName: person.displayName,
        roles: person.roles.join(','),
        clients: person.clients.join(','),
        source: person.source,
        password: passwordHash !== null,
      });
      const now = this.clock.now();
      const record: AccountRecord = {
        person,
        passwordHash,
        totp: null,
        pendingTotp: null,
        failedAttempts: 0,
        lockedUntil: null,
        createdAt: now,
        updatedAt: now,
      };
      if (!(await this.store.create(record, signal)))
        throw new IdentityError('CONFLICT', `the login "${person.id}" is taken`);
      this.persons.set(person.id, person);
      return this.summary(record);
    });
  }

  /**
   * Sets a person's password (policy checked), clears their lockout and ends their sessions: a
   * password reset is often the answer to a doubt about who holds the old one.
   */
  async setPassword(actor: Actor, id: string, password: string, signal: AbortSignal = never): Promise<void> {
    const hash = await this.newHash(password, id);
    await this.change(actor, id, 'identity.setPassword', {}, signal, (r) => {
      if (r.person.source !== 'local')
        throw new IdentityError('VALIDATION', 'a person who signs in through OIDC has no local password');
      return { ...r, passwordHash: hash, failedAttempts: 0, lockedUntil: null };
    });
    await this.sessions.revokeAll(id, signal);
  }

  /**
   * Starts a TOTP enrolment for `id` (an administrator, or the person themselves). Returns the
   * otpauth URI and the base32 secret, this once; TOTP is required at sign-in only after
   * {@link confirmTotp} has seen a first valid code, so a failed scan locks nobody out.
   */
  async beginTotp(
    actor: Actor,
    id: string,
    signal: AbortSignal = never,
  ): Promise<{ readonly uri: string; readonly secret: string }> {
    const secret = generateTotpSecret();
    const encoded = base32Encode(secret);
    await this.change(
      actor,
      id,
      'identity.beginTotp',
      {},
      signal,
      (r) => {
        if (r.person.source !== 'local')
          throw new IdentityError(
            'VALIDATION',
            'a person who signs in through OIDC uses their provider’s second factor',
          );
        return { ...r, pendingTotp: { secret: encoded, createdAt: this.clock.now() } };
      },
      true,
    );
    return { uri: otpauthUri({ issuer: this.issuer, account: id, secret }), secret: encoded };
  }

  /** Confirms a started enrolment with a first code from the app; from then on, TOTP is required. */
  async confirmTotp(actor: Actor, id: string, code: string, signal: AbortSignal = never): Promise<void> {
    await this.change(
      actor,
      id,
      'identity.confirmTotp',
      {},
      signal,
      (r) => {
        const pending = r.pendingTotp;
        const now = this.clock.now();
        if (pending === null || now - pending.createdAt > this.pendingTotpMs)
          throw new IdentityError('CONFLICT', 'no TOTP enrolment is waiting for a code: start one again');
        const check = verifyTotp(base32Decode(pending.secret), code, now);
        if (!check.ok) throw new IdentityError('BAD_TOTP', 'the code is wrong or expired');
        return { ...r, totp: { secret: pending.secret, lastUsedStep: check.step }, pendingTotp: null };
      },
      true,
    );
  }

  /**
   * A person changes their own password, proving the current one first: a wrong one counts
   * towards the lockout like a failed sign-in. Their sessions stay (they are theirs).
   */
  async changeOwnPassword(
    id: string,
    current: string,
    next: string,
    signal: AbortSignal = never,
  ): Promise<void> {
    const record = await this.store.get(id, signal);
    if (!record || record.person.source !== 'local' || record.passwordHash === null) {
      await this.burnDummy(current);
      throw this.badCredentials();
    }
    const now = this.clock.now();
    if (record.lockedUntil !== null && record.lockedUntil > now)
      throw this.lockedOut(record.lockedUntil - now);
    if (!(await verifyPassword(current, record.passwordHash))) {
      await this.fail(record, 'BAD_CREDENTIALS', signal, 'identity.changePassword');
      throw this.badCredentials();
    }
    const hash = await this.newHash(next, id);
    await this.change(
      { kind: 'person', person: record.person },
      id,
      'identity.changePassword',
      {},
      signal,
      (r) => ({ ...r, passwordHash: hash, failedAttempts: 0, lockedUntil: null }),
      true,
    );
  }

  /** Removes a person's TOTP (a lost phone); they sign in with the password alone until they enrol again. */
  async removeTotp(actor: Actor, id: string, signal: AbortSignal = never): Promise<void> {
    await this.change(actor, id, 'identity.removeTotp', {}, signal, (r) => ({
      ...r,
      totp: null,
      pendingTotp: null,
    }));
  }

  /** Disables (every session ends at once) or enables a person. */
  async setDisabled(actor: Actor, id: string, disabled: boolean, signal: AbortSignal = never): Promise<void> {
    await this.change(actor, id, disabled ? 'identity.disable' : 'identity.enable', {}, signal, (r) => ({
      ...r,
      person: { ...r.person, disabled },
      ...(disabled ? {} : { failedAttempts: 0, lockedUntil: null }),
    }));
    if (disabled) await this.sessions.revokeAll(id, signal);
  }

  /** Replaces a person's roles; effective at their next request. */
  async setRoles(
    actor: Actor,
    id: string,
    roles: readonly Role[],
    signal: AbortSignal = never,
  ): Promise<void> {
    const parsed = roleListSchema.safeParse(roles);
    if (!parsed.success) throw validation(parsed.error, 'the roles are not valid');
    await this.change(actor, id, 'identity.setRoles', { roles: parsed.data.join(',') }, signal, (r) => ({
      ...r,
      person: { ...r.person, roles: parsed.data },
    }));
  }

  /** Replaces a person's client scope (`['*']` for all); effective at their next request. */
  async setClients(
    actor: Actor,
    id: string,
    clients: readonly string[],
    signal: AbortSignal = never,
  ): Promise<void> {
    const parsed = clientScopeSchema.safeParse(clients);
    if (!parsed.success) throw validation(parsed.error, 'the clients are not valid');
    this.requireAdmin(actor, parsed.data);
    await this.change(actor, id, 'identity.setClients', { clients: parsed.data.join(',') }, signal, (r) => ({
      ...r,
      person: { ...r.person, clients: parsed.data },
    }));
  }

  // ---------------------------------------------------------------- internals

  /**
   * One audited change of an existing account: checks the actor's right over it, refuses to
   * leave no enabled administrator with every client, audits, then writes.
   */
  private change(
    actor: Actor,
    id: string,
    action: string,
    details: AuditEntry['details'],
    signal: AbortSignal,
    apply: (record: AccountRecord) => AccountRecord,
    selfAllowed = false,
  ): Promise<void> {
    return this.administer(id, async () => {
      const record = await this.store.get(id, signal);
      if (!record) throw new IdentityError('NOT_FOUND', `no person has the login "${id}"`);
      if (!(selfAllowed && actor.kind === 'person' && actor.person.id === id))
        this.requireAdmin(actor, record.person.clients);
      const next = { ...apply(record), updatedAt: this.clock.now() };
      if (isFullAdmin(record.person) && !isFullAdmin(next.person)) {
        const others = (await this.store.list(signal)).filter(
          (r) => r.person.id !== id && isFullAdmin(r.person),
        );
        if (others.length === 0)
          throw new IdentityError(
            'CONFLICT',
            'this would leave no enabled administrator of every client; make another one first',
          );
      }
      await this.append(actor, action, id, details);
      if (!(await this.store.update(next, signal)))
        throw new IdentityError('NOT_FOUND', `no person has the login "${id}"`);
      this.persons.set(id, next.person);
    });
  }

  /** An administrator whose scope covers `clients`, or the machine itself. */
  private requireAdmin(actor: Actor, clients: readonly string[]): void {
    if (actor.kind === 'system') return;
    if (actor.person.disabled || !hasRole(actor.person, 'admin'))
      throw new IdentityError('FORBIDDEN', 'only an administrator manages accounts');
    if (!scopeWithin(clients, actor.person.clients))
      throw new IdentityError('FORBIDDEN', 'this person’s clients lie outside your scope');
  }

  private async newHash(password: string, login: string): Promise<string> {
    const violation = checkPasswordPolicy(password, login);
    if (violation) throw new IdentityError('WEAK_PASSWORD', violation.message);
    return hashPassword(password, this.passwordParams);
  }

  /** Verifies a code against the account's secret and spends its step (once, atomically). */
  private async spendCode(record: AccountRecord, code: string, signal: AbortSignal): Promise<boolean> {
    if (record.totp === null) return false;
    const check = verifyTotp(base32Decode(record.totp.secret), code, this.clock.now(), {
      lastUsedStep: record.totp.lastUsedStep,
    });
    if (!check.ok) return false;
    return this.store.useTotpStep(record.person.id, check.step, signal);
  }

  /** Counts a failure (audited first) and locks the account once the threshold is reached. */
  private async fail(
    record: AccountRecord,
    outcome: 'BAD_CREDENTIALS' | 'BAD_TOTP',
    signal: AbortSignal,
    action = 'identity.signIn',
  ): Promise<void> {
    const failedAttempts = record.failedAttempts + 1;
    const over = failedAttempts - this.lockout.threshold;
    const lockedUntil =
      over >= 0
        ? this.clock.now() + Math.min(this.lockout.maxMs, this.lockout.baseMs * 2 ** Math.min(over, 30))
        : null;
    await this.append({ kind: 'person', person: record.person }, action, record.person.id, {
      outcome,
      failedAttempts,
      lockedUntil,
    });
    const fresh = (await this.store.get(record.person.id, signal)) ?? record;
    await this.store.update({ ...fresh, failedAttempts, lockedUntil, updatedAt: this.clock.now() }, signal);
  }

  private auditSignIn(
    person: Person | null,
    outcome: 'OK' | 'BAD_CREDENTIALS' | 'LOCKED_OUT' | 'DISABLED' | 'TOTP_REQUIRED',
    extra: AuditEntry['details'] = {},
  ): Promise<void> {
    return this.append(
      person ? { kind: 'person', person } : { kind: 'system', name: 'anonymous' },
      'identity.signIn',
      person ? person.id : '(unknown login)',
      { outcome, ...extra },
    );
  }

  private auditUnlock(person: Person, outcome: 'OK' | 'LOCKED_OUT'): Promise<void> {
    return this.append({ kind: 'person', person }, 'identity.unlock', person.id, { outcome });
  }

  private append(
    actor: Actor,
    action: string,
    target: string,
    details: AuditEntry['details'],
  ): Promise<void> {
    return this.audit.append({ at: this.clock.now(), ...actorName(actor), action, target, details });
  }

  /** Checks `password` against a hash no account has, so an unknown login costs a real check. */
  private async burnDummy(password: string): Promise<void> {
    this.dummyHash ??= hashPassword(randomBytes(18).toString('base64'), this.passwordParams);
    await verifyPassword(password, await this.dummyHash);
  }

  private badCredentials(): IdentityError {
    return new IdentityError('BAD_CREDENTIALS', 'wrong login or password');
  }

  private lockedOut(retryAfterMs: number): IdentityError {
    const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
    return new IdentityError(
      'LOCKED_OUT',
      `too many failed attempts: try again in ${minutes} min, or ask an administrator`,
      retryAfterMs,
    );
  }

  private async person(id: string, signal: AbortSignal): Promise<Person | null> {
    const cached = this.persons.get(id);
    if (cached) return cached;
    const record = await this.store.get(id, signal);
    if (!record) return null;
    this.persons.set(id, record.person);
    return record.person;
  }

  private summary(r: AccountRecord): AccountSummary {
    return {
      person: r.person,
      hasPassword: r.passwordHash !== null,
      totpEnrolled: r.totp !== null,
      lockedUntil: r.lockedUntil !== null && r.lockedUntil > this.clock.now() ? r.lockedUntil : null,
      failedAttempts: r.failedAttempts,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  /** Runs `work` after the account's earlier work. */
  private withAccount<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.chains.set(id, settled);
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return next;
  }

  /** Account administration: one change at a time, and after the account's own work. */
  private administer<T>(id: string, work: () => Promise<T>): Promise<T> {
    const next = this.adminChain.then(
      () => this.withAccount(id, work),
      () => this.withAccount(id, work),
    );
    this.adminChain = next.catch(() => undefined);
    return next;
  }
}

/** An enabled administrator of every client: someone who can always repair the others. */
function isFullAdmin(person: Person): boolean {
  return !person.disabled && hasRole(person, 'admin') && person.clients.includes(ALL_CLIENTS);
}
