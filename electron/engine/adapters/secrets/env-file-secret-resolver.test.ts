import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretError } from '../../ports/secret-resolver';
import { EnvFileSecretResolver } from './env-file-secret-resolver';
import { VaultSecretStore } from './vault-secret-store';

describe('EnvFileSecretResolver', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-secret-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads env: references and refuses unset or empty variables by name, never by value', async () => {
    const r = new EnvFileSecretResolver({ UPS_AUTH: 's3cret-pass', EMPTY: '' });
    expect(await r.resolve('env:UPS_AUTH')).toBe('s3cret-pass');
    await expect(r.resolve('env:MISSING')).rejects.toMatchObject({ code: 'NOT_SET', ref: 'env:MISSING' });
    await expect(r.resolve('env:EMPTY')).rejects.toBeInstanceOf(SecretError);
    await expect(r.resolve('ldap:x')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(r.resolve('vault:x')).rejects.toMatchObject({ code: 'UNREADABLE', ref: 'vault:x' });
  });

  it('reads vault: references from the vault; a missing one or a locked vault is named by reference', async () => {
    const key = randomBytes(32);
    const path = join(dir, 'secrets.vault');
    const vault = new VaultSecretStore({ path, key: () => Promise.resolve({ key, source: 'k' }) });
    await vault.set('ups.v3-auth', 'auth-passphrase-123');
    const r = new EnvFileSecretResolver({}, Date.now, vault);
    expect(await r.resolve('vault:ups.v3-auth')).toBe('auth-passphrase-123');
    await vault.set('ups.v3-auth', 'rotated-passphrase');
    expect(await r.resolve('vault:ups.v3-auth')).toBe('rotated-passphrase');
    await expect(r.resolve('vault:missing')).rejects.toMatchObject({ code: 'NOT_SET', ref: 'vault:missing' });
    await expect(r.resolve('vault:Bad/Name')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const wrong = new VaultSecretStore({
      path,
      key: () => Promise.resolve({ key: randomBytes(32), source: 'k2' }),
    });
    const err = await new EnvFileSecretResolver({}, Date.now, wrong)
      .resolve('vault:ups.v3-auth')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect(err).toMatchObject({ code: 'UNREADABLE', ref: 'vault:ups.v3-auth' });
    expect((err as Error).message).toContain(`secret vault:ups.v3-auth: the vault ${path} cannot be opened`);
    expect((err as Error).message).not.toContain('passphrase-');
  });

  it('reads file: references without their trailing newline, and caches them for a minute', async () => {
    const file = join(dir, 'community');
    await writeFile(file, 'private-community\n');
    let now = 0;
    const r = new EnvFileSecretResolver({}, () => now);
    expect(await r.resolve(`file:${file}`)).toBe('private-community');
    await writeFile(file, 'rotated\n');
    now = 30_000;
    expect(await r.resolve(`file:${file}`)).toBe('private-community');
    now = 61_000;
    expect(await r.resolve(`file:${file}`)).toBe('rotated');
    const err = await r.resolve(`file:${join(dir, 'nope')}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNREADABLE' });
    expect(String((err as Error).message)).not.toContain('rotated');
  });
});
