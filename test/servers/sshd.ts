/**
 * OpenSSH sshd on a random loopback port: own ed25519 host key, own sshd_config, key-only login
 * for one test user whose generated public key is the only authorized key. Readiness: a TCP
 * connection gets the `SSH-2.0-` banner.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Requirement, ServerBase } from './common';
import {
  LOOPBACK,
  freeTcpPort,
  isRoot,
  makeTempDir,
  pathOf,
  readyOrCleanUp,
  removeTempDir,
  requireBinaries,
  runChecked,
  spawnServer,
  stopper,
  withStartRetries,
} from './common';

export const SSHD_REQUIREMENTS: readonly Requirement[] = [
  { binary: 'sshd', debianPackage: 'openssh-server' },
  { binary: 'ssh-keygen', debianPackage: 'openssh-client' },
  ...(isRoot()
    ? [
        { binary: 'useradd', debianPackage: 'passwd' },
        { binary: 'usermod', debianPackage: 'passwd' },
      ]
    : []),
];

/** The account the tests log in as when running as root (created if missing). */
export const SSHD_TEST_USER = 'vigie-test';

export interface SshdOptions {
  /**
   * Account to log in as. As root: created with useradd if missing, default SSHD_TEST_USER.
   * Otherwise sshd cannot switch users: the current user, whatever is asked.
   */
  readonly user?: string;
  /** More sshd_config lines (e.g. `MaxSessions 2`). */
  readonly extraConfig?: readonly string[];
  /** Readiness deadline; default 10 s. */
  readonly readyDeadlineMs?: number;
  /**
   * Loopback port to listen on; default a free one. Given to restart a server where a stopped one
   * listened (a fresh host key each start: how a "changed host key" looks to a client).
   */
  readonly port?: number;
}

export interface SshdHandle extends ServerBase {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The client private key (OpenSSH format, ed25519, no passphrase) authorized for `user`. */
  readonly privateKey: string;
  readonly privateKeyPath: string;
  /** The server's host key fingerprint as `ssh-keygen -l` prints it: `SHA256:<base64 without =>`. */
  readonly hostKeyFingerprint: string;
  /** The server's public host key line (`ssh-ed25519 AAAA...`). */
  readonly hostPublicKey: string;
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;

export async function startSshd(options: SshdOptions = {}): Promise<SshdHandle> {
  const binaries = requireBinaries(SSHD_REQUIREMENTS);
  const sshd = pathOf(binaries, 'sshd');
  const keygen = pathOf(binaries, 'ssh-keygen');
  const user = isRoot() ? (options.user ?? SSHD_TEST_USER) : os.userInfo().username;
  if (!USER_NAME.test(user))
    throw new RangeError(`user name ${JSON.stringify(user)} must match ${String(USER_NAME)}`);
  if (isRoot()) {
    await ensureUnlockedUser(user, binaries);
    // Privilege separation directory, which Debian creates only from its service unit.
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  }

  return withStartRetries('sshd', async () => {
    const dir = await makeTempDir('sshd');
    let port: number;
    let configPath: string;
    let keys: { privateKey: string; hostPublicKey: string; hostKeyFingerprint: string };
    const hostKeyPath = path.join(dir, 'ssh_host_ed25519_key');
    const clientKeyPath = path.join(dir, 'client_ed25519');
    try {
      runChecked(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', 'vigie-test-host', '-f', hostKeyPath]);
      runChecked(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', `${user}@vigie-test`, '-f', clientKeyPath]);
      const authorizedKeys = path.join(dir, 'authorized_keys');
      // Readable by the user: sshd reads authorized keys with the user's privileges.
      await writeFile(authorizedKeys, await readFile(`${clientKeyPath}.pub`, 'utf8'), { mode: 0o644 });
      port = options.port ?? (await freeTcpPort());
      configPath = path.join(dir, 'sshd_config');
      await writeFile(
        configPath,
        [
          `ListenAddress ${LOOPBACK}`,
          `Port ${port}`,
          `HostKey ${hostKeyPath}`,
          `PidFile ${path.join(dir, 'sshd.pid')}`,
          `AuthorizedKeysFile ${authorizedKeys}`,
          'PubkeyAuthentication yes',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin no',
          'UsePAM no',
          // Keys live under /tmp, owned by root: skip the ownership checks.
          'StrictModes no',
          `AllowUsers ${user}`,
          'Subsystem sftp internal-sftp',
          'LogLevel VERBOSE',
          ...(options.extraConfig ?? []),
        ].join('\n') + '\n',
        { mode: 0o600 },
      );
      runChecked(sshd, ['-t', '-f', configPath]);
      const fingerprintLine = runChecked(keygen, ['-l', '-E', 'sha256', '-f', `${hostKeyPath}.pub`]);
      const fingerprint = /\b(SHA256:[A-Za-z0-9+/]+)\b/.exec(fingerprintLine)?.[1];
      if (fingerprint === undefined) throw new Error(`no fingerprint in: ${fingerprintLine}`);
      keys = {
        privateKey: await readFile(clientKeyPath, 'utf8'),
        hostPublicKey: (await readFile(`${hostKeyPath}.pub`, 'utf8')).trim(),
        hostKeyFingerprint: fingerprint,
      };
    } catch (err: unknown) {
      await removeTempDir(dir);
      throw err;
    }
    // sshd must be started by absolute path (it re-executes itself for each connection).
    const proc = spawnServer('sshd', sshd, ['-D', '-e', '-f', configPath], { cwd: dir });
    await readyOrCleanUp(proc, dir, () => sshBannerAnswers(LOOPBACK, port), {
      what: `sshd on ${LOOPBACK}:${port}`,
      deadlineMs: options.readyDeadlineMs ?? 10_000,
    });
    return {
      host: LOOPBACK,
      port,
      user,
      privateKeyPath: clientKeyPath,
      ...keys,
      dir,
      process: proc,
      stop: stopper(proc, dir),
    };
  });
}

/**
 * Creates the account if missing and unlocks it: useradd leaves it locked ('!' in /etc/shadow),
 * which sshd refuses even for key logins; '*' allows no password but is not "locked". Test files
 * run in parallel may race on useradd/usermod (they lock /etc/passwd): a failure is fine when the
 * account is there and unlocked afterwards, and a busy lock is tried again.
 */
async function ensureUnlockedUser(user: string, binaries: Record<string, string>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const state = await accountState(user);
    if (state === 'usable') return;
    try {
      if (state === 'absent')
        runChecked(pathOf(binaries, 'useradd'), ['--create-home', '--shell', '/bin/sh', user]);
      else runChecked(pathOf(binaries, 'usermod'), ['-p', '*', user]);
    } catch (err: unknown) {
      if (attempt >= 20) throw err;
      // Another test process holds the passwd lock for a few milliseconds: look again shortly.
      await delay(25 * attempt);
    }
  }
}

async function accountState(user: string): Promise<'absent' | 'locked' | 'usable'> {
  const shadow = await readFile('/etc/shadow', 'utf8');
  const line = shadow.split('\n').find((l) => l.startsWith(`${user}:`));
  if (line === undefined) return 'absent';
  return (line.split(':')[1] ?? '').startsWith('!') ? 'locked' : 'usable';
}

/** True once the server sends its SSH identification string (RFC 4253 section 4.2). */
export function sshBannerAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let received = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) finish(received.startsWith('SSH-2.0-'));
    });
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}
