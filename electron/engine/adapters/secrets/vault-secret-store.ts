/**
 * The vault: one file, `secrets.vault` in the engine's data folder, versioned JSON in which each
 * value is sealed with AES-256-GCM under a 32-byte data key, with a fresh 12-byte IV per value and
 * the secret's name as additional authenticated data, so a value copied under another name fails
 * to decrypt instead of becoming that other secret (NIST SP 800-38D; RFC 5116).
 *
 * A key-check value (a constant sealed under the same key) is written with the vault: opening it
 * with the wrong key fails with a message naming the file, even when it holds no secret yet, and
 * never reads as an empty vault.
 *
 * Writes are atomic (temporary file in the same folder, fsync, rename, fsync of the folder), mode
 * 0600, and serialised: within the process by a queue, across processes (the CLI beside a running
 * engine) by an exclusive lock file.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import {
  MAX_SECRET_VALUE_BYTES,
  SECRET_NAME_PATTERN,
  SecretStoreError,
  type SecretStore,
  type StoredSecretInfo,
} from '../../ports/secret-store';

/** The vault's file name inside the data folder. */
export const VAULT_FILE = 'secrets.vault';
export const VAULT_FORMAT = 'vigie-vault';
export const VAULT_VERSION = 1;

/** A data key and where it came from (for messages: "the key file /x", "VIGIE_VAULT_KEY"). */
export interface VaultKey {
  readonly key: Buffer;
  readonly source: string;
}

/** Gives the data key; rejects with a message saying why there is none. */
export type VaultKeyProvider = () => Promise<VaultKey>;

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHECK_PLAINTEXT = 'vigie vault key check v1';
const CHECK_AAD = 'vigie-vault:v1:check';
const secretAad = (name: string): string => `vigie-vault:v1:secret:${name}`;

const b64 = z
  .string()
  .max(64 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealedSchema = z.object({ iv: b64, data: b64, tag: b64 });
const entrySchema = sealedSchema.extend({ updatedAt: z.number().int().nonnegative() });
const vaultSchema = z.object({
  format: z.literal(VAULT_FORMAT),
  version: z.literal(VAULT_VERSION),
  check: sealedSchema,
  // A Map, not a plain object: names come from the file and must not reach a prototype.
  secrets: z.record(z.string(), entrySchema).transform((r) => new Map(Object.entries(r))),
});
type Sealed = z.infer<typeof sealedSchema>;
type Entry = z.infer<typeof entrySchema>;
interface VaultDoc {
  /** Null for a vault not written yet. */
  readonly check: Sealed | null;
  readonly secrets: Map<string, Entry>;
}

/** Validates a secret name; the message quotes a name only when it is printable and short. */
export function checkSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name))
    throw new SecretStoreError(
      'INVALID',
      `${/^[\x20-\x7e]{1,80}$/.test(name) ? `"${name}"` : 'the name'} is not a valid secret name: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 characters`,
    );
}

function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** The plaintext, or null when the key, the AAD or the bytes do not match. */
function unseal(key: Buffer, sealed: Sealed, aad: string): string | null {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.byteLength !== IV_BYTES || tag.byteLength !== TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    // GCM reports every mismatch the same way ("unable to authenticate data"): null says it.
    return null;
  }
}

function errCode(err: unknown): string {
  return err instanceof Error && 'code' in err ? String(err.code) : 'error';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: unknown) {
    return errCode(err) === 'EPERM';
  }
}

export interface VaultSecretStoreOptions {
  /** The vault file (usually `<dataDir>/secrets.vault`). */
  readonly path: string;
  readonly key: VaultKeyProvider;
  readonly now?: () => number;
  /** How long a writer waits for another process's lock before giving up. */
  readonly lockWaitMs?: number;
}

