import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AesGcmTestSealer } from '../../services/identity/test-support/aes-gcm-sealer';
import {
  account,
  describeAccountStore,
  person,
  session,
} from '../../services/identity/test-support/account-store-contract';
import { UpstreamError } from '../../ports/upstream-error';
import { DuckDbAccountStore } from './duckdb-account-store';
import { holdDuckDbFile } from './test-support/hold-file';

const never = (): AbortSignal => new AbortController().signal;

describeAccountStore('DuckDB', () => DuckDbAccountStore.open(':memory:'));
describeAccountStore('DuckDB with a sealer', () =>
  DuckDbAccountStore.open(':memory:', { sealer: new AesGcmTestSealer() }),
);

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-identity-'));
  dirs.push(dir);
  return join(dir, 'identity.duckdb');
}

describe('DuckDbAccountStore', () => {
  it('loses nothing when the file is closed and opened again', async () => {
    const file = await tempFile();
    const sealer = new AesGcmTestSealer();
    const alice = account('alice', {
      person: person('alice', { roles: ['admin', 'operator'], clients: ['*'] }),
      totp: { secret: 'JBSWY3DPEHPK3PXP', lastUsedStep: 42 },
      failedAttempts: 2,
      lockedUntil: 123_456,
      updatedAt: 7_000,
    });
    const bob = account('bob', {
      person: person('bob', { clients: ['ehealth'], disabled: true }),
      passwordHash: null,
    });
    const s = session('a'.repeat(64), 'alice', { lockedAt: 3_000 });
    const first = await DuckDbAccountStore.open(file, { sealer });
    await first.create(alice, never());
    await first.create(bob, never());
    await first.createSession(s, never());
    expect(await first.useTotpStep('alice', 43, never())).toBe(true);
    await first.close();

    const second = await DuckDbAccountStore.open(file, { sealer });
    try {
      expect(await second.get('alice', never())).toEqual({
        ...alice,
        totp: { secret: 'JBSWY3DPEHPK3PXP', lastUsedStep: 43 },
      });
      expect(await second.get('bob', never())).toEqual(bob);
      expect(await second.getSession(s.tokenHash, never())).toEqual(s);
      expect(await second.useTotpStep('alice', 43, never())).toBe(false);
    } finally {
      await second.close();
    }
  });

  it('stores TOTP secrets sealed when given a sealer: not in the file, not openable without the key', async () => {
    const file = await tempFile();
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const sealer = new AesGcmTestSealer();
    const store = await DuckDbAccountStore.open(file, { sealer });
    await store.create(account('alice', { totp: { secret, lastUsedStep: null } }), never());
    expect(sealer.sealed).toBe(1);
    await store.close();
    const bytes = await readFile(file);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);

    const withoutKey = await DuckDbAccountStore.open(file);
    try {
      await expect(withoutKey.get('alice', never())).rejects.toMatchObject({ code: 'SEALED' });
    } finally {
      await withoutKey.close();
    }
    const otherKey = await DuckDbAccountStore.open(file, { sealer: new AesGcmTestSealer() });
    try {
      const err = await otherKey.get('alice', never()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect((err as UpstreamError).code).toBe('SEALED');
      expect((err as Error).message).not.toContain(secret);
    } finally {
      await otherKey.close();
    }
    const again = await DuckDbAccountStore.open(file, { sealer });
    try {
      expect((await again.get('alice', never()))?.totp?.secret).toBe(secret);
    } finally {
      await again.close();
    }
  });

  it('binds a sealed secret to its account: copied to another row, it does not open', async () => {
    const sealer = new AesGcmTestSealer();
    const store = await DuckDbAccountStore.open(':memory:', { sealer });
    try {
      await store.create(
        account('alice', { totp: { secret: 'JBSWY3DPEHPK3PXP', lastUsedStep: null } }),
        never(),
      );
      await store.create(account('mallory'), never());
      // What an attacker with write access to the file would do.
      const db = (store as unknown as { db: { connection: { run(sql: string): Promise<unknown> } } }).db;
      await db.connection.run(
        `UPDATE accounts SET totp_secret = (SELECT totp_secret FROM accounts WHERE id = 'alice') WHERE id = 'mallory'`,
      );
      await expect(store.get('mallory', never())).rejects.toMatchObject({ code: 'SEALED' });
    } finally {
      await store.close();
    }
  });

  it('keeps secrets readable without a sealer (plain), and seals them once one is given', async () => {
    const file = await tempFile();
    const plain = await DuckDbAccountStore.open(file);
    await plain.create(
      account('alice', { totp: { secret: 'JBSWY3DPEHPK3PXP', lastUsedStep: null } }),
      never(),
    );
    await plain.close();
    const sealer = new AesGcmTestSealer();
    const sealed = await DuckDbAccountStore.open(file, { sealer });
    try {
      const record = await sealed.get('alice', never());
      expect(record?.totp?.secret).toBe('JBSWY3DPEHPK3PXP');
      expect(sealer.opened).toBe(0);
      await sealed.update({ ...record!, updatedAt: 9_000 }, never());
      expect(sealer.sealed).toBe(1);
      expect((await sealed.get('alice', never()))?.totp?.secret).toBe('JBSWY3DPEHPK3PXP');
      expect(sealer.opened).toBe(1);
    } finally {
      await sealed.close();
    }
  });

  it('skips a row whose person no longer parses, rather than serving it half-read', async () => {
    const store = await DuckDbAccountStore.open(':memory:');
    try {
      await store.create(account('alice'), never());
      await store.create(account('bob'), never());
      const db = (store as unknown as { db: { connection: { run(sql: string): Promise<unknown> } } }).db;
      await db.connection.run(`UPDATE accounts SET person = '{"id":"bob","roles":[]}' WHERE id = 'bob'`);
      expect((await store.list(never())).map((r) => r.person.id)).toEqual(['alice']);
      expect(await store.get('bob', never())).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('says LOCKED when another engine holds the file', async () => {
    const file = await tempFile();
    const release = await holdDuckDbFile(file);
    try {
      await expect(DuckDbAccountStore.open(file)).rejects.toMatchObject({ code: 'LOCKED' });
    } finally {
      await release();
    }
  });
});
