/**
 * The training estate's SSH: one ssh2 server per SSH-speaking device, each on its own free
 * loopback port (all devices share one address, so the port tells them apart, as the SNMP agents
 * do), with its own ed25519 host key. Exec requests only: no shell, no pty, no subsystem (sftp),
 * no forwarding; ssh2 refuses every request that has no listener, and only `exec` has one. The
 * command line is answered by ssh-commands.ts, which refuses anything but the diagnostic commands.
 *
 * Keys live in a folder of the engine's data (created 0700, files 0600), so that they survive a
 * restart: a host key regenerated at every start would be a "changed host key" alarm at every
 * start, since the engine keeps its pins. The engine authenticates with a client key pair the
 * estate generates there too; its private half is handed over as a `file:` secret reference.
 * `rotateHostKey` replaces a device's key (file and server) to drill the changed-key path.
 */
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join, resolve } from 'node:path';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey } from 'ssh2';
import { newEd25519KeyPair } from '../adapters/ssh/ed25519-key';
import type { Clock } from '../ports/clock';
import { EstateError } from './estate-error';
import { answerCommand, type SshDeviceState } from './ssh-commands';

/** The login the devices accept (with the estate's client key only). */
export const ESTATE_SSH_USER = 'vigie';
/** RFC 4253 section 4.2 softwareversion: no space, no minus sign. */
const IDENT = 'VigieTrainingEstate_1.0';
/** Like sshd's LoginGraceTime: a connection that has not authenticated by then is closed. */
const LOGIN_GRACE_MS = 30_000;
/** Commands remembered for `commands()` (tests, drills: what reached the devices). */
const COMMAND_LOG_SIZE = 200;
const CLIENT_KEY_FILE = 'client_ed25519';

/** A device's host key as `ssh-keygen -l` shows it. */
export interface EstateSshHostKey {
  readonly type: string;
  /** `SHA256:` + base64 without padding. */
  readonly fingerprint: string;
  /** The public key blob, base64 (a known_hosts line is `<type> <publicKey>`). */
  readonly publicKey: string;
}

/** One exec request a device received, and how it ended. */
export interface EstateSshCommand {
  readonly deviceId: string;
  /** Clock time, epoch ms. */
  readonly at: number;
  /** The command line as received (cut at 500 characters). */
  readonly command: string;
  readonly exitCode: number;
}

export interface EstateSshDevice extends SshDeviceState {
  readonly id: string;
}

export interface EstateSshOptions {
  readonly host: string;
  readonly clock: Clock;
  /** Where the keys are kept (created 0700 if missing). */
  readonly keyDir: string;
  readonly devices: readonly EstateSshDevice[];
  /** Server-side failures (a listener error); client misbehaviour is not reported. */
  readonly onError: (error: Error) => void;
}

export interface RunningSshServers {
  readonly user: string;
  /** Absolute path of the client's private key (OpenSSH format, 0600). */
  readonly clientKeyFile: string;
  port(deviceId: string): number;
  hostKey(deviceId: string): EstateSshHostKey;
  /**
   * Gives a device a new host key, written to its file before the call returns: connections
   * from now on see the new key (connections already open keep theirs). Resolves with the new key.
   */
  rotateHostKey(deviceId: string): Promise<EstateSshHostKey>;
  /** The latest exec requests received, oldest first. */
  commands(): readonly EstateSshCommand[];
  /** Closes every listener and connection; safe to call more than once. */
  close(): Promise<void>;
}

interface DeviceServer {
  readonly device: EstateSshDevice;
  readonly keyFile: string;
  readonly listener: net.Server;
  readonly sockets: Set<net.Socket>;
  port: number;
  server: ssh2.Server;
  hostKey: EstateSshHostKey;
}

function parsePrivateKey(text: string, what: string): ParsedKey {
  const key = ssh2.utils.parseKey(text);
  if (key instanceof Error || !key.isPrivateKey())
    throw new EstateError('START_FAILED', `${what} is not a usable private key`);
  return key;
}

function describeKey(key: ParsedKey): EstateSshHostKey {
  const blob = key.getPublicSSH();
  return {
    type: key.type,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    publicKey: blob.toString('base64'),
  };
}

/** Writes `text` to `file` with mode 0600, atomically (a reader never sees half a key). */
async function writeSecretFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, file);
}

/** The key kept in `file`, or a new ed25519 key written there when there is none (or it is unusable). */
async function keyIn(file: string, onError: (e: Error) => void): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    parsePrivateKey(text, file);
    // A key readable by others is tightened, as ssh would insist.
    await chmod(file, 0o600);
    return text;
  } catch (err: unknown) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT'))
      onError(new Error(`training estate: ${file} is unusable, a new key replaces it`, { cause: err }));
  }
  const text = newEd25519KeyPair().private;
  await writeSecretFile(file, text);
  return text;
}

async function listen(listener: net.Server, host: string): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    listener.once('error', reject);
    listener.listen(0, host, () => {
      listener.off('error', reject);
      const address = listener.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolvePort(address.port);
    });
  });
}

