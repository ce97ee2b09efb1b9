/**
 * `vigie users list|add|disable|enable|passwd|totp|roles`: local accounts from a terminal, for the
 * first administrator of a new installation and for repairs (a lost phone, a locked-out admin).
 * It opens the account store of the data folder itself, so the engine must be stopped (DuckDB lets
 * one process hold a file); every change is audited as `cli:<OS user>`.
 *
 * Passwords and codes are never taken from the command line (argv is visible to every user of
 * the machine in `ps`): they are read from a hidden prompt on a terminal, or one per line from
 * standard input in scripts.
 */
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { ROLES, roleSchema, type Role } from '../../../shared/domain/identity';
import type { AccountSummary, IdentityService } from '../services/identity/identity-service';
import { defaultDataDir } from './runtime-file';

export interface UserCliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

/** An identity service on the data folder's stores, and how to close them. */
export interface OpenedIdentity {
  readonly service: IdentityService;
  readonly close: () => Promise<void>;
}

export interface UserCliDeps {
  readonly usage: (message: string) => Error;
  readonly parse: (
    args: string[],
    options: ParseArgsConfig['options'],
    positionals: number,
  ) => { values: Record<string, unknown>; positionals: string[] };
  /** Reads a secret: hidden prompt on a terminal, else the next line of stdin. */
  readonly readSecret?: (prompt: string) => Promise<string>;
  /** Opens the stores of `dataRoot` (tests give a temporary folder and a cheap hash cost). */
  readonly open?: (dataRoot: string) => Promise<OpenedIdentity>;
}

const OK = 0;
const FAILED = 1;

const COMMON = { estate: { type: 'boolean' }, 'data-dir': { type: 'string' } } as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The folder the engine keeps its stores in: the training estate has its own (engine.ts dataRoot). */
function dataRootOf(values: Record<string, unknown>, env: NodeJS.ProcessEnv): string {
  const dataDir = resolve(str(values['data-dir']) ?? defaultDataDir(env));
  return values.estate === true ? join(dataDir, 'training') : dataDir;
}

async function openStores(dataRoot: string): Promise<OpenedIdentity> {
  const [{ DuckDbAccountStore }, { DuckDbStateStore }, { IdentityService }, { systemClock }] =
    await Promise.all([
      import('../adapters/duckdb/duckdb-account-store'),
      import('../adapters/duckdb/duckdb-state-store'),
      import('../services/identity/identity-service'),
      import('../ports/clock'),
    ]);
  const accounts = await DuckDbAccountStore.open(join(dataRoot, 'identity.duckdb'));
  let audit;
  try {
    audit = await DuckDbStateStore.open(join(dataRoot, 'state.duckdb'));
  } catch (err: unknown) {
    await accounts.close();
    throw err;
  }
  return {
    service: new IdentityService({ store: accounts, audit, clock: systemClock }),
    close: async () => {
      await accounts.close();
      await audit.close();
    },
  };
}

function cliActor(): { kind: 'system'; name: string } {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    user = 'unknown'; // no passwd entry for this uid (a container): still audited as the CLI
  }
  return { kind: 'system', name: `cli:${user}` };
}

function roleList(values: unknown, usage: (m: string) => Error): Role[] {
  return list(values).map((r) => {
    const parsed = roleSchema.safeParse(r);
    if (!parsed.success) throw usage(`--role "${r}" is not one of ${ROLES.join(', ')}`);
    return parsed.data;
  });
}

function describe(a: AccountSummary, now: number): string {
  const flags = [
    a.person.disabled ? 'DISABLED' : '',
    a.lockedUntil !== null && a.lockedUntil > now
      ? `LOCKED OUT until ${new Date(a.lockedUntil).toISOString()}`
      : '',
    a.totpEnrolled ? 'totp' : '',
    a.hasPassword || a.person.source !== 'local' ? '' : 'no password',
    a.person.source === 'oidc' ? 'oidc' : '',
  ].filter((f) => f !== '');
  return `${a.person.id.padEnd(20)} ${a.person.roles.join(',').padEnd(24)} ${a.person.clients.join(',').padEnd(16)} ${flags.join(', ')}`;
}

/** Reads a new password twice on a terminal (a typo would lock the person out), once from stdin. */
async function newPassword(read: (prompt: string) => Promise<string>, interactive: boolean): Promise<string> {
  const first = await read('New password: ');
  if (interactive && (await read('Again: ')) !== first) throw new PasswordMismatch();
  return first;
}

class PasswordMismatch extends Error {
  constructor() {
    super('the two passwords differ; nothing was changed');
  }
}

