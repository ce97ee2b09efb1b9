import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretStoreError } from '../../ports/secret-store';
import { VAULT_FILE, VaultSecretStore, type VaultKeyProvider } from './vault-secret-store';

const keyOf =
  (key: Buffer, source = 'the test key'): VaultKeyProvider =>
  () =>
    Promise.resolve({ key, source });

describe('VaultSecretStore', () => {
  let dir = '';
  let path = '';
  const key = randomBytes(32);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-vault-'));
    path = join(dir, VAULT_FILE);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores values encrypted, lists names and dates only, and reads them back after a reopen', async () => {
    let now = 1_700_000_000_000;
    const vault = new VaultSecretStore({ path, key: keyOf(key), now: () => now });
    expect(await vault.list()).toEqual([]);
    await vault.set('ups.community', 'pr1vate-c0mmunity');
    now += 1000;
    await vault.set('a-switch.ssh-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n');
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('pr1vate-c0mmunity');
    expect(text).not.toContain('OPENSSH');
    expect(JSON.parse(text)).toMatchObject({ format: 'vigie-vault', version: 1 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const reopened = new VaultSecretStore({ path, key: keyOf(key) });
    expect(await reopened.list()).toEqual([
      { name: 'a-switch.ssh-key', updatedAt: 1_700_000_001_000 },
      { name: 'ups.community', updatedAt: 1_700_000_000_000 },
    ]);
    expect(await reopened.get('ups.community')).toBe('pr1vate-c0mmunity');
    expect(await reopened.get('nope')).toBeNull();
    expect(await reopened.delete('ups.community')).toBe(true);
    expect(await reopened.delete('ups.community')).toBe(false);
    expect(await vault.get('ups.community')).toBeNull();
    // No temporary file or lock is left behind.
    expect((await readdir(dir)).sort()).toEqual([VAULT_FILE]);
  });

  it('uses a fresh IV for every value: the same value twice seals differently', async () => {
    const vault = new VaultSecretStore({ path, key: keyOf(key) });
    await vault.set('one', 'same-value');
    await vault.set('two', 'same-value');
    const doc = JSON.parse(await readFile(path, 'utf8')) as {
      secrets: Record<string, { iv: string; data: string }>;
    };
    expect(Buffer.from(doc.secrets['one']!.iv, 'base64')).toHaveLength(12);
    expect(doc.secrets['one']!.iv).not.toBe(doc.secrets['two']!.iv);
    expect(doc.secrets['one']!.data).not.toBe(doc.secrets['two']!.data);
  });

  it('refuses a value moved under another name (the name is authenticated data)', async () => {
    const vault = new VaultSecretStore({ path, key: keyOf(key) });
    await vault.set('victim', 'the-real-secret');
    await vault.set('attacker', 'harmless');
    const doc = JSON.parse(await readFile(path, 'utf8')) as { secrets: Record<string, unknown> };
    doc.secrets['attacker'] = doc.secrets['victim'];
    await writeFile(path, JSON.stringify(doc));
    const err = await new VaultSecretStore({ path, key: keyOf(key) })
      .get('attacker')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreError);
    expect(err).toMatchObject({ code: 'LOCKED' });
    expect((err as Error).message).toContain('attacker');
    expect((err as Error).message).not.toContain('the-real-secret');
  });

  it('with the wrong key: a clear error naming the file, never an empty vault, even with no secret in it', async () => {
    await new VaultSecretStore({ path, key: keyOf(key) }).set('x', 'v');
    await new VaultSecretStore({ path, key: keyOf(key) }).delete('x');
    const wrong = new VaultSecretStore({ path, key: keyOf(randomBytes(32), 'VIGIE_VAULT_KEY') });
    for (const attempt of [
      () => wrong.list(),
      () => wrong.get('x'),
      () => wrong.set('y', 'z'),
      () => wrong.check(),
    ]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretStoreError);
      expect((err as Error).message).toContain(path);
      expect((err as Error).message).toContain('wrong key');
      expect((err as Error).message).toContain('VIGIE_VAULT_KEY');
    }
    // The refused write left the file as it was.
    expect(await new VaultSecretStore({ path, key: keyOf(key) }).list()).toEqual([]);
  });

  it('reports a damaged file, a newer format and a failing key provider by the vault name', async () => {
    await writeFile(path, '{"format":"vigie-vault"');
    await expect(new VaultSecretStore({ path, key: keyOf(key) }).list()).rejects.toThrow(
      `the vault ${path} is damaged`,
    );
    await writeFile(path, JSON.stringify({ format: 'vigie-vault', version: 7, check: {}, secrets: {} }));
    await expect(new VaultSecretStore({ path, key: keyOf(key) }).list()).rejects.toThrow('format version 7');
    const failing = new VaultSecretStore({
      path,
      key: () => Promise.reject(new Error('no keyring available')),
    });
    await expect(failing.list()).rejects.toThrow(`the vault ${path} cannot be opened: no keyring available`);
    await expect(new VaultSecretStore({ path, key: keyOf(randomBytes(16)) }).list()).rejects.toThrow(
      'not 32 bytes',
    );
  });

  it('validates names and values and never echoes a value in its errors', async () => {
    const vault = new VaultSecretStore({ path, key: keyOf(key) });
    for (const bad of ['', 'Upper', '-lead', 'a/b', 'a:b', 'x'.repeat(65), '__proto__', 'a b'])
      await expect(async () => vault.set(bad, 'v')).rejects.toMatchObject({ code: 'INVALID' });
    await expect(async () => vault.set('ok', '')).rejects.toMatchObject({ code: 'INVALID' });
    const big = 's'.repeat(16 * 1024 + 1);
    const err = await (async () => vault.set('ok', big))().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID' });
    expect((err as Error).message.length).toBeLessThan(200);
    await vault.set('x'.repeat(64), 's'.repeat(16 * 1024));
    expect(await vault.get('x'.repeat(64))).toHaveLength(16 * 1024);
  });

  it('serialises concurrent writers in one process: no update is lost', async () => {
    const vault = new VaultSecretStore({ path, key: keyOf(key) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.set(`s${i}`, `v${i}`)));
    const names = (await new VaultSecretStore({ path, key: keyOf(key) }).list()).map((s) => s.name);
    expect(names).toHaveLength(20);
  });

  it('waits for another process holding the lock, takes over a lock left by a dead process', async () => {
    const vault = new VaultSecretStore({ path, key: keyOf(key), lockWaitMs: 100 });
    // The parent process (the test runner) is alive: its lock is respected.
    await writeFile(`${path}.lock`, String(process.ppid));
    await expect(vault.set('a', 'b')).rejects.toThrow(
      `being changed by another process (pid ${process.ppid})`,
    );
    // A pid that cannot exist (above the kernel's pid_max) is a dead holder.
    await writeFile(`${path}.lock`, '999999999');
    await vault.set('a', 'b');
    expect(await vault.get('a')).toBe('b');
  });

  it('picks up a change made by another process (the CLI beside the engine)', async () => {
    const engine = new VaultSecretStore({ path, key: keyOf(key) });
    const cli = new VaultSecretStore({ path, key: keyOf(key) });
    await cli.set('token', 'first');
    expect(await engine.get('token')).toBe('first');
    await cli.set('token', 'rotated');
    expect(await engine.get('token')).toBe('rotated');
  });
});