/** Starts one SSH server per device. Rejects with an EstateError (and leaves nothing open). */
export async function startSshServers(options: EstateSshOptions): Promise<RunningSshServers> {
  const { host, clock, onError } = options;
  const keyDir = resolve(options.keyDir);
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  await chmod(keyDir, 0o700);
  const clientKeyFile = join(keyDir, CLIENT_KEY_FILE);
  const authorized = parsePrivateKey(await keyIn(clientKeyFile, onError), clientKeyFile);
  const authorizedBlob = authorized.getPublicSSH();
  const log: EstateSshCommand[] = [];
  const servers = new Map<string, DeviceServer>();
  let closing: Promise<void> | undefined;

  const handleClient = (device: EstateSshDevice, client: Connection): void => {
    // Resets and probes that hang up during the key exchange are normal: nothing to report.
    client.on('error', () => undefined);
    let authenticated = false;
    const cancelGrace = clock.setTimeout(() => {
      if (!authenticated) client.end();
    }, LOGIN_GRACE_MS);
    client.on('close', cancelGrace);
    client.on('authentication', (ctx) => {
      if (
        ctx.method !== 'publickey' ||
        ctx.username !== ESTATE_SSH_USER ||
        ctx.key.algo !== authorized.type ||
        !ctx.key.data.equals(authorizedBlob)
      ) {
        ctx.reject(['publickey']);
        return;
      }
      // Without a signature the client only asks whether the key would do (RFC 4252 section 7).
      if (ctx.signature === undefined || ctx.blob === undefined) {
        ctx.accept();
        return;
      }
      if (authorized.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) ctx.accept();
      else ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      authenticated = true;
      cancelGrace();
      client.on('session', (accept) => {
        // Only `exec` is listened for: pty, shell, subsystem, env, x11 and agent requests are refused.
        accept().once('exec', (acceptExec, _reject, info) => {
          const at = clock.now();
          const outcome = answerCommand(device, info.command, at);
          log.push({
            deviceId: device.id,
            at,
            command: info.command.slice(0, 500),
            exitCode: outcome.exitCode,
          });
          if (log.length > COMMAND_LOG_SIZE) log.splice(0, log.length - COMMAND_LOG_SIZE);
          const channel = acceptExec();
          if (outcome.stdout !== '') channel.write(outcome.stdout);
          if (outcome.stderr !== '') channel.stderr.write(outcome.stderr);
          channel.exit(outcome.exitCode);
          channel.end();
        });
      });
    });
  };

  const sshServerFor = (device: EstateSshDevice, key: string): ssh2.Server =>
    new ssh2.Server({ hostKeys: [key], ident: IDENT }, (client) => handleClient(device, client));

  const closeEntry = async (entry: DeviceServer): Promise<void> => {
    for (const socket of entry.sockets) socket.destroy();
    await new Promise<void>((done) => {
      if (!entry.listener.listening) done();
      else entry.listener.close(() => done());
    });
  };

  try {
    for (const device of options.devices) {
      const keyFile = join(keyDir, `host-${device.id}_ed25519`);
      const hostKeyText = await keyIn(keyFile, onError);
      const sockets = new Set<net.Socket>();
      const listener = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        const entry = servers.get(device.id);
        if (entry === undefined || closing) socket.destroy();
        else entry.server.injectSocket(socket);
      });
      listener.on('error', (err) =>
        onError(new Error(`training estate: SSH of ${device.id}`, { cause: err })),
      );
      const entry: DeviceServer = {
        device,
        keyFile,
        listener,
        sockets,
        port: 0,
        server: sshServerFor(device, hostKeyText),
        hostKey: describeKey(parsePrivateKey(hostKeyText, keyFile)),
      };
      servers.set(device.id, entry);
      try {
        entry.port = await listen(listener, host);
      } catch (err: unknown) {
        throw new EstateError('PORT_UNAVAILABLE', `no TCP port for the SSH of ${device.id} on ${host}`, {
          cause: err,
        });
      }
    }
  } catch (err: unknown) {
    await Promise.allSettled([...servers.values()].map(closeEntry));
    throw err;
  }

  const entryOf = (deviceId: string): DeviceServer => {
    const entry = servers.get(deviceId);
    if (entry === undefined)
      throw new EstateError(
        'UNKNOWN_DEVICE',
        `no SSH on "${deviceId}"; devices with SSH: ${[...servers.keys()].join(', ')}`,
      );
    return entry;
  };

  return {
    user: ESTATE_SSH_USER,
    clientKeyFile,
    port: (deviceId) => entryOf(deviceId).port,
    hostKey: (deviceId) => entryOf(deviceId).hostKey,
    rotateHostKey(deviceId) {
      try {
        const entry = entryOf(deviceId);
        if (closing) throw new EstateError('STOPPED', 'the training estate is stopped');
        const text = newEd25519KeyPair().private;
        const hostKey = describeKey(parsePrivateKey(text, entry.keyFile));
        // Kept before it is presented, synchronously (a few hundred bytes): when the call (or the
        // drill that makes it) returns, the file and the server agree, whatever happens next.
        const temporary = `${entry.keyFile}.${process.pid}.tmp`;
        writeFileSync(temporary, text, { mode: 0o600 });
        renameSync(temporary, entry.keyFile);
        entry.hostKey = hostKey;
        entry.server = sshServerFor(entry.device, text);
        return Promise.resolve(hostKey);
      } catch (err: unknown) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    commands: () => [...log],
    close() {
      closing ??= Promise.allSettled([...servers.values()].map(closeEntry)).then((results) => {
        const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        if (failures.length > 0) throw new AggregateError(failures, 'SSH listeners did not close');
      });
      return closing;
    },
  };
}
