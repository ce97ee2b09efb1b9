/**
 * The engine's own encrypted secret store (the vault): SNMP communities, v3 passphrases, SSH keys,
 * SMTP passwords and API tokens that an operator gives Vigie rather than the environment or a
 * file. The inventory names a stored secret with a `vault:NAME` reference; the value never leaves
 * the engine except to the adapter that needs it.
 */

/**
 * A secret's name: lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit,
 * at most 64 characters (it is written into references such as `vault:dc1-ups.community`).
 */
export const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The largest value the vault accepts, in UTF-8 bytes (an SSH private key fits with room). */
export const MAX_SECRET_VALUE_BYTES = 16 * 1024;

/** What `list` tells about a stored secret: never its value. */
export interface StoredSecretInfo {
  readonly name: string;
  /** When the value was last set (ms since the epoch, UTC). */
  readonly updatedAt: number;
}

export type SecretStoreErrorCode =
  /** The name does not match {@link SECRET_NAME_PATTERN}, or the value is empty or too long. */
  | 'INVALID'
  /** No secret of that name. */
  | 'NOT_FOUND'
  /** The vault cannot be opened: wrong key, damaged or unreadable file, no key available. */
  | 'LOCKED'
  /** The vault could not be written. */
  | 'WRITE_FAILED';

/** Errors of the vault. Their message names the vault file and the secret, never a value. */
export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
  constructor(
    readonly code: SecretStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SecretStore {
  /** Where the vault lives, for messages (`/var/lib/vigie/secrets.vault`). */
  readonly location: string;
  /** Stores (or replaces) a value; resolves once it is on disk. */
  set(name: string, value: string): Promise<StoredSecretInfo>;
  /** Removes a value; resolves false when there was none of that name. */
  delete(name: string): Promise<boolean>;
  /** Names and dates, sorted by name; never values. */
  list(): Promise<StoredSecretInfo[]>;
  /** The value, or null when there is none of that name. @throws SecretStoreError LOCKED */
  get(name: string): Promise<string | null>;
}
