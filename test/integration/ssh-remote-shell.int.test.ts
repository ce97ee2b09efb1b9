/**
 * Ssh2RemoteShell against a real OpenSSH sshd on loopback: host key refused before authentication
 * when unknown or changed (fingerprint as `ssh-keygen -l` prints it), exit codes, signals, stdout
 * and stderr apart, hostile argv words arriving intact, stdin, timeouts and aborts that stop the
 * remote process and close the connection, the output cap, and each failure as its code.
 * The adapter runs raw argv here; the diagnostics service (diagnostics.int.test.ts) only templates.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ssh2RemoteShell } from '../../electron/engine/adapters/ssh/ssh2-remote-shell';
import {
  HostKeyRefusedError,
  type HostKeyCheck,
  type OutputChunk,
  type PresentedHostKey,
  type RemoteCommand,
  type RemoteTarget,
} from '../../electron/engine/ports/remote-shell';
import { UpstreamError } from '../../electron/engine/ports/upstream-error';
import {
  freeTcpPort,
  makeTempDir,
  pathOf,
  removeTempDir,
  requireBinaries,
  runChecked,
  skipReason,
  waitFor,
  withSkipReason,
} from '../servers/common';
import { SSHD_REQUIREMENTS, startSshd, type SshdHandle } from '../servers/sshd';
import { newEd25519KeyPair } from '../../electron/engine/adapters/ssh/ed25519-key';

const sshdSkip = skipReason('sshd', SSHD_REQUIREMENTS);

const never = (): AbortSignal => new AbortController().signal;
const trustFingerprint =
  (fingerprint: string): HostKeyCheck =>
  (key) =>
    key.fingerprint === fingerprint ? 'trusted' : 'changed';

function targetOf(server: SshdHandle, overrides: Partial<RemoteTarget> = {}): RemoteTarget {
  return {
    host: server.host,
    port: server.port,
    username: server.user,
    credential: { kind: 'privateKey', privateKey: server.privateKey },
    ...overrides,
  };
}

function command(argv: string[], more: Partial<RemoteCommand> = {}): RemoteCommand {
  return { argv, timeoutMs: 15_000, maxOutputBytes: 1024 * 1024, ...more };
}

/** Rejection of `promise` as an UpstreamError (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (err: unknown) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

/** How many times sshd logged an authentication attempt (accepted or failed) for any user. */
function authAttempts(server: SshdHandle): number {
  return (server.process.logs().match(/(Accepted|Failed|Postponed) (publickey|password)/g) ?? []).length;
}

/** Established TCP connections from this machine to `port` on loopback (IPv4), from /proc/net/tcp. */
function establishedTo(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[2]?.endsWith(`:${hexPort}`) === true && cols[3] === '01').length;
}

/** Command that prints its PID, then sleeps as that PID. */
const PRINT_PID_THEN_SLEEP = ['sh', '-c', 'echo $$; exec sleep 30'];

/** Resolves with the PID printed by PRINT_PID_THEN_SLEEP, through the output callback. */
function pidCatcher(): { onOutput: (c: OutputChunk) => void; pid: Promise<number> } {
  let text = '';
  let found: (pid: number) => void = () => undefined;
  const pid = new Promise<number>((resolve) => (found = resolve));
  return {
    pid,
    onOutput: (c) => {
      text += c.text;
      const m = /^(\d+)\n/.exec(text);
      if (m) found(Number(m[1]));
    },
  };
}

