/**
 * RemoteShell on npm `ssh2`: one connection per command, host key checked in `hostVerifier`
 * (refused before authentication), credentials offered only through our own `authHandler` and
 * only after the key was trusted, keepalive on, our own TCP connect with a deadline, and failures
 * mapped to RemoteShellErrorCode.
 *
 * ssh2 traps handled here (PITFALLS.md): without `hostVerifier` it accepts any key, it has no
 * known_hosts and keepalive is off by default; its `hostVerifier` runs before the server's
 * signature is checked (the refusal needs no proof; a trusted key is still verified by ssh2 right
 * after); a channel can deliver a `signal` request only while its stdin is open; a channel's
 * 'close' may come before stderr has ended.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import ssh2 from 'ssh2';
import type {
  AnyAuthMethod,
  AuthHandlerMiddleware,
  ClientChannel,
  ConnectConfig,
  ParsedKey,
  ServerHostKeyAlgorithm,
  Client as SshClient,
} from 'ssh2';
import {
  HostKeyRefusedError,
  posixCommandLine,
  type HostKeyCheck,
  type OutputChunk,
  type PresentedHostKey,
  type RemoteCommand,
  type RemoteCommandResult,
  type RemoteShell,
  type RemoteShellErrorCode,
  type RemoteTarget,
  type SshEndpoint,
} from '../../ports/remote-shell';
import { UpstreamError } from '../../ports/upstream-error';
import { missingCase } from '../../../../shared/domain/missing-case';

export interface Ssh2RemoteShellOptions {
  /** Default TCP connect deadline when the endpoint gives none; 5 s. */
  readonly connectTimeoutMs?: number;
  /** Default handshake + authentication deadline when the endpoint gives none; 10 s. */
  readonly readyTimeoutMs?: number;
  /** SSH keepalive (global request) interval, ms; 5 s. A dead peer fails the run with TIMEOUT. */
  readonly keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection is declared dead; 3. */
  readonly keepaliveCountMax?: number;
  /** How long a stopped channel or an ending connection may take to close before it is cut; 2 s. */
  readonly closeGraceMs?: number;
}

