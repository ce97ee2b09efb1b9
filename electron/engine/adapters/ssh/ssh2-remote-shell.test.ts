/**
 * Protocol edge cases against an in-process ssh2.Server (the real sshd is in
 * test/integration/ssh-remote-shell.int.test.ts): password authentication, a server that closes the
 * channel without an exit status, a throwing output callback, the fingerprint format.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostKeyCheck, RemoteTarget } from '../../ports/remote-shell';
import { UpstreamError } from '../../ports/upstream-error';
import { Ssh2RemoteShell, describeHostKey, sshFingerprint } from './ssh2-remote-shell';
import { newEd25519KeyPair } from './ed25519-key';

const hostKey = newEd25519KeyPair();
const PASSWORD = 'correct horse';
const never = (): AbortSignal => new AbortController().signal;

/** What the fake server does with an exec request. */
const behaviours: Record<string, (stream: ServerChannel) => void> = {
  'echo hi': (s) => {
    s.write('hi\n');
    s.exit(0);
    s.end();
  },
  'no-exit-status': (s) => {
    s.write('partial\n');
    s.end();
  },
  chatty: (s) => {
    s.write('one\n');
    s.write('two\n');
    s.exit(0);
    s.end();
  },
};

let server: ssh2.Server;
let port = 0;
const clients = new Set<Connection>();

beforeAll(async () => {
  server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('error', () => undefined);
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === 'ops' && ctx.password === PASSWORD) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().once('exec', (acceptExec, reject, info) => {
          const behaviour = behaviours[info.command];
          if (behaviour === undefined) {
            reject();
            return;
          }
          behaviour(acceptExec());
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const c of clients) c.end();
  await new Promise((resolve) => server.close(resolve));
});

const trustAll: HostKeyCheck = () => 'trusted';

function target(password = PASSWORD): RemoteTarget {
  return { host: '127.0.0.1', port, username: 'ops', credential: { kind: 'password', password } };
}

const shell = new Ssh2RemoteShell({ closeGraceMs: 500 });
const cmd = (argv: string[]) => ({ argv, timeoutMs: 5_000, maxOutputBytes: 10_000 });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof Error) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('Ssh2RemoteShell (in-process server)', () => {
  it('authenticates with a password and runs', async () => {
    const r = await shell.run(target(), cmd(['echo', 'hi']), trustAll, never());
    expect(r).toMatchObject({ exitCode: 0, stdout: 'hi\n', commandLine: 'echo hi' });
  });

  it('fails with AUTH on a wrong password', async () => {
    const err = await failure(shell.run(target('wrong'), cmd(['echo', 'hi']), trustAll, never()));
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe('AUTH');
    expect(err.message).not.toContain('wrong');
  });

  it('fails with PROTOCOL when the channel closes without an exit status', async () => {
    const err = await failure(shell.run(target(), cmd(['no-exit-status']), trustAll, never()));
    expect((err as UpstreamError).code).toBe('PROTOCOL');
  });

  it('fails with PROTOCOL when the server refuses the exec request', async () => {
    const err = await failure(shell.run(target(), cmd(['refused']), trustAll, never()));
    expect((err as UpstreamError).code).toBe('PROTOCOL');
  });

  it('stops the run and fails with the error of a throwing output callback', async () => {
    const boom = new Error('renderer went away');
    const err = await failure(
      shell.run(
        target(),
        {
          ...cmd(['chatty']),
          onOutput: () => {
            throw boom;
          },
        },
        trustAll,
        never(),
      ),
    );
    expect(err).toBe(boom);
  });

  it('validates arguments before connecting', async () => {
    await expect(shell.run(target(), cmd([]), trustAll, never())).rejects.toThrow(RangeError);
    await expect(shell.run({ ...target(), port: 0 }, cmd(['x']), trustAll, never())).rejects.toThrow(
      RangeError,
    );
    await expect(
      shell.run(target(), { ...cmd(['x']), maxOutputBytes: 0 }, trustAll, never()),
    ).rejects.toThrow(RangeError);
    await expect(shell.run(target(), { ...cmd(['x']), timeoutMs: -1 }, trustAll, never())).rejects.toThrow(
      RangeError,
    );
  });
});

describe('host key description', () => {
  it('names the key type and prints the OpenSSH SHA256 fingerprint without padding', () => {
    const blob = ssh2.utils.parseKey(hostKey.public);
    if (blob instanceof Error || Array.isArray(blob)) throw new Error('unparsable test key');
    const described = describeHostKey(blob.getPublicSSH());
    const expected = `SHA256:${createHash('sha256').update(blob.getPublicSSH()).digest('base64')}`.replace(
      /=+$/,
      '',
    );
    expect(described).toMatchObject({ type: 'ssh-ed25519', fingerprint: expected });
    expect(described?.fingerprint).not.toMatch(/=$/);
    expect(sshFingerprint(blob.getPublicSSH())).toBe(expected);
  });

  it('refuses blobs that are not SSH keys', () => {
    expect(describeHostKey(Buffer.alloc(0))).toBeNull();
    expect(describeHostKey(Buffer.from([0, 0, 0, 200, 1, 2]))).toBeNull();
    expect(describeHostKey(Buffer.from([0, 0, 0, 2, 0x0a, 0x41]))).toBeNull();
  });
});