export async function cmdUsers(args: string[], io: UserCliIo, deps: UserCliDeps): Promise<number> {
  const [sub, ...rest] = args;
  const interactive = deps.readSecret === undefined && process.stdin.isTTY;
  const read = deps.readSecret ?? defaultSecretReader();
  const open = deps.open ?? openStores;
  const run = async (
    values: Record<string, unknown>,
    work: (service: IdentityService) => Promise<number>,
  ): Promise<number> => {
    const root = dataRootOf(values, io.env);
    let opened: OpenedIdentity;
    try {
      opened = await open(root);
    } catch (err: unknown) {
      const code = (err as { code?: unknown }).code;
      io.err(
        code === 'LOCKED'
          ? `vigie: an engine is running on ${root} and holds its accounts; stop it and try again\n`
          : `vigie: cannot open the account store in ${root}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return FAILED;
    }
    try {
      return await work(opened.service);
    } catch (err: unknown) {
      const e = err as { name?: string; code?: string; message?: string };
      if (e.name === 'IdentityError' || err instanceof PasswordMismatch) {
        io.err(`vigie: ${e.code ? `${e.code}: ` : ''}${e.message ?? ''}\n`);
        return FAILED;
      }
      throw err;
    } finally {
      await opened.close();
    }
  };
  const login = (positionals: string[]): string => {
    const id = positionals[0];
    if (!id) throw deps.usage(`usage: vigie users ${sub ?? ''} LOGIN`);
    return id;
  };
  const actor = cliActor();

  switch (sub) {
    case 'list': {
      const { values } = deps.parse(rest, { ...COMMON, json: { type: 'boolean' } }, 0);
      return run(values, async (service) => {
        const accounts = await service.listAccounts();
        if (values.json === true) io.out(`${JSON.stringify(accounts, null, 2)}\n`);
        else if (accounts.length === 0) io.out('No accounts.\n');
        else for (const a of accounts) io.out(`${describe(a, Date.now())}\n`);
        return OK;
      });
    }
    case 'add': {
      const { values, positionals } = deps.parse(
        rest,
        {
          ...COMMON,
          name: { type: 'string' },
          role: { type: 'string', multiple: true },
          client: { type: 'string', multiple: true },
        },
        1,
      );
      const id = login(positionals);
      const roles = roleList(values.role, deps.usage);
      if (roles.length === 0) throw deps.usage('vigie users add needs at least one --role');
      const name = str(values.name);
      if (!name) throw deps.usage('vigie users add needs --name');
      const clients = list(values.client);
      return run(values, async (service) => {
        const password = await newPassword(read, interactive);
        await service.createPerson(actor, {
          id,
          displayName: name,
          roles,
          clients: clients.length > 0 ? clients : ['*'],
          password,
        });
        io.out(`Created ${id}.\n`);
        return OK;
      });
    }
    case 'disable':
    case 'enable': {
      const { values, positionals } = deps.parse(rest, COMMON, 1);
      const id = login(positionals);
      return run(values, async (service) => {
        await service.setDisabled(actor, id, sub === 'disable');
        io.out(sub === 'disable' ? `Disabled ${id}; their sessions have ended.\n` : `Enabled ${id}.\n`);
        return OK;
      });
    }
    case 'passwd': {
      const { values, positionals } = deps.parse(rest, COMMON, 1);
      const id = login(positionals);
      return run(values, async (service) => {
        if ((await service.getPerson(id)) === null) {
          io.err(`vigie: NOT_FOUND: no person has the login "${id}"\n`);
          return FAILED;
        }
        await service.setPassword(actor, id, await newPassword(read, interactive));
        io.out(`Password of ${id} set; their sessions have ended.\n`);
        return OK;
      });
    }
    case 'totp': {
      const { values, positionals } = deps.parse(rest, { ...COMMON, remove: { type: 'boolean' } }, 1);
      const id = login(positionals);
      return run(values, async (service) => {
        if (values.remove === true) {
          await service.removeTotp(actor, id);
          io.out(`TOTP removed from ${id}: the password alone signs in until they enrol again.\n`);
          return OK;
        }
        const { uri, secret } = await service.beginTotp(actor, id);
        io.out(
          `Add this account to the authenticator app (scan the URI as a QR code, or type the key):\n  ${uri}\n  key: ${secret}\n`,
        );
        const code = await read('First code from the app: ');
        await service.confirmTotp(actor, id, code);
        io.out(`TOTP enrolled for ${id}: sign-in now asks for a code.\n`);
        return OK;
      });
    }
    case 'roles': {
      const { values, positionals } = deps.parse(
        rest,
        { ...COMMON, role: { type: 'string', multiple: true }, client: { type: 'string', multiple: true } },
        1,
      );
      const id = login(positionals);
      const roles = roleList(values.role, deps.usage);
      const clients = list(values.client);
      if (roles.length === 0 && clients.length === 0)
        throw deps.usage('vigie users roles needs --role and/or --client');
      return run(values, async (service) => {
        if (roles.length > 0) await service.setRoles(actor, id, roles);
        if (clients.length > 0) await service.setClients(actor, id, clients);
        const person = await service.getPerson(id);
        io.out(
          `${id}: roles ${person?.roles.join(',') ?? '?'}; clients ${person?.clients.join(',') ?? '?'}\n`,
        );
        return OK;
      });
    }
    case undefined:
      throw deps.usage('usage: vigie users list|add|disable|enable|passwd|totp|roles');
    default:
      throw deps.usage(`unknown users command "${sub}"`);
  }
}

/**
 * Secrets from the terminal without echo, or one line at a time from piped stdin. A terminal is
 * put in raw mode and always restored, Ctrl-C included.
 */
export function defaultSecretReader(
  input: NodeJS.ReadStream = process.stdin,
  prompt: (text: string) => void = (t) => process.stderr.write(t),
): (question: string) => Promise<string> {
  if (input.isTTY) return (question) => readHidden(input, question, prompt);
  let lines: Promise<string[]> | null = null;
  return async () => {
    lines ??= readAll(input).then((text) => text.split(/\r?\n/));
    const all = await lines;
    const line = all.shift();
    if (line === undefined || (line === '' && all.length === 0))
      throw new Error('standard input ended before the password or code');
    return line;
  };
}

function readAll(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let text = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 64 * 1024) reject(new Error('standard input is too long'));
    });
    input.once('end', () => resolvePromise(text));
    input.once('error', reject);
  });
}

function readHidden(
  input: NodeJS.ReadStream,
  question: string,
  prompt: (t: string) => void,
): Promise<string> {
  prompt(question);
  return new Promise((resolvePromise, reject) => {
    let typed = '';
    const finish = (error: Error | null): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt('\n');
      if (error) reject(error);
      else resolvePromise(typed);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