const MAX_TIMEOUT_MS = 24 * 3600 * 1000;
/** Host key algorithms per key type, strongest first (RFC 8332 for RSA with SHA-2). */
const ALGORITHMS_OF_KEY_TYPE: Readonly<Record<string, readonly ServerHostKeyAlgorithm[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** An authenticated connection, closed by `close()` whatever happened. */
interface Session {
  readonly conn: SshClient;
  readonly sock: net.Socket;
  readonly hostKey: PresentedHostKey;
  readonly source: string;
}

export class Ssh2RemoteShell implements RemoteShell {
  private readonly connectTimeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly keepaliveIntervalMs: number;
  private readonly keepaliveCountMax: number;
  private readonly closeGraceMs: number;

  constructor(options: Ssh2RemoteShellOptions = {}) {
    this.connectTimeoutMs = checkedMs('connectTimeoutMs', options.connectTimeoutMs ?? 5_000);
    this.readyTimeoutMs = checkedMs('readyTimeoutMs', options.readyTimeoutMs ?? 10_000);
    this.keepaliveIntervalMs = checkedMs('keepaliveIntervalMs', options.keepaliveIntervalMs ?? 5_000);
    this.keepaliveCountMax = options.keepaliveCountMax ?? 3;
    this.closeGraceMs = checkedMs('closeGraceMs', options.closeGraceMs ?? 2_000);
  }

  async run(
    target: RemoteTarget,
    command: RemoteCommand,
    checkHostKey: HostKeyCheck,
    signal: AbortSignal,
  ): Promise<RemoteCommandResult> {
    validateEndpoint(target);
    if (target.username === '' || target.username.length > 256 || /\p{Cc}/u.test(target.username))
      throw new RangeError('username must be 1 to 256 characters without control characters');
    checkedMs('timeoutMs', command.timeoutMs);
    if (!Number.isInteger(command.maxOutputBytes) || command.maxOutputBytes < 1)
      throw new RangeError(`maxOutputBytes must be a positive integer, got ${command.maxOutputBytes}`);
    const commandLine = posixCommandLine(command.argv);
    const source = sourceOf(target);
    const auth = authMethodOf(target, source);
    throwIfAborted(signal, source);
    const started = Date.now();
    const opened = await this.open(target, source, { kind: 'run', check: checkHostKey, auth }, signal);
    if (!('conn' in opened)) throw new UpstreamError(source, 'PROTOCOL', 'no session was opened');
    try {
      const outcome = await this.exec(opened, commandLine, command, signal);
      return { commandLine, ...outcome, durationMs: Date.now() - started, hostKey: opened.hostKey };
    } finally {
      await this.close(opened);
    }
  }

  async probeHostKey(endpoint: SshEndpoint, signal: AbortSignal): Promise<PresentedHostKey> {
    validateEndpoint(endpoint);
    const source = sourceOf(endpoint);
    throwIfAborted(signal, source);
    const probed = await this.open(endpoint, source, { kind: 'probe' }, signal);
    if ('conn' in probed) {
      // Unreachable by construction (the probe refuses every key); never leave a session open.
      await this.close(probed);
      throw new UpstreamError(source, 'PROTOCOL', 'the probe unexpectedly authenticated');
    }
    return probed;
  }

  /**
   * TCP connect with a deadline, then the SSH handshake on that socket. In `run` mode resolves
   * with an authenticated session; in `probe` mode refuses the presented key and resolves with it.
   */
  private async open(
    endpoint: SshEndpoint,
    source: string,
    mode:
      | { readonly kind: 'run'; readonly check: HostKeyCheck; readonly auth: AnyAuthMethod }
      | { readonly kind: 'probe' },
    signal: AbortSignal,
  ): Promise<Session | PresentedHostKey> {
    const sock = await tcpConnect(
      endpoint,
      endpoint.connectTimeoutMs ?? this.connectTimeoutMs,
      source,
      signal,
    );
    const conn = new ssh2.Client();
    return new Promise<Session | PresentedHostKey>((resolve, reject) => {
      let settled = false;
      let presented: PresentedHostKey | undefined;
      let trusted = false;
      /** Why the handshake was cut on our side; wins over the error ssh2 reports for it. */
      let refusal: Error | undefined;
      let authAttempted = false;

      const finish = (outcome: { ok: Session | PresentedHostKey } | { err: Error }): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        if ('ok' in outcome) {
          resolve(outcome.ok);
          return;
        }
        conn.end();
        sock.destroy();
        reject(outcome.err);
      };
      const onAbort = (): void => finish({ err: new UpstreamError(source, 'ABORTED', 'aborted') });
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) {
        onAbort();
        return;
      }

      // This listener stays for the connection's life, so an 'error' is never unhandled; after
      // `finish` it is a no-op and the exec phase listens on its own.
      conn.on('error', (err: Error) => {
        if (mode.kind === 'probe' && presented !== undefined && refusal === undefined) {
          finish({ ok: presented });
          return;
        }
        finish({ err: refusal ?? mapSshError(err, source) });
      });
      conn.on('close', () => {
        if (mode.kind === 'probe' && presented !== undefined && refusal === undefined) {
          finish({ ok: presented });
          return;
        }
        finish({
          err:
            refusal ??
            new UpstreamError(
              source,
              'PROTOCOL',
              'the server closed the connection before the session was ready',
            ),
        });
      });
      conn.once('ready', () => {
        if (presented === undefined || !trusted) {
          finish({ err: new UpstreamError(source, 'PROTOCOL', 'session ready without a trusted host key') });
          return;
        }
        finish({ ok: { conn, sock, hostKey: presented, source } });
      });

      const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
        const described = describeHostKey(key);
        if (described === null) {
          refusal = new UpstreamError(source, 'PROTOCOL', 'the server presented a malformed host key');
          verify(false);
          return;
        }
        presented = described;
        if (mode.kind === 'probe') {
          verify(false);
          return;
        }
        // The check may be async (a pin store): run it outside ssh2's call stack, and never let it
        // throw into ssh2.
        Promise.resolve()
          .then(() => mode.check(described))
          .then(
            (verdict) => {
              if (verdict === 'trusted') {
                trusted = true;
                verify(true);
                return;
              }
              refusal = new HostKeyRefusedError(
                source,
                verdict === 'unknown' ? 'HOST_KEY_UNKNOWN' : 'HOST_KEY_CHANGED',
                described,
              );
              verify(false);
            },
            (err: unknown) => {
              refusal =
                err instanceof Error
                  ? err
                  : new UpstreamError(source, 'PROTOCOL', `host key check failed: ${String(err)}`);
              verify(false);
            },
          );
      };

      // ssh2 accepts `false` from an auth handler ("no more methods") though its types do not say so.
      const authHandler = (
        _methodsLeft: unknown,
        _partial: unknown,
        next: (m: AnyAuthMethod | false) => void,
      ) => {
        if (mode.kind !== 'run' || !trusted || authAttempted) {
          next(false);
          return;
        }
        authAttempted = true;
        next(mode.auth);
      };

      const config: ConnectConfig = {
        sock,
        // The probe never reaches authentication; ssh2 only wants a name.
        username: mode.kind === 'run' ? mode.auth.username : 'probe',
        readyTimeout: endpoint.readyTimeoutMs ?? this.readyTimeoutMs,
        keepaliveInterval: this.keepaliveIntervalMs,
        keepaliveCountMax: this.keepaliveCountMax,
        hostVerifier,
        authHandler: authHandler as AuthHandlerMiddleware,
        ...hostKeyPreference(endpoint.hostKeyType),
      };
      try {
        conn.connect(config);
      } catch (err: unknown) {
        finish({ err: new UpstreamError(source, 'PROTOCOL', messageOf(err), { cause: err }) });
      }
    });
  }

  /** Runs the command on the session's connection; the session is closed by the caller. */
  private exec(
    session: Session,
    commandLine: string,
    command: RemoteCommand,
    signal: AbortSignal,
  ): Promise<Omit<RemoteCommandResult, 'commandLine' | 'durationMs' | 'hostKey'>> {
    const { conn, source } = session;
    type Stop =
      { readonly kind: 'timeout' | 'aborted' | 'limit' } | { readonly kind: 'failed'; readonly error: Error };
    return new Promise((resolve, reject) => {
      const output = new CappedOutput(command.maxOutputBytes);
      let channel: ClientChannel | undefined;
      let exit: { code: number | null; signal: string | null } | undefined;
      let stop: Stop | undefined;
      let stdoutClosed = false;
      let stderrEnded = false;
      let settled = false;
      let graceTimer: NodeJS.Timeout | undefined;

      const cleanUp = (): void => {
        settled = true;
        clearTimeout(deadline);
        clearTimeout(graceTimer);
        signal.removeEventListener('abort', onAbort);
        conn.off('error', onConnectionError);
        conn.off('close', onConnectionClose);
      };
      const fail = (err: Error): void => {
        if (settled) return;
        cleanUp();
        reject(err);
      };
      const complete = (): void => {
        if (settled) return;
        cleanUp();
        const text = output.text();
        switch (stop?.kind) {
          case 'timeout':
            reject(
              new UpstreamError(
                source,
                'TIMEOUT',
                `the command did not finish within ${command.timeoutMs} ms`,
              ),
            );
            return;
          case 'aborted':
            reject(new UpstreamError(source, 'ABORTED', 'aborted'));
            return;
          case 'failed':
            reject(stop.error);
            return;
          case 'limit':
            resolve({ ...text, exitCode: exit?.code ?? null, signal: exit?.signal ?? null, truncated: true });
            return;
          case undefined:
            if (exit === undefined) {
              reject(
                new UpstreamError(source, 'PROTOCOL', 'the server closed the channel without an exit status'),
              );
              return;
            }
            resolve({ ...text, exitCode: exit.code, signal: exit.signal, truncated: false });
            return;
          default:
            throw missingCase(stop);
        }
      };
      const maybeComplete = (): void => {
        if (stdoutClosed && stderrEnded) complete();
      };
      /** Stops the command: TERM while stdin is open (OpenSSH signals the process group), then close. */
      const terminate = (why: Stop): void => {
        if (settled || stop !== undefined) return;
        stop = why;
        if (channel === undefined) {
          // The exec request is still in flight: its callback closes the channel when it lands.
          complete();
          return;
        }
        channel.signal('TERM');
        channel.close();
        graceTimer = setTimeout(complete, this.closeGraceMs);
      };
      const onAbort = (): void => terminate({ kind: 'aborted' });
      const onConnectionError = (err: Error): void => fail(mapSshError(err, source));
      const onConnectionClose = (): void => {
        if (stop === undefined && exit === undefined) {
          fail(new UpstreamError(source, 'UNREACHABLE', 'the connection closed while the command ran'));
          return;
        }
        // The exit status is in: let the channel's streams end (ssh2 ends them on a dead connection).
        clearTimeout(graceTimer);
        graceTimer = setTimeout(complete, this.closeGraceMs);
      };
      const deadline = setTimeout(() => terminate({ kind: 'timeout' }), command.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      conn.on('error', onConnectionError);
      conn.on('close', onConnectionClose);
      if (signal.aborted) {
        terminate({ kind: 'aborted' });
        return;
      }

      const emit = (stream: OutputChunk['stream'], chunk: Buffer): void => {
        if (stop !== undefined) return;
        const { text, full } = output.push(stream, chunk);
        if (text !== '' && command.onOutput !== undefined) {
          try {
            command.onOutput({ stream, text });
          } catch (err: unknown) {
            terminate({ kind: 'failed', error: err instanceof Error ? err : new Error(String(err)) });
            return;
          }
        }
        if (full) terminate({ kind: 'limit' });
      };

      conn.exec(commandLine, (err: Error | undefined, ch: ClientChannel) => {
        if (err !== undefined) {
          fail(
            new UpstreamError(source, 'PROTOCOL', `the server refused the command: ${err.message}`, {
              cause: err,
            }),
          );
          return;
        }
        if (settled || stop !== undefined) {
          ch.close();
          return;
        }
        channel = ch;
        ch.on('data', (chunk: Buffer) => emit('stdout', chunk));
        ch.stderr.on('data', (chunk: Buffer) => emit('stderr', chunk));
        ch.on('exit', (code: number | null, sig?: string) => {
          exit = { code: typeof code === 'number' ? code : null, signal: sig ?? null };
        });
        // ssh2 emits 'close' once stdout has ended, but stderr may still hold data.
        ch.on('close', () => {
          stdoutClosed = true;
          maybeComplete();
        });
        const stderrDone = (): void => {
          stderrEnded = true;
          maybeComplete();
        };
        ch.stderr.once('end', stderrDone);
        ch.stderr.once('close', stderrDone);
        if (command.stdin !== undefined) ch.end(command.stdin);
      });
    });
  }

  /** Ends the connection and waits for the socket to close, cutting it after the grace period. */
  private async close(session: Session): Promise<void> {
    const { conn, sock } = session;
    if (sock.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        sock.destroy();
        resolve();
      }, this.closeGraceMs);
      sock.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      conn.end();
    });
  }
}