describe.skipIf(sshdSkip !== undefined)(withSkipReason('Ssh2RemoteShell on sshd', sshdSkip), () => {
  let server: SshdHandle;
  const shell = new Ssh2RemoteShell({ connectTimeoutMs: 5_000, readyTimeoutMs: 10_000, closeGraceMs: 2_000 });
  let trusted: HostKeyCheck;

  beforeAll(async () => {
    server = await startSshd();
    trusted = trustFingerprint(server.hostKeyFingerprint);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('probes the host key without authenticating: the fingerprint ssh-keygen prints', async () => {
    const before = authAttempts(server);
    const key = await shell.probeHostKey({ host: server.host, port: server.port }, never());
    expect(key.fingerprint).toBe(server.hostKeyFingerprint);
    expect(key.type).toBe('ssh-ed25519');
    expect(`${key.type} ${key.publicKey}`).toBe(server.hostPublicKey.split(' ').slice(0, 2).join(' '));
    expect(authAttempts(server)).toBe(before);
  });

  it('refuses an unknown host key with HOST_KEY_UNKNOWN and its fingerprint, before authenticating', async () => {
    const before = authAttempts(server);
    const seen: PresentedHostKey[] = [];
    const err = await failure(
      shell.run(
        targetOf(server),
        command(['touch', '/tmp/vigie-should-not-run']),
        (key) => {
          seen.push(key);
          return 'unknown';
        },
        never(),
      ),
    );
    expect(err).toBeInstanceOf(HostKeyRefusedError);
    expect(err.code).toBe('HOST_KEY_UNKNOWN');
    expect((err as HostKeyRefusedError).presented.fingerprint).toBe(server.hostKeyFingerprint);
    expect(seen).toHaveLength(1);
    expect(authAttempts(server)).toBe(before);
  });

  it('refuses when the host key check itself fails, before authenticating', async () => {
    const before = authAttempts(server);
    const err = await failure(
      shell.run(
        targetOf(server),
        command(['true']),
        () => Promise.reject(new UpstreamError('duckdb', 'UNAVAILABLE', 'pin store down')),
        never(),
      ),
    );
    expect(err.code).toBe('UNAVAILABLE');
    expect(authAttempts(server)).toBe(before);
  });

  it('runs a command on a trusted host: exit 0, stdout, the line sent and the key', async () => {
    const result = await shell.run(targetOf(server), command(['echo', 'hello']), trusted, never());
    expect(result).toMatchObject({
      exitCode: 0,
      signal: null,
      stdout: 'hello\n',
      stderr: '',
      truncated: false,
      commandLine: 'echo hello',
    });
    expect(result.hostKey.fingerprint).toBe(server.hostKeyFingerprint);
  });

  it('returns a non-zero exit code as a result, with stdout and stderr apart', async () => {
    const result = await shell.run(
      targetOf(server),
      command(['sh', '-c', 'echo out; echo err >&2; echo more >&2; exit 3']),
      trusted,
      never(),
    );
    expect(result).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n', stderr: 'err\nmore\n' });
  });

  it('reports a command killed by a signal', async () => {
    // `exec` replaces the login shell, so the process sshd waits for is the one that is killed.
    const result = await shell.run(
      targetOf(server),
      command(['exec', 'sh', '-c', 'kill -KILL $$']),
      trusted,
      never(),
    );
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGKILL');
  });

  it('delivers every hostile word to the remote program as one literal argument', async () => {
    const words = [
      '; touch /tmp/vigie-injected',
      '&& id',
      '$(id)',
      '`id`',
      "it's",
      '"q"',
      'new\nline',
      '*',
      '~',
      '${HOME}',
      '--foo',
      '',
      'é 漢字',
    ];
    const result = await shell.run(
      targetOf(server),
      command(['printf', '%s\\0', ...words]),
      trusted,
      never(),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(words);
    expect(existsSync('/tmp/vigie-injected')).toBe(false);
  });

  it('writes stdin then EOF (the runtime-API-over-socat shape)', async () => {
    const result = await shell.run(
      targetOf(server),
      command(['cat'], { stdin: 'show servers state\n' }),
      trusted,
      never(),
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: 'show servers state\n' });
  });

  it('streams output through the callback as it arrives', async () => {
    const chunks: OutputChunk[] = [];
    const result = await shell.run(
      targetOf(server),
      command(['sh', '-c', 'echo one; echo two >&2; echo three'], { onOutput: (c) => chunks.push(c) }),
      trusted,
      never(),
    );
    const joined = (s: string) =>
      chunks
        .filter((c) => c.stream === s)
        .map((c) => c.text)
        .join('');
    expect(joined('stdout')).toBe(result.stdout);
    expect(joined('stderr')).toBe('two\n');
  });

  it('times out a slow command with TIMEOUT, stops it remotely and closes the connection', async () => {
    const catcher = pidCatcher();
    const err = await failure(
      shell.run(
        targetOf(server),
        command(PRINT_PID_THEN_SLEEP, { timeoutMs: 1_000, onOutput: catcher.onOutput }),
        trusted,
        never(),
      ),
    );
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/1000 ms/);
    const pid = await catcher.pid;
    // sshd turns the channel's signal request into killpg(TERM) on the session's processes.
    await waitFor(() => Promise.resolve(!existsSync(`/proc/${pid}`)), {
      what: `remote sleep ${pid} ended`,
      deadlineMs: 5_000,
    });
    await waitFor(() => Promise.resolve(establishedTo(server.port) === 0), {
      what: 'no connection left to sshd',
      deadlineMs: 5_000,
    });
  });

  it('aborts mid-run: ABORTED, the remote process stopped, the connection closed', async () => {
    const controller = new AbortController();
    const catcher = pidCatcher();
    void catcher.pid.then(() => controller.abort());
    const err = await failure(
      shell.run(
        targetOf(server),
        command(PRINT_PID_THEN_SLEEP, { onOutput: catcher.onOutput }),
        trusted,
        controller.signal,
      ),
    );
    expect(err.code).toBe('ABORTED');
    const pid = await catcher.pid;
    await waitFor(() => Promise.resolve(!existsSync(`/proc/${pid}`)), {
      what: `remote sleep ${pid} ended`,
      deadlineMs: 5_000,
    });
    await waitFor(() => Promise.resolve(establishedTo(server.port) === 0), {
      what: 'no connection left to sshd',
      deadlineMs: 5_000,
    });
  });

  it('fails with ABORTED at once when the signal is already aborted, without connecting', async () => {
    const before = server.process.logs().length;
    const err = await failure(shell.run(targetOf(server), command(['true']), trusted, AbortSignal.abort()));
    expect(err.code).toBe('ABORTED');
    expect(server.process.logs().length).toBe(before);
  });

  it('keeps the first maxOutputBytes bytes of an endless output, flags it and stops the command', async () => {
    const chunks: string[] = [];
    const result = await shell.run(
      targetOf(server),
      command(['yes', 'vigie'], { maxOutputBytes: 10_000, onOutput: (c) => chunks.push(c.text) }),
      trusted,
      never(),
    );
    expect(result.truncated).toBe(true);
    expect(result.stdout).toHaveLength(10_000);
    expect(result.stdout.startsWith('vigie\nvigie\n')).toBe(true);
    expect(chunks.join('')).toBe(result.stdout);
  });

  it('counts stderr in the cap too', async () => {
    const result = await shell.run(
      targetOf(server),
      command(['sh', '-c', 'head -c 5000 /dev/zero >&2; sleep 30'], { maxOutputBytes: 1_000 }),
      trusted,
      never(),
    );
    expect(result.truncated).toBe(true);
    expect(result.stderr).toHaveLength(1_000);
    expect(result.stdout).toBe('');
  });

  it('does not flag output that ends exactly at the cap', async () => {
    const result = await shell.run(
      targetOf(server),
      command(['head', '-c', '4096', '/dev/zero'], { maxOutputBytes: 4096 }),
      trusted,
      never(),
    );
    expect(result).toMatchObject({ exitCode: 0, truncated: false });
    expect(result.stdout).toHaveLength(4096);
  });

  it('fails with AUTH when the server refuses the key', async () => {
    const other = newEd25519KeyPair();
    const err = await failure(
      shell.run(
        targetOf(server, { credential: { kind: 'privateKey', privateKey: other.private } }),
        command(['true']),
        trusted,
        never(),
      ),
    );
    expect(err.code).toBe('AUTH');
  });

  it('fails with AUTH when the server refuses passwords', async () => {
    const err = await failure(
      shell.run(
        targetOf(server, { credential: { kind: 'password', password: 'not-accepted' } }),
        command(['true']),
        trusted,
        never(),
      ),
    );
    expect(err.code).toBe('AUTH');
  });

  it('fails with CREDENTIAL on an unreadable key, before connecting, without echoing it', async () => {
    const before = server.process.logs().length;
    const err = await failure(
      shell.run(
        targetOf(server, { credential: { kind: 'privateKey', privateKey: 'SECRET-NOT-A-KEY' } }),
        command(['true']),
        trusted,
        never(),
      ),
    );
    expect(err.code).toBe('CREDENTIAL');
    expect(err.message).not.toContain('SECRET');
    expect(server.process.logs().length).toBe(before);
  });

  it('fails with UNREACHABLE when nothing listens', async () => {
    const port = await freeTcpPort();
    const err = await failure(shell.run(targetOf(server, { port }), command(['true']), trusted, never()));
    expect(err.code).toBe('UNREACHABLE');
  });

  it('fails with TIMEOUT when the server never completes the handshake', async () => {
    const accepted: net.Socket[] = [];
    const silent = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const err = await failure(
        shell.run(targetOf(server, { port, readyTimeoutMs: 300 }), command(['true']), trusted, never()),
      );
      expect(err.code).toBe('TIMEOUT');
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe.skipIf(sshdSkip !== undefined)(withSkipReason('Ssh2RemoteShell host key changes', sshdSkip), () => {
  const shell = new Ssh2RemoteShell();
  const servers: SshdHandle[] = [];

  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('refuses with HOST_KEY_CHANGED, before authenticating, when sshd restarts with another key', async () => {
    const first = await startSshd();
    servers.push(first);
    const pinned = first.hostKeyFingerprint;
    const ok = await shell.run(targetOf(first), command(['true']), trustFingerprint(pinned), never());
    expect(ok.exitCode).toBe(0);
    await first.stop();

    const second = await startSshd({ port: first.port });
    servers.push(second);
    expect(second.hostKeyFingerprint).not.toBe(pinned);
    const err = await failure(
      // The new server authorizes a new client key: offer it, so only the host key can refuse.
      shell.run(targetOf(second), command(['true']), trustFingerprint(pinned), never()),
    );
    expect(err).toBeInstanceOf(HostKeyRefusedError);
    expect(err.code).toBe('HOST_KEY_CHANGED');
    expect((err as HostKeyRefusedError).presented.fingerprint).toBe(second.hostKeyFingerprint);
    expect(authAttempts(second)).toBe(0);
  });

  it('asks a server holding several host keys for the pinned key type first', async () => {
    const dir = await makeTempDir('ssh-keys');
    try {
      const keygen = pathOf(requireBinaries(SSHD_REQUIREMENTS), 'ssh-keygen');
      const ecdsaPath = path.join(dir, 'ssh_host_ecdsa_key');
      runChecked(keygen, ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', ecdsaPath]);
      const line = runChecked(keygen, ['-l', '-E', 'sha256', '-f', `${ecdsaPath}.pub`]);
      const ecdsaFingerprint = /\b(SHA256:[A-Za-z0-9+/]+)/.exec(line)?.[1];
      const server = await startSshd({ extraConfig: [`HostKey ${ecdsaPath}`] });
      servers.push(server);
      const endpoint = { host: server.host, port: server.port };

      const byDefault = await shell.probeHostKey(endpoint, never());
      expect(byDefault.fingerprint).toBe(server.hostKeyFingerprint);
      const asked = await shell.probeHostKey({ ...endpoint, hostKeyType: 'ecdsa-sha2-nistp256' }, never());
      expect(asked).toMatchObject({ type: 'ecdsa-sha2-nistp256', fingerprint: ecdsaFingerprint });

      const result = await shell.run(
        targetOf(server, { hostKeyType: 'ecdsa-sha2-nistp256' }),
        command(['true']),
        trustFingerprint(ecdsaFingerprint!),
        never(),
      );
      expect(result.hostKey.type).toBe('ecdsa-sha2-nistp256');
    } finally {
      await removeTempDir(dir);
    }
  });
});
