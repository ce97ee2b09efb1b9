/**
 * Shared plumbing for starting real server binaries in tests: free loopback ports, fresh temp
 * dirs, child processes with captured logs, readiness polling with a deadline, stop by PID.
 * See REAL-SERVERS.md for the configurations the server modules use.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { accessSync, constants as fsConstants } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import snmp from 'net-snmp';

// ---------------------------------------------------------------------------------------------
// Binaries

/** A binary (or file) a server needs, and the Debian package that provides it. */
export interface Requirement {
  /** Command name looked up on PATH and the sbin directories, or an absolute path to a file. */
  readonly binary: string;
  readonly debianPackage: string;
}

/** A requirement that is not met on this machine: the test skips (or fails under CI) with this. */
export class MissingBinary {
  readonly kind = 'missing-binary';
  constructor(
    readonly binary: string,
    readonly debianPackage: string,
  ) {}

  get reason(): string {
    return `${this.binary} not found: install the Debian package "${this.debianPackage}" (scripts/provision-debian.sh installs every server the tests use)`;
  }
}

/** Thrown by start functions outside CI when a requirement is missing; the test skips on it. */
export class MissingBinaryError extends Error {
  override readonly name = 'MissingBinaryError';
  constructor(readonly missing: readonly MissingBinary[]) {
    super(missing.map((m) => m.reason).join('; '));
  }
}

export function isCi(): boolean {
  return process.env.CI === 'true';
}

/** sbin directories are not on every user's PATH, but sshd, snmpd and useradd live there. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

/** Absolute path of `requirement.binary`, or a MissingBinary. Synchronous: usable at collection time. */
export function lookupBinary(requirement: Requirement): string | MissingBinary {
  const { binary, debianPackage } = requirement;
  if (path.isAbsolute(binary)) {
    return canAccess(binary, fsConstants.R_OK) ? binary : new MissingBinary(binary, debianPackage);
  }
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== ''), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, binary);
    if (canAccess(candidate, fsConstants.X_OK)) return candidate;
  }
  return new MissingBinary(binary, debianPackage);
}

function canAccess(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch (err: unknown) {
    if (err instanceof Error && 'code' in err) return false;
    throw err;
  }
}

export function missingBinaries(requirements: readonly Requirement[]): MissingBinary[] {
  return requirements.map(lookupBinary).filter((r): r is MissingBinary => r instanceof MissingBinary);
}

/**
 * Paths of every requirement, keyed by binary. When one is missing: under CI=true an Error naming
 * the binary and its package (the run must fail); otherwise a MissingBinaryError (the test skips).
 */
export function requireBinaries(requirements: readonly Requirement[]): Record<string, string> {
  const missing = missingBinaries(requirements);
  if (missing.length > 0) {
    if (isCi())
      throw new Error(`CI=true and a server binary is missing: ${missing.map((m) => m.reason).join('; ')}`);
    throw new MissingBinaryError(missing);
  }
  const paths: Record<string, string> = {};
  for (const requirement of requirements) {
    const found = lookupBinary(requirement);
    if (typeof found === 'string') paths[requirement.binary] = found;
  }
  return paths;
}

/** The path of one binary out of `requireBinaries`'s result. */
export function pathOf(paths: Record<string, string>, binary: string): string {
  const found = paths[binary];
  if (found === undefined) throw new Error(`${binary} was not among the required binaries`);
  return found;
}

/**
 * Why a test must skip, or undefined when it can run. Prints the reason (console.warn) so that a
 * skipped run says so. Under CI=true never skips: the start function then fails with the package
 * to install. Use: `describe.skipIf(reason !== undefined)(withSkipReason('influxd', reason), ...)`.
 */
export function skipReason(server: string, requirements: readonly Requirement[]): string | undefined {
  const missing = missingBinaries(requirements);
  if (missing.length === 0 || isCi()) return undefined;
  const reason = `${server} tests did not run: ${missing.map((m) => m.reason).join('; ')}`;
  console.warn(`[test/servers] SKIPPED ${reason}`);
  return reason;
}

