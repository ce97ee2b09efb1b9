import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbStateStore } from '../adapters/duckdb/duckdb-state-store';
import { holdDuckDbFile } from '../adapters/duckdb/test-support/hold-file';
import { base32Decode, totp } from '../services/identity/totp';
import { EXIT, runCli } from './run-cli';
import { cmdUsers } from './user-commands';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function io() {
  let out = '';
  let err = '';
  return {
    io: { out: (t: string) => (out += t), err: (t: string) => (err += t), env: {} },
    out: () => out,
    err: () => err,
  };
}

class Usage extends Error {}

/** Runs `vigie users ...` with the given answers to the password/code prompts. */
async function users(dataDir: string, args: string[], answers: string[] = []) {
  const a = io();
  const asked: string[] = [];
  const code = await cmdUsers([...args, '--data-dir', dataDir], a.io, {
    usage: (m) => new Usage(m),
    parse: (argv, options) => {
      const parsed = parseArgs({ args: argv, options: options ?? {}, strict: true, allowPositionals: true });
      return { values: parsed.values, positionals: parsed.positionals };
    },
    readSecret: (prompt) => {
      asked.push(prompt);
      const next = answers.shift();
      return next === undefined ? Promise.reject(new Error('no more input')) : Promise.resolve(next);
    },
  });
  return { code, out: a.out(), err: a.err(), asked };
}

async function dataDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vigie-users-'));
  dirs.push(d);
  return d;
}

// Each command opens real DuckDB files and hashes at the production scrypt cost.
describe('vigie users', { timeout: 30_000 }, () => {
  it('adds, lists, disables, enables, sets roles and passwords; every change audited as the CLI', async () => {
    const dir = await dataDir();
    expect((await users(dir, ['list'])).out).toBe('No accounts.\n');
    const add = await users(
      dir,
      ['add', 'alice', '--name', 'Alice', '--role', 'admin', '--role', 'operator'],
      ['a good long password'],
    );
    expect(add).toMatchObject({ code: EXIT.ok, out: 'Created alice.\n', asked: ['New password: '] });
    await users(
      dir,
      ['add', 'bob', '--name', 'Bob', '--role', 'viewer', '--client', 'ehealth'],
      ['bob password 123'],
    );
    const listed = await users(dir, ['list']);
    expect(listed.out).toMatch(/^alice\s+admin,operator\s+\*\s*\n/m);
    expect(listed.out).toMatch(/^bob\s+viewer\s+ehealth\s*\n/m);
    expect((await users(dir, ['disable', 'bob'])).out).toMatch(/Disabled bob/);
    expect((await users(dir, ['list'])).out).toMatch(/^bob .*DISABLED/m);
    expect((await users(dir, ['enable', 'bob'])).code).toBe(EXIT.ok);
    expect((await users(dir, ['roles', 'bob', '--role', 'oncall', '--client', 'employer'])).out).toBe(
      'bob: roles oncall; clients employer\n',
    );
    expect((await users(dir, ['passwd', 'bob'], ['another password 1'])).code).toBe(EXIT.ok);
    const json = JSON.parse((await users(dir, ['list', '--json'])).out) as { person: { id: string } }[];
    expect(json.map((a) => a.person.id)).toEqual(['alice', 'bob']);
    expect(JSON.stringify(json)).not.toMatch(/scrypt|password 1/);

    const state = await DuckDbStateStore.open(join(dir, 'state.duckdb'));
    try {
      const entries = await state.list(100);
      expect(entries.map((e) => e.action).reverse()).toEqual([
        'identity.createPerson',
        'identity.createPerson',
        'identity.disable',
        'identity.enable',
        'identity.setRoles',
        'identity.setClients',
        'identity.setPassword',
      ]);
      expect(entries.every((e) => e.actor.startsWith('cli:') && e.role === 'system')).toBe(true);
      expect(JSON.stringify(entries)).not.toMatch(/password 1|password 123/);
    } finally {
      await state.close();
    }
  });

  it('refuses a weak password, an unknown role, a missing person, with the reason and no change', async () => {
    const dir = await dataDir();
    const weak = await users(dir, ['add', 'alice', '--name', 'A', '--role', 'admin'], ['short']);
    expect(weak.code).toBe(EXIT.failure);
    expect(weak.err).toBe('vigie: WEAK_PASSWORD: a password has at least 12 characters (this one has 5)\n');
    expect(weak.err).not.toContain('short\n');
    await expect(users(dir, ['add', 'alice', '--name', 'A', '--role', 'root'])).rejects.toThrow(
      /--role "root" is not one of viewer/,
    );
    const missing = await users(dir, ['passwd', 'ghost'], ['whatever password']);
    expect(missing).toMatchObject({ code: EXIT.failure, asked: [] });
    expect(missing.err).toMatch(/NOT_FOUND/);
    expect((await users(dir, ['list'])).out).toBe('No accounts.\n');
  });

  it('enrols TOTP: prints the otpauth URI, confirms with a first code, and can remove it', async () => {
    const dir = await dataDir();
    await users(dir, ['add', 'alice', '--name', 'A', '--role', 'admin'], ['a good long password']);
    let uriSecret = '';
    const a = io();
    const code = await cmdUsers(['totp', 'alice', '--data-dir', dir], a.io, {
      usage: (m) => new Usage(m),
      parse: (argv, options) => {
        const parsed = parseArgs({
          args: argv,
          options: options ?? {},
          strict: true,
          allowPositionals: true,
        });
        return { values: parsed.values, positionals: parsed.positionals };
      },
      readSecret: () => {
        uriSecret = /secret=([A-Z2-7]+)/.exec(a.out())?.[1] ?? '';
        return Promise.resolve(totp(base32Decode(uriSecret), Date.now()));
      },
    });
    expect(code).toBe(EXIT.ok);
    expect(a.out()).toMatch(/otpauth:\/\/totp\/Vigie:alice\?secret=[A-Z2-7]{32}/);
    expect(a.out()).toMatch(/TOTP enrolled for alice/);
    expect((await users(dir, ['list'])).out).toMatch(/^alice .*totp/m);
    expect((await users(dir, ['totp', 'alice', '--remove'])).code).toBe(EXIT.ok);
    expect((await users(dir, ['list'])).out).not.toMatch(/totp/);
  });

  it('says so when a running engine holds the account store', async () => {
    const dir = await dataDir();
    await mkdir(join(dir, 'training'));
    const release = await holdDuckDbFile(join(dir, 'training', 'identity.duckdb'));
    try {
      const r = await users(dir, ['list', '--estate']);
      expect(r.code).toBe(EXIT.failure);
      expect(r.err).toBe(
        `vigie: an engine is running on ${join(dir, 'training')} and holds its accounts; stop it and try again\n`,
      );
    } finally {
      await release();
    }
  });

  it('is listed in vigie --help and reached through runCli', async () => {
    const a = io();
    expect(await runCli(['--help'], { ...a.io, stopSignal: new Promise<string>(() => undefined) })).toBe(
      EXIT.ok,
    );
    expect(a.out()).toMatch(/vigie users list/);
    const b = io();
    expect(
      await runCli(['users', 'frobnicate'], { ...b.io, stopSignal: new Promise<string>(() => undefined) }),
    ).toBe(EXIT.usage);
    expect(b.err()).toMatch(/unknown users command "frobnicate"/);
  });
});
