/**
 * What a service's recent health probes mean. One failed probe in a window makes the service
 * degraded; most of the window failing makes it down; a slow answer makes it degraded. Judging a
 * window rather than the last probe keeps a service with a 20 % error rate from flapping.
 */
import type { Condition } from '../../../../shared/api';
import type { Status } from '../../../../shared/domain/status';

export interface ProbeOutcome {
  /** A 2xx answer. */
  readonly ok: boolean;
  /** No answer at all (timeout, refused) as opposed to an error answer. */
  readonly unreachable: boolean;
  readonly latencyMs: number | null;
}

export const HEALTH_WINDOW = 5;

export function judgeService(
  window: readonly ProbeOutcome[],
  degradedLatencyMs: number,
): { status: Status; condition: Condition } {
  const last = window.at(-1);
  if (!last) return { status: 'unknown', condition: 'awaitingFirstPoll' };
  const failures = window.filter((o) => !o.ok).length;
  // An error answer is knowledge (the service is failing); silence is not: the tile goes grey.
  if (!last.ok && failures * 2 > window.length)
    return last.unreachable
      ? { status: 'unknown', condition: 'unreachable' }
      : { status: 'down', condition: 'failing' };
  if (failures > 0) return { status: 'degraded', condition: 'failing' };
  if (last.latencyMs !== null && last.latencyMs >= degradedLatencyMs)
    return { status: 'degraded', condition: 'slow' };
  return { status: 'up', condition: 'ok' };
}
