/**
 * The AccountStore contract, run against every implementation (the DuckDB adapter and the
 * in-memory store the service tests use), so the two cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import type { Person } from '../../../../../shared/domain/identity';
import type { AccountRecord, AccountStore, SessionRecord } from '../../../ports/account-store';

const never = (): AbortSignal => new AbortController().signal;

export function person(id: string, extra: Partial<Person> = {}): Person {
  return {
    id,
    displayName: `Person ${id}`,
    roles: ['operator'],
    clients: ['*'],
    source: 'local',
    disabled: false,
    ...extra,
  };
}

export function account(id: string, extra: Partial<AccountRecord> = {}): AccountRecord {
  return {
    person: person(id),
    passwordHash: '$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    totp: null,
    pendingTotp: null,
    failedAttempts: 0,
    lockedUntil: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    ...extra,
  };
}

export function session(hash: string, personId: string, extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    tokenHash: hash,
    personId,
    createdAt: 1_000,
    lastSeenAt: 1_000,
    expiresAt: 100_000,
    lockedAt: null,
    ...extra,
  };
}

export function describeAccountStore(name: string, open: () => Promise<AccountStore>): void {
  describe(`AccountStore contract: ${name}`, () => {
    it('creates an account once, reads it back exactly, lists by id', async () => {
      const store = await open();
      try {
        const b = account('bob', {
          person: person('bob', {
            roles: ['viewer', 'admin'],
            clients: ['ehealth', 'employer'],
            disabled: true,
          }),
          totp: { secret: 'JBSWY3DPEHPK3PXP', lastUsedStep: 57_000_000 },
          pendingTotp: { secret: 'KRSXG5CTMVRXEZLU', createdAt: 2_000 },
          failedAttempts: 3,
          lockedUntil: 9_999_999_999_999,
        });
        expect(await store.create(b, never())).toBe(true);
        expect(await store.create(account('alice'), never())).toBe(true);
        expect(await store.create(account('bob', { failedAttempts: 1 }), never())).toBe(false);
        expect(await store.get('bob', never())).toEqual(b);
        expect(await store.get('carol', never())).toBeNull();
        expect((await store.list(never())).map((r) => r.person.id)).toEqual(['alice', 'bob']);
      } finally {
        await store.close();
      }
    });

    it('updates only an existing account', async () => {
      const store = await open();
      try {
        expect(await store.update(account('ghost'), never())).toBe(false);
        expect(await store.get('ghost', never())).toBeNull();
        await store.create(account('alice'), never());
        const changed = account('alice', {
          passwordHash: null,
          failedAttempts: 5,
          lockedUntil: 5_000,
          updatedAt: 2_000,
        });
        expect(await store.update(changed, never())).toBe(true);
        expect(await store.get('alice', never())).toEqual(changed);
      } finally {
        await store.close();
      }
    });

    it('spends a TOTP step once, and never one at or before the last', async () => {
      const store = await open();
      try {
        await store.create(
          account('alice', { totp: { secret: 'JBSWY3DPEHPK3PXP', lastUsedStep: null } }),
          never(),
        );
        await store.create(account('nototp'), never());
        expect(await store.useTotpStep('alice', 100, never())).toBe(true);
        expect(await store.useTotpStep('alice', 100, never())).toBe(false);
        expect(await store.useTotpStep('alice', 99, never())).toBe(false);
        expect(await store.useTotpStep('alice', 101, never())).toBe(true);
        expect((await store.get('alice', never()))?.totp?.lastUsedStep).toBe(101);
        expect(await store.useTotpStep('nototp', 5, never())).toBe(false);
        expect(await store.useTotpStep('ghost', 5, never())).toBe(false);
      } finally {
        await store.close();
      }
    });

    it('keeps sessions by hash; an update never brings back a deleted one', async () => {
      const store = await open();
      try {
        await store.createSession(session('h1', 'alice'), never());
        await store.createSession(session('h2', 'alice'), never());
        await store.createSession(session('h3', 'bob'), never());
        expect(await store.getSession('h1', never())).toEqual(session('h1', 'alice'));
        const locked = session('h1', 'alice', { lastSeenAt: 5_000, lockedAt: 5_000 });
        expect(await store.updateSession(locked, never())).toBe(true);
        expect(await store.getSession('h1', never())).toEqual(locked);
        await store.deleteSession('h3', never());
        expect(await store.updateSession(session('h3', 'bob'), never())).toBe(false);
        expect(await store.getSession('h3', never())).toBeNull();
        expect(await store.deleteSessionsOf('alice', never())).toBe(2);
        expect(await store.getSession('h2', never())).toBeNull();
        expect(await store.deleteSessionsOf('alice', never())).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('purges sessions past their end or idle since the cut, and no other', async () => {
      const store = await open();
      try {
        await store.createSession(session('over', 'a', { lastSeenAt: 9_000, expiresAt: 10_000 }), never());
        await store.createSession(session('idle', 'a', { lastSeenAt: 4_000 }), never());
        await store.createSession(session('live', 'a', { lastSeenAt: 6_000 }), never());
        expect(await store.purgeSessions(10_000, 5_000, never())).toBe(2);
        expect(await store.getSession('live', never())).not.toBeNull();
        expect(await store.getSession('over', never())).toBeNull();
        expect(await store.getSession('idle', never())).toBeNull();
      } finally {
        await store.close();
      }
    });
  });
}
