/**
 * `vigie secrets set|list|delete`: the engine's encrypted vault from a terminal. A value is read
 * from standard input (piped) or typed at a prompt that does not echo it, never from the command
 * line, where it would stay in the shell's history and show in `ps`. Every change is written to
 * the audit log before it is made; when the audit log cannot be opened (a running engine holds
 * it), the change is refused rather than made unrecorded.
 */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VigieError } from '../../../shared/api';
import { secretNameSchema, SECRET_VALUE_MAX_BYTES } from '../../../shared/api/secrets';
import { headlessVaultKey } from '../adapters/secrets/vault-key';
import { VaultSecretStore } from '../adapters/secrets/vault-secret-store';
import { formatIssues, loadConfigFile } from '../config/load-config';
import type { AuditLog } from '../ports/audit-log';
import { systemClock } from '../ports/clock';
import {
  findVaultReferences,
  SecretsService,
  type VaultReference,
} from '../services/secrets/secrets-service';
import { defaultDataDir } from './runtime-file';

export interface SecretsIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** Standard input as the command needs it (a fake in tests). */
export interface SecretInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface SecretsDeps {
  readonly usage: (message: string) => Error;
  readonly stdin?: SecretInput;
  /** Opens the audit log of a data folder; default the engine's state store. */
  readonly openAudit?: (dataDir: string, training: boolean) => Promise<AuditLog & { close(): Promise<void> }>;
}

const OK = 0;
const FAILED = 1;

/**
 * A secret from piped input: at most the vault's limit, one trailing newline dropped (as `echo`
 * and editors leave one, and as `file:` references read them).
 */
export function readPipedSecret(input: SecretInput): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    input.on('data', (chunk) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.byteLength;
      if (size > SECRET_VALUE_MAX_BYTES + 2) {
        input.removeAllListeners('data');
        input.pause();
        reject(new Error(`the value is longer than ${SECRET_VALUE_MAX_BYTES} bytes`));
        return;
      }
      chunks.push(buf);
    });
    input.on('error', reject);
    input.on('end', () =>
      resolvePromise(
        Buffer.concat(chunks)
          .toString('utf8')
          .replace(/\r?\n$/, ''),
      ),
    );
    input.resume();
  });
}

/** A line typed at the terminal without echo (raw mode); Ctrl-C or Ctrl-D abandons. */
export function promptHidden(
  input: SecretInput,
  prompt: string,
  write: (t: string) => void,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let value = '';
    write(prompt);
    input.setRawMode?.(true);
    const done = (err: Error | null): void => {
      input.setRawMode?.(false);
      input.removeAllListeners('data');
      input.pause();
      write('\n');
      if (err) reject(err);
      else resolvePromise(value);
    };
    input.on('data', (chunk) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('abandoned; nothing was stored'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
        if (value.length > SECRET_VALUE_MAX_BYTES) return done(new Error('the value is too long'));
      }
    });
    input.resume();
  });
}

async function readValue(name: string, input: SecretInput, io: SecretsIo): Promise<string> {
  if (!input.isTTY) return readPipedSecret(input);
  const first = await promptHidden(input, `Value of ${name} (not shown): `, io.err);
  const again = await promptHidden(input, 'Again, to confirm: ', io.err);
  if (first !== again) throw new Error('the two values differ; nothing was stored');
  return first;
}

async function defaultOpenAudit(dataDir: string, training: boolean) {
  const [{ DuckDbStateStore }, { storePath }, { configSchema }] = await Promise.all([
    import('../adapters/duckdb/duckdb-state-store'),
    import('../engine'),
    import('../config/schema'),
  ]);
  return DuckDbStateStore.open(storePath(configSchema.parse({ estate: training }), dataDir));
}

