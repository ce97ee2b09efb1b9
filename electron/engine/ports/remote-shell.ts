/**
 * What the engine needs of a remote shell: run ONE command, given as an argv, on a host over SSH,
 * with the host key checked before any credential is sent. Used by the diagnostics service
 * (issue 4) and by failover runbook steps (issue 9: HAProxy runtime API through `socat`, the
 * runtime command written on stdin).
 *
 * The far side runs every exec through the login user's shell (`$SHELL -c "<line>"`, RFC 4254
 * section 6.5 leaves the interpretation to the server and OpenSSH hands it to the shell): the argv
 * is therefore sent as one line in which every word is quoted for a POSIX shell
 * ({@link posixCommandLine}). Callers still build argv only from allow-listed templates with
 * validated parameters (PITFALLS.md, ssh2): quoting is the second wall, not the first.
 *
 * Every call takes an AbortSignal; the adapter never retries (services own retries, DESIGN.md
 * section 4). Failures are `UpstreamError`s with a {@link RemoteShellErrorCode}.
 */
import { UpstreamError } from './upstream-error';

/** Where to connect, without credentials (enough to read the host key). */
export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  /**
   * Key type the server should present first (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`...):
   * the type of the pinned key, so that a server holding several host keys presents the pinned one
   * rather than whichever the client library prefers (what OpenSSH does with known_hosts).
   */
  readonly hostKeyType?: string;
  /** TCP connection deadline, ms (default chosen by the adapter, a few seconds). */
  readonly connectTimeoutMs?: number;
  /** SSH handshake and authentication deadline once TCP is up, ms. */
  readonly readyTimeoutMs?: number;
}

/**
 * A resolved secret: the key or password itself, handed over per call (the secret store of a
 * later issue resolves references; nothing here reads files). Never logged, never audited.
 */
export type SshCredential =
  | {
      readonly kind: 'privateKey';
      /** OpenSSH or PEM private key text (or its bytes). */
      readonly privateKey: string | Uint8Array;
      readonly passphrase?: string;
    }
  | { readonly kind: 'password'; readonly password: string };

export interface RemoteTarget extends SshEndpoint {
  readonly username: string;
  readonly credential: SshCredential;
}

/** The host key the server presented. */
export interface PresentedHostKey {
  /** Key type from the key blob, e.g. `ssh-ed25519`. */
  readonly type: string;
  /** OpenSSH format, as `ssh-keygen -l` prints it: `SHA256:` + base64 without padding. */
  readonly fingerprint: string;
  /** The public key blob, base64 (a known_hosts line is `<type> <publicKey>`). */
  readonly publicKey: string;
}

/**
 * Verdict of the caller's pin policy on a presented key. Anything but `trusted` refuses the
 * connection during the key exchange, before authentication: no credential reaches that host.
 */
export type HostKeyVerdict = 'trusted' | 'unknown' | 'changed';

/** Called once per connection with the presented key; a rejection refuses the connection. */
export type HostKeyCheck = (key: PresentedHostKey) => HostKeyVerdict | Promise<HostKeyVerdict>;

export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  /** UTF-8 text, decoded across chunk boundaries. */
  readonly text: string;
}

export interface RemoteCommand {
  /** argv[0] is the program; each element is sent as one quoted word. No NUL anywhere. */
  readonly argv: readonly string[];
  /**
   * Written to the command's stdin, then EOF (e.g. a HAProxy runtime API command for `socat`).
   * Without it stdin stays open and unused, which keeps the channel able to deliver a signal on
   * timeout or abort (ssh2 sends `signal` requests only while the channel is open for writing).
   */
  readonly stdin?: string;
  /** From the exec request to the exit status, ms; beyond it the run fails with TIMEOUT. */
  readonly timeoutMs: number;
  /**
   * Cap on stdout + stderr bytes kept. Reaching it keeps the first `maxOutputBytes` bytes, stops
   * the command (TERM, channel closed) and resolves with `truncated: true`.
   */
  readonly maxOutputBytes: number;
  /** Output as it arrives (within the cap). Must not throw; if it does, the run is stopped and fails with that error. */
  readonly onOutput?: (chunk: OutputChunk) => void;
}

