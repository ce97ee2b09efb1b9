/**
 * An IdentityPort held in memory for transport tests: people with a password each, sessions
 * with an absolute expiry on a clock the test moves. The real service (services/identity) has
 * its own tests; this one lets the dispatcher and the WebSocket server be tested alone.
 */
import { randomBytes } from 'node:crypto';
import type { Person } from '../../../shared/domain/identity';
import { SignInError, type IdentityPort, type SignedIn, type TokenCheck } from '../ports/identity';

export class MemoryIdentity implements IdentityPort {
  private readonly sessions = new Map<string, { person: string; until: number; locked: boolean }>();
  readonly people = new Map<string, { person: Person; password: string }>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs = 3600_000,
  ) {}

  add(person: Person, password: string): void {
    this.people.set(person.id, { person, password });
  }

  disable(id: string): void {
    const entry = this.people.get(id);
    if (entry) entry.person = { ...entry.person, disabled: true };
  }

  private open(person: Person): SignedIn {
    const token = randomBytes(16).toString('base64url');
    const until = this.now() + this.lifetimeMs;
    this.sessions.set(token, { person: person.id, until, locked: false });
    return { token, person, expiresAt: until, idleExpiresAt: until };
  }

  signIn(c: { login: string; password: string }): Promise<SignedIn> {
    const entry = this.people.get(c.login);
    if (!entry || entry.password !== c.password)
      return Promise.reject(new SignInError('BAD_CREDENTIALS', 'wrong login or password'));
    if (entry.person.disabled) return Promise.reject(new SignInError('DISABLED', 'this account is disabled'));
    return Promise.resolve(this.open(entry.person));
  }

  openSession(person: Person): Promise<SignedIn> {
    return Promise.resolve(this.open(person));
  }

  check(token: string): Promise<TokenCheck> {
    const s = this.sessions.get(token);
    if (!s) return Promise.resolve({ state: 'unknown' });
    if (s.until <= this.now()) return Promise.resolve({ state: 'expired' });
    const entry = this.people.get(s.person);
    if (!entry || entry.person.disabled) return Promise.resolve({ state: 'disabled' });
    return Promise.resolve({
      state: s.locked ? 'locked' : 'active',
      person: entry.person,
      expiresAt: s.until,
      idleExpiresAt: s.until,
    });
  }

  lock(token: string): Promise<void> {
    const s = this.sessions.get(token);
    if (s) s.locked = true;
    return Promise.resolve();
  }

  unlock(token: string, c: { password: string }): Promise<void> {
    const s = this.sessions.get(token);
    const entry = s ? this.people.get(s.person) : undefined;
    if (!s || !entry || entry.password !== c.password)
      return Promise.reject(new SignInError('BAD_CREDENTIALS', 'wrong password'));
    s.locked = false;
    return Promise.resolve();
  }

  changePassword(token: string, current: string, next: string): Promise<void> {
    const s = this.sessions.get(token);
    const entry = s ? this.people.get(s.person) : undefined;
    if (!entry || entry.password !== current)
      return Promise.reject(new SignInError('BAD_CREDENTIALS', 'wrong password'));
    entry.password = next;
    return Promise.resolve();
  }

  beginTotp(): Promise<{ uri: string; secret: string }> {
    return Promise.reject(new Error('TOTP is not simulated here'));
  }

  confirmTotp(): Promise<void> {
    return Promise.reject(new Error('TOTP is not simulated here'));
  }

  signOut(token: string): Promise<void> {
    this.sessions.delete(token);
    return Promise.resolve();
  }
}