export async function cmdSecrets(args: string[], io: SecretsIo, deps: SecretsDeps): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (err: unknown) {
    throw deps.usage(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (sub !== 'set' && sub !== 'list' && sub !== 'delete')
    throw deps.usage('usage: vigie secrets set|list|delete (see vigie --help)');
  if (sub === 'set' && positionals.length > 1)
    throw deps.usage(
      'vigie secrets set takes the value from standard input or a prompt, never from the command line (it would stay in the shell history and show in ps)',
    );
  const wanted = sub === 'list' ? 0 : 1;
  if (positionals.length !== wanted)
    throw deps.usage(sub === 'list' ? 'usage: vigie secrets list' : `usage: vigie secrets ${sub} NAME`);
  const name = positionals[0] ?? '';
  if (sub !== 'list' && !secretNameSchema.safeParse(name).success)
    throw deps.usage(
      `"${name.slice(0, 80)}" is not a valid secret name: ${secretNameSchema.safeParse(name).error?.issues[0]?.message ?? ''}`,
    );

  let references: VaultReference[] = [];
  let configDataDir: string | undefined;
  let training = false;
  if (typeof values.config === 'string') {
    const loaded = await loadConfigFile(values.config);
    if (!loaded.ok) {
      io.err(`${formatIssues(values.config, loaded.issues)}\n`);
      return 2;
    }
    references = findVaultReferences(loaded.config);
    configDataDir = loaded.config.dataDir;
    training = loaded.config.estate;
  }
  const dataDir = resolve(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : (configDataDir ?? defaultDataDir(io.env)),
  );
  const vault = VaultSecretStore.inDataDir(dataDir, headlessVaultKey(dataDir, io.env));

  if (sub === 'list') {
    // Reading needs no audit entry, and must work beside a running engine.
    const service = new SecretsService({
      vault,
      audit: { append: () => Promise.resolve(), list: () => Promise.resolve([]) },
      clock: systemClock,
      references: () => references,
    });
    const list = await service.list();
    if (values.json) {
      io.out(`${JSON.stringify(list, null, 2)}\n`);
      return list.unavailable === null ? OK : FAILED;
    }
    if (list.unavailable !== null) io.err(`vigie: ${list.unavailable}\n`);
    if (list.secrets.length === 0 && list.unavailable === null) io.out(`No secret in ${vault.location}.\n`);
    for (const s of list.secrets) {
      const when = s.updatedAt === null ? '-' : new Date(s.updatedAt).toISOString().replace(/\.\d+Z$/, 'Z');
      io.out(
        `${s.name.padEnd(32)} ${(s.configured ? 'configured' : 'NOT SET').padEnd(10)} ${when.padEnd(20)} ${s.usedBy.length === 0 ? (typeof values.config === 'string' ? 'unused' : '') : s.usedBy.join(', ')}\n`,
      );
    }
    return list.unavailable === null ? OK : FAILED;
  }

  // Open the vault before reading a value: a wrong key is said before anyone types a secret.
  try {
    await vault.check();
  } catch (err: unknown) {
    io.err(`vigie: ${err instanceof Error ? err.message : String(err)}\n`);
    return FAILED;
  }
  let audit: AuditLog & { close(): Promise<void> };
  try {
    audit = await (deps.openAudit ?? defaultOpenAudit)(dataDir, training);
  } catch (err: unknown) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    io.err(
      `vigie: the audit log in ${dataDir} cannot be opened (${reason}); a change to the vault is refused unless it is recorded. If an engine is running on this folder, stop it first.\n`,
    );
    return FAILED;
  }
  const service = new SecretsService({ vault, audit, clock: systemClock, references: () => references });
  const who = { actor: `cli:${userInfo().username}`, role: 'admin' };
  try {
    if (sub === 'set') {
      let value: string;
      try {
        value = await readValue(name, deps.stdin ?? process.stdin, io);
      } catch (err: unknown) {
        io.err(`vigie: ${err instanceof Error ? err.message : String(err)}\n`);
        return FAILED;
      }
      if (value === '') {
        io.err('vigie: the value is empty; nothing was stored\n');
        return FAILED;
      }
      const res = await service.set({ name, value }, who);
      io.out(
        `${res.replaced ? 'Replaced' : 'Stored'} ${name} in ${vault.location}; reference it as vault:${name}\n`,
      );
      return OK;
    }
    const res = await service.delete({ name }, who);
    io.out(`Deleted ${name} from ${vault.location}.\n`);
    if (res.stillUsedBy.length > 0) io.err(`vigie: still referenced by ${res.stillUsedBy.join(', ')}\n`);
    return OK;
  } catch (err: unknown) {
    if (err instanceof VigieError) {
      io.err(`vigie: ${err.message}\n`);
      return FAILED;
    }
    throw err;
  } finally {
    await audit.close();
  }
}