// ---------------------------------------------------------------------------------------------

/** stdout and stderr kept up to a combined byte cap, with incremental UTF-8 decoding for callbacks. */
class CappedOutput {
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private bytes = 0;

  constructor(private readonly cap: number) {}

  /** Keeps what fits; `full` once the cap is reached. */
  push(stream: OutputChunk['stream'], chunk: Buffer): { text: string; full: boolean } {
    const room = this.cap - this.bytes;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.bytes += kept.length;
    this.chunks[stream].push(kept);
    return { text: this.decoders[stream].write(kept), full: chunk.length > room };
  }

  text(): { stdout: string; stderr: string } {
    return {
      stdout: Buffer.concat(this.chunks.stdout).toString('utf8'),
      stderr: Buffer.concat(this.chunks.stderr).toString('utf8'),
    };
  }
}

function tcpConnect(
  endpoint: SshEndpoint,
  timeoutMs: number,
  source: string,
  signal: AbortSignal,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: endpoint.host, port: endpoint.port });
    const finish = (err: Error | undefined): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sock.off('connect', onConnect);
      sock.off('error', onError);
      if (err === undefined) {
        resolve(sock);
        return;
      }
      sock.destroy();
      reject(err);
    };
    const onConnect = (): void => finish(undefined);
    const onError = (err: Error): void => finish(mapSocketError(err, source));
    const onAbort = (): void => finish(new UpstreamError(source, 'ABORTED', 'aborted'));
    const timer = setTimeout(
      () => finish(new UpstreamError(source, 'TIMEOUT', `no TCP connection within ${timeoutMs} ms`)),
      timeoutMs,
    );
    sock.once('connect', onConnect);
    sock.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The presented key, or null when the blob is not an SSH public key (RFC 4253 section 6.6). */
