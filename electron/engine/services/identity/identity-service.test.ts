import { describe, expect, it } from 'vitest';
import type { Person } from '../../../../shared/domain/identity';
import type { AuditEntry, AuditLog } from '../../ports/audit-log';
import { FakeClock } from '../metrics/test-support/fake-clock';
import { IdentityError, IdentityService, type Actor } from './identity-service';
import { MemoryAccountStore } from './test-support/memory-account-store';
import { base32Decode, totp } from './totp';

const MIN = 60_000;
const FAST = { ln: 10, r: 8, p: 1 };
const SYSTEM: Actor = { kind: 'system', name: 'test' };
const PASSWORD = 'a long enough password';

/** Records entries with the number of store writes made before each, and can refuse them. */
class RecordingAudit implements AuditLog {
  readonly entries: (AuditEntry & { writesBefore: number })[] = [];
  refuse = false;
  constructor(private readonly store: MemoryAccountStore) {}
  append(entry: AuditEntry): Promise<void> {
    if (this.refuse) return Promise.reject(new Error('audit log unavailable'));
    this.entries.push({ ...entry, writesBefore: this.store.writes });
    return Promise.resolve();
  }
  list(): Promise<AuditEntry[]> {
    return Promise.resolve([...this.entries]);
  }
}

async function setup() {
  const clock = new FakeClock();
  const store = new MemoryAccountStore();
  const audit = new RecordingAudit(store);
  const service = new IdentityService({ store, audit, clock, passwordParams: FAST });
  await service.createPerson(SYSTEM, {
    id: 'root',
    displayName: 'Root',
    roles: ['admin'],
    clients: ['*'],
    password: PASSWORD,
  });
  await service.createPerson(SYSTEM, {
    id: 'alice',
    displayName: 'Alice',
    roles: ['operator'],
    clients: ['*'],
    password: PASSWORD,
  });
  return { clock, store, audit, service };
}

async function code(service: IdentityService, fn: () => Promise<unknown>): Promise<string> {
  void service;
  try {
    await fn();
  } catch (err: unknown) {
    if (err instanceof IdentityError) return err.code;
    throw err;
  }
  return 'OK';
}

const asPerson = (person: Person): Actor => ({ kind: 'person', person });