export interface RemoteCommandResult {
  /** The exact line sent to the server's shell. */
  readonly commandLine: string;
  /** Exit status, or null when the command died of a signal or was stopped at the output cap. */
  readonly exitCode: number | null;
  /** Signal name as Node spells it (`SIGTERM`) when the command died of one. */
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The output cap was reached: the output is incomplete and the command was stopped. */
  readonly truncated: boolean;
  readonly durationMs: number;
  /** The (trusted) host key of this connection. */
  readonly hostKey: PresentedHostKey;
}

/** Why a remote command could not run or finish; distinct states for the operator. */
export type RemoteShellErrorCode =
  /** The server refused the credential. */
  | 'AUTH'
  /** The credential itself is unusable (unparsable key, wrong passphrase): nothing was sent. */
  | 'CREDENTIAL'
  /** TCP connect, handshake, command or keepalive deadline passed (the message says which). */
  | 'TIMEOUT'
  /** Connection refused, host or network unreachable, name not found, connection reset. */
  | 'UNREACHABLE'
  /** The host key is not pinned: refused before authentication (see {@link HostKeyRefusedError}). */
  | 'HOST_KEY_UNKNOWN'
  /** The host key differs from the pinned one: refused before authentication. */
  | 'HOST_KEY_CHANGED'
  /** Handshake failure, no common algorithm, channel or exec refused, no exit status. */
  | 'PROTOCOL'
  | 'ABORTED';

/** A connection refused by the host key check; carries the presented key for the operator. */
export class HostKeyRefusedError extends UpstreamError {
  constructor(
    source: string,
    override readonly code: 'HOST_KEY_UNKNOWN' | 'HOST_KEY_CHANGED',
    readonly presented: PresentedHostKey,
  ) {
    super(
      source,
      code,
      code === 'HOST_KEY_UNKNOWN'
        ? `host key ${presented.fingerprint} (${presented.type}) is not pinned: an operator must confirm it`
        : `host key ${presented.fingerprint} (${presented.type}) differs from the pinned key: connection refused`,
    );
  }
}

export interface RemoteShell {
  /**
   * Connects, checks the host key with `checkHostKey` (refusing with HOST_KEY_UNKNOWN or
   * HOST_KEY_CHANGED before authentication), authenticates, runs `command` and closes the
   * connection. A non-zero exit status is a result, not an error. Abort closes the channel (after a
   * TERM signal when stdin is still open) and the connection, then rejects with ABORTED.
   */
  run(
    target: RemoteTarget,
    command: RemoteCommand,
    checkHostKey: HostKeyCheck,
    signal: AbortSignal,
  ): Promise<RemoteCommandResult>;
  /**
   * Reads the host key the server presents, then disconnects during the key exchange (nothing is
   * authenticated). For showing a fingerprint to confirm before the first run.
   */
  probeHostKey(endpoint: SshEndpoint, signal: AbortSignal): Promise<PresentedHostKey>;
}

// ---------------------------------------------------------------------------------------------

/** Words a POSIX shell takes literally unquoted. No `=` (a leading `a=b` is an assignment), `~`, globs. */
const PLAIN_WORD = /^[A-Za-z0-9_:,./+-]+$/;

/**
 * The argv as one command line for a POSIX shell (sh, dash, bash, ash, zsh): words made only of
 * plain characters stay as they are, every other word is single-quoted, with `'` written `'\''`
 * (POSIX.1-2017 XCU 2.2.2: nothing is special inside single quotes). Throws a RangeError on an
 * empty argv or a NUL byte (a shell word cannot hold one). Shells that are not POSIX (csh, fish,
 * vendor CLIs) are not supported: restrict such accounts with `command=` in authorized_keys.
 */
export function posixCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new RangeError('argv must hold at least the program');
  return argv
    .map((word, i) => {
      if (word.includes('\0')) throw new RangeError(`argv[${i}] contains a NUL byte`);
      if (PLAIN_WORD.test(word)) return word;
      return `'${word.replaceAll("'", `'\\''`)}'`;
    })
    .join(' ');
}
