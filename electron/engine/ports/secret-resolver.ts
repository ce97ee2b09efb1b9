/**
 * Turns a secret reference from the inventory (`env:NAME`, `file:/path`, `vault:NAME`) into the secret, for
 * the adapter that needs it at the moment it needs it. Secrets are never logged, never put into
 * an error message, never sent to the renderer: errors name the reference, not the value.
 */
export interface SecretResolver {
  /** @throws SecretError when the reference cannot be resolved. */
  resolve(ref: string): Promise<string>;
}

export type SecretErrorCode = 'UNSUPPORTED' | 'NOT_SET' | 'UNREADABLE' | 'EMPTY';

export class SecretError extends Error {
  override readonly name = 'SecretError';
  constructor(
    readonly ref: string,
    readonly code: SecretErrorCode,
    message: string,
  ) {
    super(`secret ${ref}: ${message}`);
  }
}