/** A suite title that carries the skip reason, so reporters show why it did not run. */
export function withSkipReason(title: string, reason: string | undefined): string {
  return reason === undefined ? title : `${title} [skipped: ${reason}]`;
}

// ---------------------------------------------------------------------------------------------
// Ports and directories

export const LOOPBACK = '127.0.0.1';

/** A TCP port free on loopback right now (the kernel picks it; the server binds it next). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no TCP address'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** A UDP port free on loopback right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/**
 * A fresh directory under the system temp dir, mode 0755 so that daemons which drop privileges
 * (sshd reading authorized keys as the user, snmpsim as nobody) can traverse it.
 */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `vigie-${prefix}-`));
  await chmod(dir, 0o755);
  return dir;
}

/** Removes a temp dir unless VIGIE_KEEP_SERVER_DIRS=1 (to read a failed server's files). */
export async function removeTempDir(dir: string): Promise<void> {
  if (process.env.VIGIE_KEEP_SERVER_DIRS === '1') {
    console.warn(`[test/servers] kept ${dir}`);
    return;
  }
  await rm(dir, { recursive: true, force: true });
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

// ---------------------------------------------------------------------------------------------
// Processes

const LOG_LIMIT = 256 * 1024;

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  readonly error?: Error;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** Last 256 KiB of stdout and stderr, interleaved. */
  logs(): string;
  /** Undefined while running. */
  exitStatus(): ExitStatus | undefined;
  readonly exited: Promise<ExitStatus>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Every process started here, killed on exit of the test process if a suite forgot to stop it. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch (err: unknown) {
          // Already gone between the check and the kill: nothing left to clean.
          if (!(err instanceof Error && 'code' in err && err.code === 'ESRCH')) throw err;
        }
      }
    }
  });
}

/** Starts a server binary with stdout and stderr captured in memory. */
export function spawnServer(
  name: string,
  binary: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ServerProcess {
  installExitHook();
  const child = spawn(binary, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let log = '';
  const append = (chunk: Buffer): void => {
    log += chunk.toString('utf8');
    if (log.length > LOG_LIMIT) log = log.slice(log.length - LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      live.delete(child);
      resolve(status);
    });
    child.once('error', (error) => {
      // 'exit' may not follow a spawn failure.
      if (status !== undefined) return;
      status = { code: null, signal: null, error };
      live.delete(child);
      resolve(status);
    });
  });

  const stop = async (graceMs = 5_000): Promise<void> => {
    if (status !== undefined || child.pid === undefined) {
      await exited;
      return;
    }
    signalProcess(child.pid, 'SIGTERM');
    if (await settlesWithin(exited, graceMs)) return;
    signalProcess(child.pid, 'SIGKILL');
    if (!(await settlesWithin(exited, 5_000))) {
      throw new Error(`${name} (pid ${child.pid}) did not exit after SIGKILL`);
    }
  };

  return {
    name,
    pid: child.pid ?? -1,
    logs: () => log,
    exitStatus: () => status,
    exited,
    stop,
  };
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err: unknown) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ESRCH')) throw err;
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const controller = new AbortController();
  const timer = delay(ms, false, { signal: controller.signal }).catch((err: unknown) => {
    if (err instanceof Error && err.name === 'AbortError') return false;
    throw err;
  });
  const settled = await Promise.race([promise.then(() => true), timer]);
  controller.abort();
  return settled;
}

