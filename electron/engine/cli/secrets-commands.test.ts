import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../ports/audit-log';
import { cmdSecrets, type SecretInput } from './secrets-commands';

class FakeStdin extends EventEmitter implements SecretInput {
  rawModes: boolean[] = [];
  constructor(
    readonly isTTY: boolean,
    private readonly feed: string[],
  ) {
    super();
  }
  setRawMode(mode: boolean): void {
    this.rawModes.push(mode);
  }
  resume(): void {
    // Deliver the next typed line (TTY) or everything then end (pipe), as a terminal would.
    queueMicrotask(() => {
      if (this.isTTY) {
        const next = this.feed.shift();
        if (next !== undefined) this.emit('data', Buffer.from(next));
        return;
      }
      for (const chunk of this.feed.splice(0)) this.emit('data', Buffer.from(chunk));
      this.emit('end');
    });
  }
  pause(): void {}
}

class UsageError extends Error {}

describe('vigie secrets', () => {
  let dir = '';
  let out = '';
  let err = '';
  let audit: AuditEntry[] = [];
  const io = () => ({ out: (t: string) => (out += t), err: (t: string) => (err += t), env: {} });
  const run = (args: string[], stdin: SecretInput = new FakeStdin(false, [])) =>
    cmdSecrets(args, io(), {
      usage: (m) => new UsageError(m),
      stdin,
      openAudit: () =>
        Promise.resolve({
          append: (e: AuditEntry) => {
            audit.push(e);
            return Promise.resolve();
          },
          list: () => Promise.resolve(audit),
          close: () => Promise.resolve(),
        }),
    });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigie-cli-secrets-'));
    out = '';
    err = '';
    audit = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('set reads the value from a pipe, creates the key file 0600, audits the name only; list shows no value', async () => {
    expect(
      await run(
        ['set', 'smtp.password', '--data-dir', dir],
        new FakeStdin(false, ['piped-', 'smtp-secret\n']),
      ),
    ).toBe(0);
    expect(out).toContain('Stored smtp.password');
    expect(out).toContain('vault:smtp.password');
    expect((await stat(join(dir, 'secrets.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'secrets.vault'), 'utf8')).not.toContain('smtp-secret');
    expect(audit).toMatchObject([{ action: 'secrets.set', target: 'smtp.password', role: 'admin' }]);
    expect(audit[0]?.actor).toMatch(/^cli:/);
    expect(JSON.stringify(audit)).not.toContain('smtp-secret');
    out = '';
    expect(await run(['list', '--data-dir', dir])).toBe(0);
    expect(out).toMatch(/^smtp\.password\s+configured\s+\d{4}-\d\d-\d\dT/);
    expect(out).not.toContain('smtp-secret');
  });

  it('set prompts twice without echo on a terminal and refuses two different values', async () => {
    const tty = new FakeStdin(true, ['typed-secret\r', 'typed-secret\r']);
    expect(await run(['set', 'ssh.password', '--data-dir', dir], tty)).toBe(0);
    expect(err).toContain('Value of ssh.password (not shown): ');
    expect(err).not.toContain('typed-secret');
    expect(tty.rawModes).toEqual([true, false, true, false]);
    err = '';
    expect(await run(['set', 'other', '--data-dir', dir], new FakeStdin(true, ['one\r', 'two\r']))).toBe(1);
    expect(err).toContain('the two values differ; nothing was stored');
    expect(audit.map((a) => a.target)).toEqual(['ssh.password']);
  });

  it('never takes a value from the command line, and checks the name', async () => {
    await expect(run(['set', 'name', 'the-value', '--data-dir', dir])).rejects.toThrow(
      'never from the command line',
    );
    await expect(run(['set', 'Bad Name', '--data-dir', dir])).rejects.toThrow('is not a valid secret name');
    await expect(run(['rotate', 'x'])).rejects.toBeInstanceOf(UsageError);
  });

  it('delete audits then removes; deleting what is not there fails', async () => {
    await run(['set', 'tok', '--data-dir', dir], new FakeStdin(false, ['v']));
    expect(await run(['delete', 'tok', '--data-dir', dir])).toBe(0);
    expect(audit.map((a) => a.action)).toEqual(['secrets.set', 'secrets.delete']);
    expect(await run(['delete', 'tok', '--data-dir', dir])).toBe(1);
    expect(err).toContain('no secret "tok"');
  });

  it('with a wrong key: a clear error naming the vault, before any value is read', async () => {
    await run(['set', 'tok', '--data-dir', dir], new FakeStdin(false, ['v']));
    await writeFile(join(dir, 'secrets.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    const stdin = new FakeStdin(false, ['never-read']);
    expect(await run(['set', 'tok', '--data-dir', dir], stdin)).toBe(1);
    expect(err).toContain(
      `the vault ${join(dir, 'secrets.vault')} cannot be opened with the key from the key file`,
    );
    expect(await run(['list', '--data-dir', dir])).toBe(1);
    expect(audit).toHaveLength(1);
  });

  it('refuses a change it cannot audit', async () => {
    const code = await cmdSecrets(['set', 'x', '--data-dir', dir], io(), {
      usage: (m) => new UsageError(m),
      stdin: new FakeStdin(false, ['v']),
      openAudit: () => Promise.reject(new Error('IO Error: Could not set lock on file "state.duckdb"')),
    });
    expect(code).toBe(1);
    expect(err).toContain('a change to the vault is refused unless it is recorded');
    await expect(stat(join(dir, 'secrets.vault'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
