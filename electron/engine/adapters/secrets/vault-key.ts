/**
 * Where the vault's 32-byte data key comes from when the engine runs under plain Node:
 *
 * - `VIGIE_VAULT_KEY`: base64 of 32 bytes (a systemd credential, a secret manager's injection);
 * - a key file (`VIGIE_VAULT_KEY_FILE`, default `<dataDir>/secrets.key`): 32 random bytes in
 *   base64, created with mode 0600 when neither it nor the vault exists, and refused when group or
 *   others may read it or when another account owns it, as OpenSSH refuses a private key;
 * - on the desktop, the key main keeps wrapped with Electron's safeStorage and hands to the engine
 *   when it starts it (electron/main/vault-key.ts): {@link handedVaultKey}.
 */
import { randomBytes } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { VAULT_FILE, type VaultKey, type VaultKeyProvider } from './vault-secret-store';

export const VAULT_KEY_ENV = 'VIGIE_VAULT_KEY';
export const VAULT_KEY_FILE_ENV = 'VIGIE_VAULT_KEY_FILE';
export const DEFAULT_KEY_FILE = 'secrets.key';
const KEY_BYTES = 32;

/** A key refused or missing; the message says what to do and never holds key material. */
export class VaultKeyError extends Error {
  override readonly name = 'VaultKeyError';
}

/** Decodes base64 of exactly 32 bytes; `source` names where it came from in the error. */
export function decodeVaultKey(text: string, source: string): VaultKey {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Node's decoder skips what is not base64: re-encoding tells a real key from garbage.
  if (
    !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ||
    key.byteLength !== KEY_BYTES ||
    key.toString('base64') !== trimmed
  )
    throw new VaultKeyError(
      `${source} must hold the base64 of ${KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`)`,
    );
  return { key, source };
}

/** A fresh data key, base64 (what a key file holds). */
export function newVaultKeyText(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function errCode(err: unknown): string {
  return err instanceof Error && 'code' in err ? String(err.code) : 'error';
}

/** The key from `VIGIE_VAULT_KEY`. */
export function envVaultKey(env: NodeJS.ProcessEnv): VaultKeyProvider {
  return () => {
    const text = env[VAULT_KEY_ENV];
    if (text === undefined || text === '')
      return Promise.reject(new VaultKeyError(`${VAULT_KEY_ENV} is not set`));
    try {
      return Promise.resolve(decodeVaultKey(text, VAULT_KEY_ENV));
    } catch (err: unknown) {
      return Promise.reject(err instanceof Error ? err : new VaultKeyError(String(err)));
    }
  };
}

/** The key handed over by the process that started the engine (the desktop's main process). */
export function handedVaultKey(keyBase64: string, source: string): VaultKeyProvider {
  const key = decodeVaultKey(keyBase64, source);
  return () => Promise.resolve(key);
}

/** A provider that always fails with the reason the key is unavailable (no keyring...). */
export function unavailableVaultKey(reason: string): VaultKeyProvider {
  return () => Promise.reject(new VaultKeyError(reason));
}

export interface KeyFileOptions {
  /** The key file. */
  readonly path: string;
  /** The vault it opens: a missing key is only created for a vault that does not exist yet. */
  readonly vaultPath: string;
  /** This process's uid (tests); default process.getuid(). Undefined where there are none (Windows). */
  readonly uid?: number | undefined;
}

/**
 * The key in a key file, created when absent (and the vault is new). Refused when it is not a
 * regular file, when its mode lets group or others read it, or when another account owns it.
 */
export function keyFileVaultKey(options: KeyFileOptions): VaultKeyProvider {
  const uid = 'uid' in options ? options.uid : process.getuid?.();
  const path = options.path;
  return async () => {
    let handle;
    try {
      handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (err: unknown) {
      const code = errCode(err);
      if (code === 'ELOOP')
        throw new VaultKeyError(`the vault key file ${path} is a symbolic link; give the file itself`);
      if (code !== 'ENOENT') throw new VaultKeyError(`the vault key file ${path} cannot be read (${code})`);
      if (existsSync(options.vaultPath))
        throw new VaultKeyError(
          `the vault ${options.vaultPath} exists but its key file ${path} is missing: restore the key file (or set ${VAULT_KEY_ENV}); a new key cannot open it`,
        );
      return createKeyFile(path);
    }
    try {
      const s = await handle.stat();
      if (!s.isFile()) throw new VaultKeyError(`the vault key file ${path} is not a regular file`);
      if (uid !== undefined) {
        if (s.uid !== uid)
          throw new VaultKeyError(
            `the vault key file ${path} is owned by uid ${s.uid}, not by this service account (uid ${uid}); it must be readable only by the service account`,
          );
        if ((s.mode & 0o077) !== 0)
          throw new VaultKeyError(
            `the vault key file ${path} has mode ${(s.mode & 0o777).toString(8).padStart(4, '0')}: it must be readable only by the service account (chmod 600 ${path})`,
          );
      }
      const text = await handle.readFile('utf8');
      return decodeVaultKey(text, `the key file ${path}`);
    } finally {
      await handle.close();
    }
  };
}

async function createKeyFile(path: string): Promise<VaultKey> {
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (err: unknown) {
    throw new VaultKeyError(`the vault key file ${path} cannot be created (${errCode(err)})`);
  }
  const text = newVaultKeyText();
  try {
    await handle.writeFile(`${text}\n`, 'utf8');
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return decodeVaultKey(text, `the key file ${path}`);
}

/**
 * The key provider of a headless engine or the CLI: `VIGIE_VAULT_KEY` when set, else the key
 * file named by `VIGIE_VAULT_KEY_FILE`, else `<dataDir>/secrets.key`.
 */
export function headlessVaultKey(dataDir: string, env: NodeJS.ProcessEnv): VaultKeyProvider {
  if (env[VAULT_KEY_ENV] !== undefined && env[VAULT_KEY_ENV] !== '') return envVaultKey(env);
  const named = env[VAULT_KEY_FILE_ENV];
  const path =
    named !== undefined && named !== ''
      ? isAbsolute(named)
        ? named
        : resolve(named)
      : join(dataDir, DEFAULT_KEY_FILE);
  return keyFileVaultKey({ path, vaultPath: join(dataDir, VAULT_FILE) });
}
