import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopVaultKey, WRAPPED_KEY_FILE, type SafeStorageLike } from './vault-key';

/**
 * A stand-in for Electron's safeStorage: "encrypts" by XOR with a per-keyring secret and a tag,
 * so another keyring (another user, a reset keyring) cannot decrypt, as the real one cannot.
 */
function fakeSafeStorage(
  options: { available?: boolean; backend?: string; keyring?: number } = {},
): SafeStorageLike & { encrypted: string[] } {
  const secret = options.keyring ?? 1;
  const encrypted: string[] = [];
  return {
    encrypted,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      encrypted.push(plain);
      return Buffer.from(
        `v10:${secret}:${Buffer.from(Buffer.from(plain).map((b) => b ^ 0x5a)).toString('base64')}`,
      );
    },
    decryptString(buf) {
      const [tag, ring, body] = buf.toString().split(':');
      if (tag !== 'v10' || Number(ring) !== secret) throw new Error('Error while decrypting the ciphertext');
      return Buffer.from(body ?? '', 'base64')
        .map((b) => b ^ 0x5a)
        .toString();
    },
  };
}

describe('desktopVaultKey', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-desktop-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 32-byte key wrapped by safeStorage (never in clear on disk) and unwraps the same key later', async () => {
    const safeStorage = fakeSafeStorage();
    const first = desktopVaultKey({ safeStorage, dir, platform: 'linux' });
    if (!('key' in first)) throw new Error(first.unavailable);
    expect(Buffer.from(first.key, 'base64')).toHaveLength(32);
    const onDisk = await readFile(join(dir, WRAPPED_KEY_FILE), 'utf8');
    expect(onDisk).not.toContain(first.key);
    if (process.platform !== 'win32')
      expect((await stat(join(dir, WRAPPED_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(desktopVaultKey({ safeStorage, dir, platform: 'linux' })).toEqual({ key: first.key });
    expect(safeStorage.encrypted).toHaveLength(1);
    expect((await readdir(dir)).sort()).toEqual([WRAPPED_KEY_FILE]);
  });

  it('refuses the basic_text backend (a hard-coded password) and an unknown backend, with a clear message', async () => {
    for (const backend of ['basic_text', 'unknown']) {
      const result = desktopVaultKey({ safeStorage: fakeSafeStorage({ backend }), dir, platform: 'linux' });
      expect(result).toEqual({ unavailable: expect.stringContaining(`backend "${backend}"`) as string });
      expect((result as { unavailable: string }).unavailable).toContain('no keyring is running');
    }
    // Nothing was written: a key protected by basic_text would protect nothing.
    expect(await readdir(dir)).toEqual([]);
    // The backend question is Linux's; macOS and Windows have no basic_text fallback.
    expect(
      desktopVaultKey({ safeStorage: fakeSafeStorage({ backend: 'unknown' }), dir, platform: 'darwin' }),
    ).toHaveProperty('key');
  });

  it('refuses when encryption is unavailable', async () => {
    const result = desktopVaultKey({
      safeStorage: fakeSafeStorage({ available: false }),
      dir,
      platform: 'win32',
    });
    expect(result).toEqual({ unavailable: expect.stringContaining('safeStorage unavailable') as string });
    expect(await readdir(dir)).toEqual([]);
  });

  it('another keyring cannot unwrap the key: a clear reason naming the files, and the key is not replaced', async () => {
    desktopVaultKey({ safeStorage: fakeSafeStorage({ keyring: 1 }), dir, platform: 'linux' });
    const before = await readFile(join(dir, WRAPPED_KEY_FILE));
    const result = desktopVaultKey({ safeStorage: fakeSafeStorage({ keyring: 2 }), dir, platform: 'linux' });
    expect(result).toEqual({ unavailable: expect.stringContaining('cannot be unwrapped') as string });
    expect((result as { unavailable: string }).unavailable).toContain(join(dir, 'secrets.vault'));
    expect(await readFile(join(dir, WRAPPED_KEY_FILE))).toEqual(before);
  });

  it('never makes a new key for an existing vault whose wrapped key is missing', async () => {
    await writeFile(join(dir, 'secrets.vault'), '{}');
    const result = desktopVaultKey({ safeStorage: fakeSafeStorage(), dir, platform: 'linux' });
    expect(result).toEqual({ unavailable: expect.stringContaining('exists but its key') as string });
    expect(await readdir(dir)).toEqual(['secrets.vault']);
  });

  it('never throws: a folder it cannot write gives a reason', () => {
    const result = desktopVaultKey({
      safeStorage: fakeSafeStorage(),
      dir: join(dir, 'missing', 'folder'),
      platform: 'linux',
    });
    expect(result).toEqual({
      unavailable: expect.stringContaining('could not be prepared (ENOENT)') as string,
    });
  });
});
