/**
 * Pure helpers around the main ⇄ engine-host protocol (electron/engine/host/host-protocol.ts):
 * the host's arguments, parsing what the host sends, and the restart backoff.
 */
import type { HostArgs, HostToMain } from '../engine/host/host-protocol';

/** Command-line arguments for the engine host: `--data-dir <dir> [--config <file>]`. */
export function engineArgs(args: HostArgs): string[] {
  return [
    '--data-dir',
    args.dataDir,
    ...(args.configFile === undefined ? [] : ['--config', args.configFile]),
  ];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message from the host, or null when it is not one the protocol defines. */
export function parseHostMessage(message: unknown): HostToMain | null {
  if (!isRecord(message)) return null;
  switch (message['type']) {
    case 'ready':
      return typeof message['version'] === 'string' && typeof message['training'] === 'boolean'
        ? { type: 'ready', version: message['version'], training: message['training'] }
        : null;
    case 'result': {
      const id = message['id'];
      return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0
        ? { type: 'result', id, envelope: message['envelope'] }
        : null;
    }
    case 'event':
      return typeof message['event'] === 'string'
        ? { type: 'event', event: message['event'], payload: message['payload'] }
        : null;
    case 'fatal':
      return typeof message['message'] === 'string' ? { type: 'fatal', message: message['message'] } : null;
    default:
      return null;
  }
}

/** How the supervisor restarts an engine that exited on its own. */
export interface RestartPolicy {
  /** Delay before the first restart. */
  readonly baseMs: number;
  /** Longest delay: a console keeps trying, at this pace, for as long as it runs. */
  readonly capMs: number;
  /** An engine that stayed up this long resets the backoff. */
  readonly stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { baseMs: 500, capMs: 30_000, stableAfterMs: 60_000 };

/** Delay before restart number `attempt` (0-based): base, 2×base, 4×base ... capped. */
export function restartDelayMs(attempt: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/** The attempt number after an exit: back to 0 when the engine had been up long enough. */
export function attemptAfterExit(
  previousAttempt: number,
  upForMs: number | null,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): number {
  return upForMs !== null && upForMs >= policy.stableAfterMs ? 0 : previousAttempt;
}
