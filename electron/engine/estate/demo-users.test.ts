import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../shared/domain/identity';
import type { AuditEntry, AuditLog } from '../ports/audit-log';
import { IdentityService } from '../services/identity/identity-service';
import { checkPasswordPolicy } from '../services/identity/password';
import { MemoryAccountStore } from '../services/identity/test-support/memory-account-store';
import { FakeClock } from './test-support/fake-clock';
import { DEMO_SCOPED_CLIENT, DEMO_USERS, seedDemoUsers } from './demo-users';

class ListAudit implements AuditLog {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
  list(): Promise<AuditEntry[]> {
    return Promise.resolve(this.entries);
  }
}

function service(store = new MemoryAccountStore()) {
  const audit = new ListAudit();
  return {
    audit,
    store,
    service: new IdentityService({
      store,
      audit,
      clock: new FakeClock(),
      passwordParams: { ln: 10, r: 8, p: 1 },
    }),
  };
}

describe('demo users', () => {
  it('cover every role, plus one operator scoped to one client; passwords meet the policy', () => {
    for (const role of ROLES) expect(DEMO_USERS.some((u) => u.roles.includes(role))).toBe(true);
    expect(DEMO_USERS.filter((u) => u.clients.join() === DEMO_SCOPED_CLIENT)).toHaveLength(1);
    for (const u of DEMO_USERS) expect(checkPasswordPolicy(u.password, u.login)).toBeNull();
  });

  it('are created with their documented passwords, audited, and each signs in with its role', async () => {
    const { service: s, audit } = service();
    expect(await seedDemoUsers(s)).toEqual(DEMO_USERS.map((u) => u.login));
    expect(audit.entries.map((e) => [e.actor, e.action])).toEqual(
      DEMO_USERS.map(() => ['estate', 'identity.createPerson']),
    );
    for (const u of DEMO_USERS) {
      const { person } = await s.signIn({ login: u.login, password: u.password });
      expect(person).toMatchObject({ roles: u.roles, clients: u.clients, source: 'local', disabled: false });
    }
    expect((await s.listAccounts()).every((a) => !a.totpEnrolled)).toBe(true);
  });

  it('a second start leaves them as the trainees left them', async () => {
    const first = service();
    await seedDemoUsers(first.service);
    await first.service.setPassword({ kind: 'system', name: 'test' }, 'operator', 'changed by a trainee');
    const again = service(first.store);
    expect(await seedDemoUsers(again.service)).toEqual([]);
    await expect(
      again.service.signIn({ login: 'operator', password: 'training-operator' }),
    ).rejects.toMatchObject({
      code: 'BAD_CREDENTIALS',
    });
    expect(
      (await again.service.signIn({ login: 'operator', password: 'changed by a trainee' })).person.id,
    ).toBe('operator');
  });
});