describe('IdentityService sign-in', () => {
  it('signs in with the right password: a session token that resolves to the person', async () => {
    const { service } = await setup();
    const result = await service.signIn({ login: 'alice', password: PASSWORD });
    expect(result.person).toMatchObject({ id: 'alice', roles: ['operator'] });
    expect(await service.resolve(result.token)).toMatchObject({ ok: true, person: { id: 'alice' } });
    // Logins are lower case; what is typed is folded.
    expect((await service.signIn({ login: ' Alice ', password: PASSWORD })).person.id).toBe('alice');
  });

  it('answers an unknown login and a wrong password alike, and audits neither password nor unknown login', async () => {
    const { service, audit } = await setup();
    const unknown = await service
      .signIn({ login: 'nobody', password: 'my-secret-pw-1' })
      .catch((e: unknown) => e);
    const wrong = await service
      .signIn({ login: 'alice', password: 'my-secret-pw-2' })
      .catch((e: unknown) => e);
    const typo = await service
      .signIn({ login: 'Not A Login!', password: 'my-secret-pw-3' })
      .catch((e: unknown) => e);
    for (const e of [unknown, wrong, typo]) {
      expect(e).toBeInstanceOf(IdentityError);
      expect((e as IdentityError).code).toBe('BAD_CREDENTIALS');
      expect((e as IdentityError).message).toBe('wrong login or password');
    }
    const log = JSON.stringify(audit.entries);
    expect(log).not.toMatch(/my-secret-pw/);
    expect(log).not.toContain('nobody');
    expect(
      audit.entries.filter((e) => e.action === 'identity.signIn').map((e) => [e.target, e.details.outcome]),
    ).toEqual([
      ['(unknown login)', 'BAD_CREDENTIALS'],
      ['alice', 'BAD_CREDENTIALS'],
      ['(unknown login)', 'BAD_CREDENTIALS'],
    ]);
  });

  it('hashes a dummy for an unknown login, so it costs about as much as a wrong password', async () => {
    const clock = new FakeClock();
    const store = new MemoryAccountStore();
    // At the real cost, the difference between "no such login" and "wrong password" must be small.
    const service = new IdentityService({ store, audit: new RecordingAudit(store), clock });
    await service.createPerson(SYSTEM, {
      id: 'alice',
      displayName: 'A',
      roles: ['viewer'],
      clients: ['*'],
      password: PASSWORD,
    });
    await code(service, () => service.signIn({ login: 'warmup', password: 'x' }));
    const time = async (login: string): Promise<number> => {
      const t0 = performance.now();
      expect(await code(service, () => service.signIn({ login, password: 'wrong password!' }))).toBe(
        'BAD_CREDENTIALS',
      );
      return performance.now() - t0;
    };
    const unknown = Math.min(await time('nobody'), await time('nobody2'));
    const known = Math.min(await time('alice'), await time('alice'));
    console.log(
      `sign-in refusal: unknown login ${unknown.toFixed(0)} ms, wrong password ${known.toFixed(0)} ms`,
    );
    // A missing dummy hash answers in well under a millisecond; scrypt at ln=15 takes tens.
    expect(unknown).toBeGreaterThan(known / 4);
  });

  it('locks the account after 5 failures, for 1 min, then 2, then 4; the right password waits it out', async () => {
    const { service, clock, audit } = await setup();
    for (let i = 0; i < 5; i++)
      expect(await code(service, () => service.signIn({ login: 'alice', password: 'wrong password' }))).toBe(
        'BAD_CREDENTIALS',
      );
    const locked = await service.signIn({ login: 'alice', password: PASSWORD }).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'LOCKED_OUT', retryAfterMs: MIN });
    clock.advance(MIN);
    expect(await code(service, () => service.signIn({ login: 'alice', password: 'wrong password' }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(
      await service.signIn({ login: 'alice', password: PASSWORD }).catch((e: unknown) => e),
    ).toMatchObject({
      code: 'LOCKED_OUT',
      retryAfterMs: 2 * MIN,
    });
    clock.advance(2 * MIN);
    expect(await code(service, () => service.signIn({ login: 'alice', password: 'wrong password' }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(
      await service.signIn({ login: 'alice', password: PASSWORD }).catch((e: unknown) => e),
    ).toMatchObject({
      code: 'LOCKED_OUT',
      retryAfterMs: 4 * MIN,
    });
    clock.advance(4 * MIN);
    expect((await service.signIn({ login: 'alice', password: PASSWORD })).person.id).toBe('alice');
    // The success reset the counter: one failure now does not lock.
    await code(service, () => service.signIn({ login: 'alice', password: 'wrong password' }));
    expect(await code(service, () => service.signIn({ login: 'alice', password: PASSWORD }))).toBe('OK');
    expect(audit.entries.some((e) => e.details.outcome === 'LOCKED_OUT')).toBe(true);
  });

  it('tells a disabled person so only once the password is right', async () => {
    const { service } = await setup();
    await service.setDisabled(SYSTEM, 'alice', true);
    expect(await code(service, () => service.signIn({ login: 'alice', password: 'wrong password' }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(await code(service, () => service.signIn({ login: 'alice', password: PASSWORD }))).toBe(
      'DISABLED',
    );
    await service.setDisabled(SYSTEM, 'alice', false);
    expect(await code(service, () => service.signIn({ login: 'alice', password: PASSWORD }))).toBe('OK');
  });

  it('audits a success before the session exists, and signs nobody in when the audit log refuses', async () => {
    const { service, audit, store } = await setup();
    audit.refuse = true;
    await expect(service.signIn({ login: 'alice', password: PASSWORD })).rejects.toThrow(
      /audit log unavailable/,
    );
    audit.refuse = false;
    const writes = store.writes;
    await service.signIn({ login: 'alice', password: PASSWORD });
    const entry = audit.entries.at(-1)!;
    expect(entry).toMatchObject({
      action: 'identity.signIn',
      actor: 'alice',
      target: 'alice',
      details: { outcome: 'OK' },
    });
    expect(entry.writesBefore).toBe(writes); // the session was written after the entry
    expect(store.writes).toBe(writes + 1);
  });

  it('re-hashes a password of an older cost at the next sign-in', async () => {
    const clock = new FakeClock();
    const store = new MemoryAccountStore();
    const audit = new RecordingAudit(store);
    const old = new IdentityService({ store, audit, clock, passwordParams: { ln: 9, r: 8, p: 1 } });
    await old.createPerson(SYSTEM, {
      id: 'alice',
      displayName: 'A',
      roles: ['viewer'],
      clients: ['*'],
      password: PASSWORD,
    });
    expect((await store.get('alice'))?.passwordHash).toMatch(/^\$scrypt\$ln=9,/);
    const current = new IdentityService({ store, audit, clock, passwordParams: FAST });
    await current.signIn({ login: 'alice', password: PASSWORD });
    expect((await store.get('alice'))?.passwordHash).toMatch(/^\$scrypt\$ln=10,/);
    expect(await code(current, () => current.signIn({ login: 'alice', password: PASSWORD }))).toBe('OK');
  });
});

describe('IdentityService TOTP', () => {
  async function enrolled() {
    const ctx = await setup();
    const { uri, secret } = await ctx.service.beginTotp(SYSTEM, 'alice');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Vigie:alice\?secret=/);
    // Not required until confirmed: a failed scan locks nobody out.
    expect(await code(ctx.service, () => ctx.service.signIn({ login: 'alice', password: PASSWORD }))).toBe(
      'OK',
    );
    const key = base32Decode(secret);
    expect(await code(ctx.service, () => ctx.service.confirmTotp(SYSTEM, 'alice', '000000'))).toBe(
      'BAD_TOTP',
    );
    await ctx.service.confirmTotp(SYSTEM, 'alice', totp(key, ctx.clock.now()));
    return { ...ctx, key };
  }

  it('asks for the code once enrolled, accepts a fresh one, refuses a wrong or replayed one', async () => {
    const { service, clock, key, audit } = await enrolled();
    expect(await code(service, () => service.signIn({ login: 'alice', password: PASSWORD }))).toBe(
      'TOTP_REQUIRED',
    );
    // The code that confirmed the enrolment is spent.
    expect(
      await code(service, () =>
        service.signIn({ login: 'alice', password: PASSWORD, totp: totp(key, clock.now()) }),
      ),
    ).toBe('BAD_TOTP');
    clock.advance(30_000);
    const fresh = totp(key, clock.now());
    const ok = await service.signIn({ login: 'alice', password: PASSWORD, totp: fresh });
    expect(ok.person.id).toBe('alice');
    expect(
      await code(service, () => service.signIn({ login: 'alice', password: PASSWORD, totp: fresh })),
    ).toBe('BAD_TOTP');
    expect(
      await code(service, () => service.signIn({ login: 'alice', password: 'wrong password', totp: fresh })),
    ).toBe('BAD_CREDENTIALS');
    expect(JSON.stringify(audit.entries)).not.toContain(fresh);
    expect(audit.entries.at(-3)).toMatchObject({ details: { outcome: 'OK', method: 'password+totp' } });
  });

  it('counts wrong codes towards the lockout', async () => {
    const { service, clock, key } = await enrolled();
    for (let i = 0; i < 5; i++)
      expect(
        await code(service, () => service.signIn({ login: 'alice', password: PASSWORD, totp: '000000' })),
      ).toMatch(/BAD_TOTP|OK/);
    clock.advance(30_000);
    expect(
      await code(service, () =>
        service.signIn({ login: 'alice', password: PASSWORD, totp: totp(key, clock.now()) }),
      ),
    ).toBe('LOCKED_OUT');
  });

  it('lets two racing sign-ins spend one code once', async () => {
    const { service, clock, key } = await enrolled();
    clock.advance(30_000);
    const c = totp(key, clock.now());
    const results = await Promise.all([
      code(service, () => service.signIn({ login: 'alice', password: PASSWORD, totp: c })),
      code(service, () => service.signIn({ login: 'alice', password: PASSWORD, totp: c })),
    ]);
    expect(results.sort()).toEqual(['BAD_TOTP', 'OK']);
  });

  it('refuses a confirmation after the enrolment waited too long, and can remove TOTP', async () => {
    const { service, clock } = await setup();
    const { secret } = await service.beginTotp(SYSTEM, 'alice');
    clock.advance(16 * MIN);
    expect(
      await code(service, () =>
        service.confirmTotp(SYSTEM, 'alice', totp(base32Decode(secret), clock.now())),
      ),
    ).toBe('CONFLICT');
    const again = await enrolledWith(service, clock);
    expect(await code(service, () => service.signIn({ login: 'alice', password: PASSWORD }))).toBe(
      'TOTP_REQUIRED',
    );
    await service.removeTotp(SYSTEM, 'alice');
    expect(await code(service, () => service.signIn({ login: 'alice', password: PASSWORD }))).toBe('OK');
    expect(again).toHaveLength(32);
  });

  it('lets a person enrol themselves, but not someone else', async () => {
    const { service } = await setup();
    const alice = (await service.getPerson('alice'))!;
    expect((await service.beginTotp(asPerson(alice), 'alice')).secret).toHaveLength(32);
    expect(await code(service, () => service.beginTotp(asPerson(alice), 'root'))).toBe('FORBIDDEN');
  });
});

async function enrolledWith(service: IdentityService, clock: FakeClock): Promise<string> {
  const { secret } = await service.beginTotp(SYSTEM, 'alice');
  await service.confirmTotp(SYSTEM, 'alice', totp(base32Decode(secret), clock.now()));
  return secret;
}

describe('IdentityService sessions', () => {
  it('locks a seat and unlocks it with the password or a code; wrong ones count', async () => {
    const { service, clock } = await setup();
    const { token } = await service.signIn({ login: 'alice', password: PASSWORD });
    expect(await service.lock(token)).toMatchObject({ ok: false, reason: 'LOCKED', person: { id: 'alice' } });
    expect(await service.resolve(token)).toMatchObject({ ok: false, reason: 'LOCKED' });
    expect(await code(service, () => service.unlock(token, { password: 'wrong password' }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(await service.unlock(token, { password: PASSWORD })).toMatchObject({
      ok: true,
      person: { id: 'alice' },
    });
    expect((await service.resolve(token)).ok).toBe(true);

    const secret = await enrolledWith(service, clock);
    await service.lock(token);
    clock.advance(30_000);
    expect(await service.unlock(token, { totp: totp(base32Decode(secret), clock.now()) })).toMatchObject({
      ok: true,
    });
  });

  it('a locked seat is no place to guess: five wrong passwords lock the account out', async () => {
    const { service } = await setup();
    const { token } = await service.signIn({ login: 'alice', password: PASSWORD });
    await service.lock(token);
    for (let i = 0; i < 5; i++)
      await code(service, () => service.unlock(token, { password: 'wrong password' }));
    expect(await code(service, () => service.unlock(token, { password: PASSWORD }))).toBe('LOCKED_OUT');
  });

  it('disabling a person ends their sessions at once', async () => {
    const { service } = await setup();
    const a = await service.signIn({ login: 'alice', password: PASSWORD });
    const b = await service.signIn({ login: 'alice', password: PASSWORD });
    const root = await service.signIn({ login: 'root', password: PASSWORD });
    await service.setDisabled(asPerson(root.person), 'alice', true);
    expect(await service.resolve(a.token)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await service.resolve(b.token)).toEqual({ ok: false, reason: 'INVALID' });
    expect((await service.resolve(root.token)).ok).toBe(true);
  });

  it('a new password ends the person’s sessions; role and scope changes show at the next request', async () => {
    const { service } = await setup();
    const a = await service.signIn({ login: 'alice', password: PASSWORD });
    await service.setRoles(SYSTEM, 'alice', ['viewer', 'oncall']);
    await service.setClients(SYSTEM, 'alice', ['ehealth']);
    expect(await service.resolve(a.token)).toMatchObject({
      ok: true,
      person: { roles: ['viewer', 'oncall'], clients: ['ehealth'] },
    });
    await service.setPassword(SYSTEM, 'alice', 'another long password');
    expect(await service.resolve(a.token)).toEqual({ ok: false, reason: 'INVALID' });
    expect(await code(service, () => service.signIn({ login: 'alice', password: PASSWORD }))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(
      await code(service, () => service.signIn({ login: 'alice', password: 'another long password' })),
    ).toBe('OK');
  });

  it('signs out (audited), and an expired session says EXPIRED', async () => {
    const { service, clock, audit } = await setup();
    const a = await service.signIn({ login: 'alice', password: PASSWORD });
    await service.signOut(a.token);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'identity.signOut', actor: 'alice' });
    expect(await service.resolve(a.token)).toEqual({ ok: false, reason: 'INVALID' });
    const b = await service.signIn({ login: 'alice', password: PASSWORD });
    clock.advance(31 * MIN);
    expect(await service.resolve(b.token)).toEqual({ ok: false, reason: 'EXPIRED' });
  });
});

describe('IdentityService administration', () => {
  it('creates people with a checked password, refuses a taken login and bad input', async () => {
    const { service, store } = await setup();
    expect(
      await code(service, () =>
        service.createPerson(SYSTEM, { id: 'alice', displayName: 'A2', roles: ['viewer'], clients: ['*'] }),
      ),
    ).toBe('CONFLICT');
    expect(
      await code(service, () =>
        service.createPerson(SYSTEM, {
          id: 'bob',
          displayName: 'B',
          roles: ['viewer'],
          clients: ['*'],
          password: 'short',
        }),
      ),
    ).toBe('WEAK_PASSWORD');
    expect(
      await code(service, () =>
        service.createPerson(SYSTEM, {
          id: 'bobby',
          displayName: 'B',
          roles: ['viewer'],
          clients: ['*'],
          password: 'bobby',
        }),
      ),
    ).toBe('WEAK_PASSWORD');
    expect(
      await code(service, () =>
        service.createPerson(SYSTEM, { id: 'Bob', displayName: 'B', roles: ['viewer'], clients: ['*'] }),
      ),
    ).toBe('VALIDATION');
    expect(
      await code(service, () =>
        service.createPerson(SYSTEM, { id: 'bob', displayName: 'B', roles: [], clients: ['*'] }),
      ),
    ).toBe('VALIDATION');
    expect(
      await code(service, () =>
        service.createPerson(SYSTEM, {
          id: 'bob',
          displayName: 'B',
          roles: ['viewer'],
          clients: ['*', 'ehealth'],
        }),
      ),
    ).toBe('VALIDATION');
    expect(await store.get('bob')).toBeNull();
    const summary = await service.createPerson(SYSTEM, {
      id: 'bob',
      displayName: 'Bob',
      roles: ['viewer'],
      clients: ['ehealth'],
    });
    expect(summary).toMatchObject({
      hasPassword: false,
      totpEnrolled: false,
      person: { source: 'local', disabled: false },
    });
    // Without a password, nobody signs in as bob.
    expect(await code(service, () => service.signIn({ login: 'bob', password: '' }))).toBe('BAD_CREDENTIALS');
    expect((await service.listAccounts()).map((a) => a.person.id)).toEqual(['alice', 'bob', 'root']);
  });

  it('writes every change to the audit log before the store, and not at all when the log refuses', async () => {
    const { service, audit, store } = await setup();
    const writes = store.writes;
    await service.setRoles(SYSTEM, 'alice', ['viewer']);
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'identity.setRoles',
      actor: 'test',
      role: 'system',
      target: 'alice',
      details: { roles: 'viewer' },
      writesBefore: writes,
    });
    audit.refuse = true;
    for (const change of [
      () => service.setRoles(SYSTEM, 'alice', ['admin']),
      () => service.setClients(SYSTEM, 'alice', ['ehealth']),
      () => service.setDisabled(SYSTEM, 'alice', true),
      () => service.setPassword(SYSTEM, 'alice', 'another long password'),
      () => service.beginTotp(SYSTEM, 'alice'),
      () =>
        service.createPerson(SYSTEM, { id: 'carol', displayName: 'C', roles: ['viewer'], clients: ['*'] }),
    ])
      await expect(change()).rejects.toThrow(/audit log unavailable/);
    expect(store.writes).toBe(writes + 1);
    expect((await store.get('alice'))?.person).toMatchObject({
      roles: ['viewer'],
      clients: ['*'],
      disabled: false,
    });
    const log = JSON.stringify(audit.entries);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain('another long password');
    expect(log).not.toContain('$scrypt');
  });

  it('lets only administrators manage accounts, each within their client scope', async () => {
    const { service } = await setup();
    await service.createPerson(SYSTEM, {
      id: 'eh-admin',
      displayName: 'eHealth user manager',
      roles: ['admin'],
      clients: ['ehealth'],
    });
    await service.createPerson(SYSTEM, {
      id: 'eh-op',
      displayName: 'eHealth operator',
      roles: ['operator'],
      clients: ['ehealth'],
    });
    const alice = asPerson((await service.getPerson('alice'))!);
    const ehAdmin = asPerson((await service.getPerson('eh-admin'))!);
    expect(await code(service, () => service.setRoles(alice, 'eh-op', ['viewer']))).toBe('FORBIDDEN');
    expect(await code(service, () => service.setRoles(ehAdmin, 'eh-op', ['viewer']))).toBe('OK');
    expect(await code(service, () => service.setRoles(ehAdmin, 'alice', ['viewer']))).toBe('FORBIDDEN');
    expect(await code(service, () => service.setClients(ehAdmin, 'eh-op', ['*']))).toBe('FORBIDDEN');
    expect(await code(service, () => service.setClients(ehAdmin, 'eh-op', ['employer']))).toBe('FORBIDDEN');
    expect(
      await code(service, () =>
        service.createPerson(ehAdmin, {
          id: 'eh-new',
          displayName: 'N',
          roles: ['viewer'],
          clients: ['ehealth'],
        }),
      ),
    ).toBe('OK');
    expect(
      await code(service, () =>
        service.createPerson(ehAdmin, { id: 'any-new', displayName: 'N', roles: ['viewer'], clients: ['*'] }),
      ),
    ).toBe('FORBIDDEN');
    expect(await code(service, () => service.setDisabled(ehAdmin, 'root', true))).toBe('FORBIDDEN');
  });

  it('never leaves the estate without an enabled administrator of every client', async () => {
    const { service } = await setup();
    expect(await code(service, () => service.setDisabled(SYSTEM, 'root', true))).toBe('CONFLICT');
    expect(await code(service, () => service.setRoles(SYSTEM, 'root', ['operator']))).toBe('CONFLICT');
    expect(await code(service, () => service.setClients(SYSTEM, 'root', ['ehealth']))).toBe('CONFLICT');
    await service.setRoles(SYSTEM, 'alice', ['operator', 'admin']);
    expect(await code(service, () => service.setDisabled(SYSTEM, 'root', true))).toBe('OK');
    expect(await code(service, () => service.setRoles(SYSTEM, 'alice', ['operator']))).toBe('CONFLICT');
  });

  it('names a missing person NOT_FOUND', async () => {
    const { service } = await setup();
    expect(await code(service, () => service.setDisabled(SYSTEM, 'ghost', true))).toBe('NOT_FOUND');
    expect(await code(service, () => service.setPassword(SYSTEM, 'ghost', PASSWORD))).toBe('NOT_FOUND');
  });
});