/** Runs a short command to completion (config checks, key generation); throws with its output on failure. */
export function runChecked(
  binary: string,
  args: readonly string[],
  options: SpawnOptions & { input?: string } = {},
): string {
  const result = spawnSync(binary, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error !== undefined)
    throw new Error(`${binary} ${args.join(' ')} failed to run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `${binary} ${args.join(' ')} exited ${String(result.status)}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout + result.stderr;
}

// ---------------------------------------------------------------------------------------------
// Readiness

export interface WaitForOptions {
  /** What is awaited, for the error message. */
  readonly what: string;
  readonly deadlineMs: number;
  /** Pause between two probes. */
  readonly intervalMs?: number;
  /** A process whose exit ends the wait at once (with its logs in the error). */
  readonly process?: ServerProcess;
}

/**
 * Polls `probe` until it returns true, the deadline passes, or the watched process exits. The
 * probe must bound its own duration (every probe in this folder has a short timeout); a probe that
 * throws counts as "not yet" and its last error is reported.
 */
export async function waitFor(probe: () => Promise<boolean>, options: WaitForOptions): Promise<void> {
  const deadline = Date.now() + options.deadlineMs;
  const interval = options.intervalMs ?? 20;
  let lastError: unknown;
  for (;;) {
    const exit = options.process?.exitStatus();
    if (exit !== undefined) {
      throw new Error(
        `${options.what}: ${options.process?.name ?? 'process'} exited before it was ready ` +
          `(code ${String(exit.code)}, signal ${String(exit.signal)}${exit.error ? `, ${exit.error.message}` : ''})\n` +
          `--- logs ---\n${options.process?.logs() ?? ''}`,
      );
    }
    try {
      if (await probe()) return;
      lastError = undefined;
    } catch (err: unknown) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last probe error: ${lastError.message})` : '';
      const logs = options.process ? `\n--- logs ---\n${options.process.logs()}` : '';
      throw new Error(`${options.what}: not ready after ${options.deadlineMs} ms${why}${logs}`);
    }
    await delay(interval);
  }
}

/** True once something accepts a TCP connection on host:port. */
export function tcpAccepts(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * True once an SNMPv2c agent answers a GET of `oid` with a value (not an error-status, not a
 * noSuch* exception). Uses net-snmp directly, so the harness does not depend on the adapter it tests.
 */
export function snmpAnswers(
  host: string,
  port: number,
  community: string,
  oid = '1.3.6.1.2.1.1.1.0',
  timeoutMs = 300,
): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession(host, community, {
      port,
      version: snmp.Version2c,
      retries: 0,
      timeout: timeoutMs,
    });
    session.on('error', () => undefined);
    session.get([oid], (err, varbinds) => {
      session.close();
      const first = varbinds?.[0];
      resolve(err === null && first !== undefined && !snmp.isVarbindError(first));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

/** A started server: its process, its directory, and how to stop both. */
export interface ServerBase {
  readonly dir: string;
  readonly process: ServerProcess;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Builds the idempotent stop of a server: stop the process, then remove its dir. */
export function stopper(proc: ServerProcess, dir: string): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      try {
        await proc.stop();
      } finally {
        await removeTempDir(dir);
      }
    })();
    return stopping;
  };
}

/**
 * Starts a server, retrying a few times when it exits during startup (a free port taken by
 * someone else between our probe and its bind is the usual reason). `attempt` must clean up
 * after itself when it throws.
 */
export async function withStartRetries<T>(name: string, attempt: () => Promise<T>, attempts = 3): Promise<T> {
  let lastError: unknown;
  for (let i = 1; i <= attempts; i++) {
    try {
      return await attempt();
    } catch (err: unknown) {
      if (err instanceof MissingBinaryError || !(err instanceof StartupExit)) throw err;
      lastError = err;
    }
  }
  throw new Error(`${name} failed to start ${attempts} times`, { cause: lastError });
}

/** A server that exited during startup (retryable), as opposed to one that never got ready. */
export class StartupExit extends Error {
  override readonly name = 'StartupExit';
}

/**
 * Waits for readiness; on any failure stops the process, removes the dir and rethrows (as
 * StartupExit when the process had exited, so that withStartRetries tries again on new ports).
 */
export async function readyOrCleanUp(
  proc: ServerProcess,
  dir: string,
  probe: () => Promise<boolean>,
  options: Omit<WaitForOptions, 'process'>,
): Promise<void> {
  try {
    await waitFor(probe, { ...options, process: proc });
  } catch (err: unknown) {
    const exitedEarly = proc.exitStatus() !== undefined;
    await stopper(proc, dir)();
    if (exitedEarly && err instanceof Error) throw new StartupExit(err.message, { cause: err });
    throw err;
  }
}