export function describeHostKey(blob: Buffer): PresentedHostKey | null {
  if (blob.length < 4) return null;
  const typeLength = blob.readUInt32BE(0);
  if (typeLength < 1 || typeLength > 64 || 4 + typeLength > blob.length) return null;
  const type = blob.subarray(4, 4 + typeLength).toString('latin1');
  if (!/^[\x21-\x7e]+$/.test(type)) return null;
  return { type, fingerprint: sshFingerprint(blob), publicKey: blob.toString('base64') };
}

/** OpenSSH's fingerprint of a key blob: `SHA256:` + base64 of its SHA-256, without padding. */
export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function hostKeyPreference(keyType: string | undefined): Pick<ConnectConfig, 'algorithms'> {
  const preferred = keyType === undefined ? undefined : ALGORITHMS_OF_KEY_TYPE[keyType];
  if (preferred === undefined) return {};
  // Remove then prepend: ssh2 skips a prepend of an algorithm already in its list, so moving one
  // to the front needs both (operations apply in key order).
  return {
    algorithms: { serverHostKey: { remove: [...preferred], prepend: [...preferred], append: [] } },
  };
}

/** The one authentication method offered for `target`; an unusable key fails before connecting. */
function authMethodOf(target: RemoteTarget, source: string): AnyAuthMethod {
  const { credential, username } = target;
  switch (credential.kind) {
    case 'password':
      return { type: 'password', username, password: credential.password };
    case 'privateKey': {
      const data =
        typeof credential.privateKey === 'string'
          ? credential.privateKey
          : Buffer.from(credential.privateKey);
      let parsed: ParsedKey | ParsedKey[] | Error;
      try {
        parsed = ssh2.utils.parseKey(data, credential.passphrase);
      } catch (err: unknown) {
        parsed = err instanceof Error ? err : new Error(String(err));
      }
      const key: ParsedKey | Error | undefined = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
      // The library's message may quote the key's first bytes: keep it out of the error.
      if (key === undefined || key instanceof Error)
        throw new UpstreamError(
          source,
          'CREDENTIAL',
          'the private key cannot be read (format or passphrase)',
        );
      if (!key.isPrivateKey())
        throw new UpstreamError(source, 'CREDENTIAL', 'the key given as private key is a public key');
      return { type: 'publickey', username, key };
    }
    default:
      throw missingCase(credential);
  }
}

