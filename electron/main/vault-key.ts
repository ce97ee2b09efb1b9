/**
 * The desktop's vault key: 32 random bytes, kept in the user data folder wrapped by Electron's
 * safeStorage (the OS keychain, DPAPI, or libsecret/kwallet on Linux), unwrapped here in main and
 * handed to the engine in the host's `start` message. Never on a command line, never in a log.
 *
 * On Linux without a keyring, safeStorage falls back to `basic_text`: a hard-coded password, so
 * "encrypted" would mean readable by anyone who copies the folder. Then, as when encryption is
 * unavailable, there is no vault: the engine runs, and `vault:` references fail with this reason
 * (https://www.electronjs.org/docs/latest/api/safe-storage).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { VaultHandoff } from '../engine/host/host-protocol';

/** The part of Electron's `safeStorage` this uses (a fake in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?: () => string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The wrapped key's file in the user data folder. */
export const WRAPPED_KEY_FILE = 'secrets.key.safestorage';
/** The vault file the engine keeps in the same folder (electron/engine/adapters/secrets). */
const VAULT_FILE = 'secrets.vault';

export interface DesktopVaultKeyOptions {
  readonly safeStorage: SafeStorageLike;
  /** The user data folder (the engine's data folder on the desktop). */
  readonly dir: string;
  readonly platform: NodeJS.Platform;
}

function errText(err: unknown): string {
  if (err instanceof Error && 'code' in err) return String(err.code);
  return err instanceof Error ? err.message : String(err);
}

/** Why safeStorage cannot protect the key here, or null when it can. */
export function safeStorageRefusal(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | null {
  if (!safeStorage.isEncryptionAvailable())
    return 'the operating system offers no secret storage to Vigie (safeStorage unavailable): the vault is disabled; use env: or file: references, or run the engine headless with a key file';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown')
      return `no keyring is running (Electron safeStorage backend "${backend}", which protects nothing): the vault is disabled; start a Secret Service keyring (GNOME Keyring, KWallet) and restart Vigie`;
  }
  return null;
}

/**
 * The key to hand to the engine: unwrapped from the user data folder, or created there when
 * neither it nor the vault exists. Never throws: a refusal is the `unavailable` reason.
 */
export function desktopVaultKey(options: DesktopVaultKeyOptions): VaultHandoff {
  const { safeStorage, dir } = options;
  const wrappedPath = join(dir, WRAPPED_KEY_FILE);
  try {
    const refusal = safeStorageRefusal(safeStorage, options.platform);
    if (refusal !== null) return { unavailable: refusal };
    if (existsSync(wrappedPath)) {
      let key: string;
      try {
        key = safeStorage.decryptString(readFileSync(wrappedPath));
      } catch {
        return {
          unavailable: `the vault key ${wrappedPath} cannot be unwrapped by this account's keyring (another user, or the keyring was reset): the vault ${join(dir, VAULT_FILE)} stays locked`,
        };
      }
      if (Buffer.from(key, 'base64').byteLength !== 32)
        return { unavailable: `the vault key ${wrappedPath} is damaged` };
      return { key };
    }
    if (existsSync(join(dir, VAULT_FILE)))
      return {
        unavailable: `the vault ${join(dir, VAULT_FILE)} exists but its key ${wrappedPath} is missing: restore it from a backup; a new key cannot open the vault`,
      };
    const key = randomBytes(32).toString('base64');
    writeAtomically(wrappedPath, safeStorage.encryptString(key));
    return { key };
  } catch (err: unknown) {
    return { unavailable: `the vault key ${wrappedPath} could not be prepared (${errText(err)})` };
  }
}

function writeAtomically(path: string, data: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err: unknown) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
