import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeVaultKey,
  envVaultKey,
  handedVaultKey,
  headlessVaultKey,
  keyFileVaultKey,
  VaultKeyError,
} from './vault-key';
import { VaultSecretStore } from './vault-secret-store';

const posix = process.platform !== 'win32';

describe('vault keys', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-vault-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes base64 of exactly 32 bytes and refuses anything else without echoing it', () => {
    const good = randomBytes(32).toString('base64');
    expect(decodeVaultKey(good, 'X').key).toHaveLength(32);
    expect(decodeVaultKey(`${good}\n`, 'X').key).toHaveLength(32);
    for (const bad of [
      '',
      'short',
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      `${good.slice(0, -4)}!!!!`,
    ]) {
      expect(() => decodeVaultKey(bad, 'VIGIE_VAULT_KEY')).toThrow(VaultKeyError);
      try {
        decodeVaultKey(bad, 'VIGIE_VAULT_KEY');
      } catch (err: unknown) {
        expect((err as Error).message).toContain('VIGIE_VAULT_KEY must hold the base64 of 32 random bytes');
        if (bad.length > 4) expect((err as Error).message).not.toContain(bad);
      }
    }
  });

  it('reads VIGIE_VAULT_KEY and says when it is missing or malformed', async () => {
    const text = randomBytes(32).toString('base64');
    expect((await envVaultKey({ VIGIE_VAULT_KEY: text })()).key.toString('base64')).toBe(text);
    await expect(envVaultKey({})()).rejects.toThrow('VIGIE_VAULT_KEY is not set');
    await expect(envVaultKey({ VIGIE_VAULT_KEY: 'bm90IGEga2V5' })()).rejects.toThrow('base64 of 32');
    expect(() => handedVaultKey('nope', 'the desktop key')).toThrow('the desktop key must hold');
  });

  it('creates a key file with mode 0600 when there is neither key nor vault, and reads the same key again', async () => {
    const path = join(dir, 'secrets.key');
    const provider = keyFileVaultKey({ path, vaultPath: join(dir, 'secrets.vault') });
    const first = await provider();
    if (posix) expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64')).toEqual(first.key);
    expect((await provider()).key).toEqual(first.key);
    expect(first.source).toBe(`the key file ${path}`);
  });

  it.runIf(posix)('refuses a key file that group or others may read, naming the fix', async () => {
    const path = join(dir, 'secrets.key');
    await writeFile(path, randomBytes(32).toString('base64'), { mode: 0o600 });
    for (const mode of [0o640, 0o604, 0o644]) {
      await chmod(path, mode);
      await expect(keyFileVaultKey({ path, vaultPath: join(dir, 'v') })()).rejects.toThrow(
        `has mode 0${mode.toString(8)}: it must be readable only by the service account (chmod 600 ${path})`,
      );
    }
    await chmod(path, 0o400);
    await expect(keyFileVaultKey({ path, vaultPath: join(dir, 'v') })()).resolves.toBeDefined();
  });

  it.runIf(posix)('refuses a key file owned by another account, and a symbolic link', async () => {
    const path = join(dir, 'secrets.key');
    await writeFile(path, randomBytes(32).toString('base64'), { mode: 0o600 });
    const me = process.getuid!();
    await expect(keyFileVaultKey({ path, vaultPath: join(dir, 'v'), uid: me + 1 })()).rejects.toThrow(
      `owned by uid ${me}, not by this service account (uid ${me + 1}); it must be readable only by the service account`,
    );
    const link = join(dir, 'link.key');
    await symlink(path, link);
    await expect(keyFileVaultKey({ path: link, vaultPath: join(dir, 'v') })()).rejects.toThrow(
      'symbolic link',
    );
  });

  it('never makes a new key for an existing vault whose key file went missing', async () => {
    const env = {};
    const vault = VaultSecretStore.inDataDir(dir, headlessVaultKey(dir, env));
    await vault.set('a', 'b');
    await rm(join(dir, 'secrets.key'));
    const again = VaultSecretStore.inDataDir(dir, headlessVaultKey(dir, env));
    const err = await again.list().catch((e: unknown) => e);
    expect((err as Error).message).toContain(
      `the vault ${join(dir, 'secrets.vault')} exists but its key file`,
    );
    await expect(stat(join(dir, 'secrets.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('headless: VIGIE_VAULT_KEY wins over VIGIE_VAULT_KEY_FILE, which wins over <dataDir>/secrets.key', async () => {
    const envKey = randomBytes(32);
    expect((await headlessVaultKey(dir, { VIGIE_VAULT_KEY: envKey.toString('base64') })()).key).toEqual(
      envKey,
    );
    const named = join(dir, 'elsewhere.key');
    const fromFile = await headlessVaultKey(dir, { VIGIE_VAULT_KEY_FILE: named })();
    expect(fromFile.source).toBe(`the key file ${named}`);
    expect((await headlessVaultKey(dir, {})()).source).toBe(`the key file ${join(dir, 'secrets.key')}`);
  });
});
