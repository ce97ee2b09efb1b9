/**
 * Secrets from the engine's environment (`env:NAME`) or from files (`file:/path`, one trailing
 * newline dropped, as `echo` and editors leave one). File reads are cached for a short time so a
 * poller of thousands of devices does not read the same file on every poll, while a rotated
 * secret is still picked up within a minute.
 */
import { readFile } from 'node:fs/promises';
import { SecretError, type SecretResolver } from '../../ports/secret-resolver';

const FILE_CACHE_MS = 60_000;
const MAX_SECRET_BYTES = 64 * 1024;

export class EnvFileSecretResolver implements SecretResolver {
  private readonly files = new Map<string, { value: string; readAt: number }>();

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => number = Date.now,
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
    throw new SecretError(ref, 'UNSUPPORTED', 'unknown scheme (env: or file: expected)');
  }
}