function validateEndpoint(endpoint: SshEndpoint): void {
  if (endpoint.host === '' || endpoint.host.length > 253 || /[\s\0]/.test(endpoint.host))
    throw new RangeError(`invalid host ${JSON.stringify(endpoint.host)}`);
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535)
    throw new RangeError(`port must be an integer from 1 to 65535, got ${endpoint.port}`);
  if (endpoint.connectTimeoutMs !== undefined) checkedMs('connectTimeoutMs', endpoint.connectTimeoutMs);
  if (endpoint.readyTimeoutMs !== undefined) checkedMs('readyTimeoutMs', endpoint.readyTimeoutMs);
}

function checkedMs(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMEOUT_MS)
    throw new RangeError(`${name} must be a positive number of ms up to ${MAX_TIMEOUT_MS}, got ${ms}`);
  return ms;
}

function sourceOf(endpoint: SshEndpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `ssh://${host}:${endpoint.port}`;
}

function throwIfAborted(signal: AbortSignal, source: string): void {
  if (signal.aborted) throw new UpstreamError(source, 'ABORTED', 'aborted');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errnoOf(err: Error): string | undefined {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Refused, reset, unreachable, unknown name...: UNREACHABLE; only a kernel connect timeout is TIMEOUT. */
function mapSocketError(err: Error, source: string): UpstreamError {
  const code: RemoteShellErrorCode = errnoOf(err) === 'ETIMEDOUT' ? 'TIMEOUT' : 'UNREACHABLE';
  return new UpstreamError(source, code, err.message, { cause: err });
}

/** ssh2 tags its errors with `level` (client-socket, client-timeout, client-authentication, ...). */
function mapSshError(err: Error, source: string): UpstreamError {
  if (err instanceof UpstreamError) return err;
  const level = (err as Error & { level?: unknown }).level;
  switch (level) {
    case 'client-socket':
    case 'client-dns':
      return mapSocketError(err, source);
    case 'client-timeout':
      return new UpstreamError(
        source,
        'TIMEOUT',
        /keepalive/i.test(err.message)
          ? 'the server stopped answering keepalives'
          : 'no SSH handshake in time',
        { cause: err },
      );
    case 'client-authentication':
      return new UpstreamError(source, 'AUTH', 'the server refused the credential', { cause: err });
    default:
      return new UpstreamError(source, 'PROTOCOL', err.message, { cause: err });
  }
}
