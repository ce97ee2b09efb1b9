import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretError } from '../../ports/secret-resolver';
import { EnvFileSecretResolver } from './env-file-secret-resolver';

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
    await expect(r.resolve('vault:x')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
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