export class VaultSecretStore implements SecretStore {
  readonly location: string;
  private readonly keyProvider: VaultKeyProvider;
  private readonly now: () => number;
  private readonly lockWaitMs: number;
  private keyPromise: Promise<VaultKey> | null = null;
  private cache: { stamp: string; doc: VaultDoc } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: VaultSecretStoreOptions) {
    this.location = options.path;
    this.keyProvider = options.key;
    this.now = options.now ?? Date.now;
    this.lockWaitMs = options.lockWaitMs ?? 5_000;
  }

  /** The vault in a data folder. */
  static inDataDir(dataDir: string, key: VaultKeyProvider): VaultSecretStore {
    return new VaultSecretStore({ path: join(dataDir, VAULT_FILE), key });
  }

  /**
   * Opens the vault once (file, key, key check): rejects with the reason it cannot be used.
   * `exists: false` for a vault not created yet (no key was asked for).
   */
  async check(): Promise<{ exists: boolean; secrets: number }> {
    const { doc, key } = await this.read();
    return { exists: key !== null, secrets: doc.secrets.size };
  }

  async list(): Promise<StoredSecretInfo[]> {
    const { doc } = await this.read();
    return [...doc.secrets]
      .map(([name, e]) => ({ name, updatedAt: e.updatedAt }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async get(name: string): Promise<string | null> {
    checkSecretName(name);
    const { doc, key } = await this.read();
    const entry = doc.secrets.get(name);
    if (!entry || key === null) return null;
    const value = unseal(key.key, entry, secretAad(name));
    if (value === null)
      throw new SecretStoreError(
        'LOCKED',
        `the secret "${name}" in ${this.location} does not decrypt: it was altered or moved from another name`,
      );
    return value;
  }

  async set(name: string, value: string): Promise<StoredSecretInfo> {
    checkSecretName(name);
    if (value === '') throw new SecretStoreError('INVALID', `the value of "${name}" is empty`);
    if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_VALUE_BYTES)
      throw new SecretStoreError(
        'INVALID',
        `the value of "${name}" is longer than ${MAX_SECRET_VALUE_BYTES} bytes`,
      );
    return await this.mutate((doc, key) => {
      const updatedAt = this.now();
      doc.secrets.set(name, { ...seal(key.key, value, secretAad(name)), updatedAt });
      return { result: { name, updatedAt }, changed: true };
    });
  }

  async delete(name: string): Promise<boolean> {
    checkSecretName(name);
    return await this.mutate((doc) => {
      const had = doc.secrets.delete(name);
      return { result: had, changed: had };
    });
  }

  private key(): Promise<VaultKey> {
    if (this.keyPromise === null) {
      const pending = this.keyProvider().then((k) => {
        if (k.key.byteLength !== KEY_BYTES)
          throw new SecretStoreError('LOCKED', `the vault key from ${k.source} is not ${KEY_BYTES} bytes`);
        return k;
      });
      // A failed key (no keyring yet, a key file fixed by the operator) is asked again next time.
      pending.catch(() => {
        if (this.keyPromise === pending) this.keyPromise = null;
      });
      this.keyPromise = pending;
    }
    return this.keyPromise;
  }

  private async keyOrLocked(): Promise<VaultKey> {
    try {
      return await this.key();
    } catch (err: unknown) {
      if (err instanceof SecretStoreError) throw err;
      throw new SecretStoreError(
        'LOCKED',
        `the vault ${this.location} cannot be opened: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }

  /**
   * The vault as on disk, its key checked. An absent file is a new, empty vault: reading one asks
   * for no key (a key file is created only when the first secret is stored); writing one does.
   */
  private async read(): Promise<{ doc: VaultDoc; key: VaultKey | null }> {
    let stamp: string;
    try {
      const s = await stat(this.location);
      stamp = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (err: unknown) {
      if (errCode(err) === 'ENOENT') {
        this.cache = null;
        return { doc: { check: null, secrets: new Map() }, key: null };
      }
      throw new SecretStoreError('LOCKED', `the vault ${this.location} cannot be read (${errCode(err)})`, {
        cause: err,
      });
    }
    const key = await this.keyOrLocked();
    if (this.cache?.stamp === stamp) return { doc: this.cache.doc, key };
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (err: unknown) {
      throw new SecretStoreError('LOCKED', `the vault ${this.location} cannot be read (${errCode(err)})`, {
        cause: err,
      });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new SecretStoreError('LOCKED', `the vault ${this.location} is damaged (not JSON)`);
    }
    const parsed = vaultSchema.safeParse(raw);
    if (!parsed.success) {
      const version = (raw as { version?: unknown } | null)?.version;
      throw new SecretStoreError(
        'LOCKED',
        typeof version === 'number' && version !== VAULT_VERSION
          ? `the vault ${this.location} has format version ${version}; this Vigie reads version ${VAULT_VERSION}`
          : `the vault ${this.location} is damaged (${parsed.error.issues[0]?.path.join('.') || 'structure'})`,
      );
    }
    if (unseal(key.key, parsed.data.check, CHECK_AAD) !== CHECK_PLAINTEXT)
      throw new SecretStoreError(
        'LOCKED',
        `the vault ${this.location} cannot be opened with the key from ${key.source}: wrong key (or the file was altered)`,
      );
    for (const name of parsed.data.secrets.keys())
      if (!SECRET_NAME_PATTERN.test(name))
        throw new SecretStoreError(
          'LOCKED',
          `the vault ${this.location} is damaged (a secret name is invalid)`,
        );
    const doc: VaultDoc = { check: parsed.data.check, secrets: parsed.data.secrets };
    this.cache = { stamp, doc };
    return { doc, key };
  }

  private mutate<T>(change: (doc: VaultDoc, key: VaultKey) => { result: T; changed: boolean }): Promise<T> {
    const run = this.queue.then(async () => {
      const unlock = await this.lock();
      try {
        const { doc, key: known } = await this.read();
        const key = known ?? (await this.keyOrLocked());
        // A copy: a failed write must not leave the cache ahead of the disk.
        const next: VaultDoc = {
          check: doc.check ?? seal(key.key, CHECK_PLAINTEXT, CHECK_AAD),
          secrets: new Map(doc.secrets),
        };
        const { result, changed } = change(next, key);
        if (changed) await this.write(next);
        return result;
      } finally {
        await unlock();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(doc: VaultDoc): Promise<void> {
    const text = `${JSON.stringify(
      {
        format: VAULT_FORMAT,
        version: VAULT_VERSION,
        check: doc.check,
        secrets: Object.fromEntries([...doc.secrets].sort(([a], [b]) => (a < b ? -1 : 1))),
      },
      null,
      1,
    )}\n`;
    const dir = dirname(this.location);
    const tmp = join(dir, `.${basename(this.location)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.chmod(0o600);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.location);
      // The rename itself must survive a crash: sync the folder's entry (not possible on Windows).
      if (process.platform !== 'win32') {
        const d = await open(dir, 'r');
        try {
          await d.sync();
        } finally {
          await d.close();
        }
      }
    } catch (err: unknown) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw new SecretStoreError(
        'WRITE_FAILED',
        `the vault ${this.location} could not be written (${errCode(err)})`,
        {
          cause: err,
        },
      );
    }
    this.cache = null;
  }

  /** An exclusive lock file beside the vault; a lock left by a dead process is taken over. */
  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.location}.lock`;
    const deadline = Date.now() + this.lockWaitMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      try {
        const handle = await open(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
        try {
          await handle.writeFile(String(process.pid));
        } finally {
          await handle.close();
        }
        return () => rm(lockPath, { force: true });
      } catch (err: unknown) {
        if (errCode(err) !== 'EEXIST')
          throw new SecretStoreError(
            'WRITE_FAILED',
            `the vault lock ${lockPath} cannot be created (${errCode(err)})`,
            {
              cause: err,
            },
          );
      }
      const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isSafeInteger(holder) && holder > 0 && !isAlive(holder)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() >= deadline)
        throw new SecretStoreError(
          'WRITE_FAILED',
          `the vault ${this.location} is being changed by another process${holder > 0 ? ` (pid ${holder})` : ''}; try again (or remove ${lockPath} if no Vigie process runs)`,
        );
      // Waiting for another process: no event to wait on, so poll the lock with a short backoff.
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
