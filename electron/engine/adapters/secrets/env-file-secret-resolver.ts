/**
 * Secrets from the engine's environment (`env:NAME`), from files (`file:/path`, one trailing
 * newline dropped, as `echo` and editors leave one) or from the engine's encrypted vault
 * (`vault:NAME`). File reads are cached for a short time so a poller of thousands of devices does
 * not read the same file on every poll, while a rotated secret is still picked up within a
 * minute; the vault re-reads its file only when it changed, so `vigie secrets set` applies at once.
 */
import { readFile } from 'node:fs/promises';
import { SecretError, type SecretResolver } from '../../ports/secret-resolver';
import { SECRET_NAME_PATTERN, SecretStoreError, type SecretStore } from '../../ports/secret-store';

const FILE_CACHE_MS = 60_000;
const MAX_SECRET_BYTES = 64 * 1024;

export class EnvFileSecretResolver implements SecretResolver {
  private readonly files = new Map<string, { value: string; readAt: number }>();

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => number = Date.now,
    /** The vault behind `vault:` references; null where there is none (they are then refused). */
    private readonly vault: SecretStore | null = null,
  ) {}

  async resolve(ref: string): Promise<string> {
    if (ref.startsWith('env:')) {
      const value = this.env[ref.slice(4)];
      if (value === undefined) throw new SecretError(ref, 'NOT_SET', 'the environment variable is not set');
      if (value === '') throw new SecretError(ref, 'EMPTY', 'the environment variable is empty');
      return value;
    }
    if (ref.startsWith('file:/')) {
      const path = ref.slice(5);
      const cached = this.files.get(path);
      if (cached && this.now() - cached.readAt < FILE_CACHE_MS) return cached.value;
      let buf: Buffer;
      try {
        buf = await readFile(path);
      } catch (err: unknown) {
        const code = err instanceof Error && 'code' in err ? String(err.code) : 'error';
        throw new SecretError(ref, 'UNREADABLE', `cannot be read (${code})`);
      }
      if (buf.byteLength > MAX_SECRET_BYTES)
        throw new SecretError(ref, 'UNREADABLE', `larger than ${MAX_SECRET_BYTES} bytes`);
      const value = buf.toString('utf8').replace(/\r?\n$/, '');
      if (value === '') throw new SecretError(ref, 'EMPTY', 'the file is empty');
      this.files.set(path, { value, readAt: this.now() });
      return value;
    }
    if (ref.startsWith('vault:')) return this.fromVault(ref, ref.slice(6));
    throw new SecretError(ref, 'UNSUPPORTED', 'unknown scheme (env:, file: or vault: expected)');
  }

  private async fromVault(ref: string, name: string): Promise<string> {
    if (!SECRET_NAME_PATTERN.test(name))
      throw new SecretError(ref, 'UNSUPPORTED', 'not a valid vault secret name');
    if (this.vault === null) throw new SecretError(ref, 'UNREADABLE', 'this engine has no vault');
    let value: string | null;
    try {
      value = await this.vault.get(name);
    } catch (err: unknown) {
      // The vault's messages name its file and the reason (wrong key...), never a value.
      const reason = err instanceof SecretStoreError ? err.message : 'the vault cannot be read';
      throw new SecretError(ref, 'UNREADABLE', reason);
    }
    if (value === null)
      throw new SecretError(
        ref,
        'NOT_SET',
        `not in the vault ${this.vault.location} (vigie secrets set ${name})`,
      );
    if (value === '') throw new SecretError(ref, 'EMPTY', 'the stored value is empty');
    return value;
  }
}
