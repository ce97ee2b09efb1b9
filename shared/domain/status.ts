/**
 * The status of anything Vigie watches. `unknown` is explicit: a source that Vigie has no fresh
 * data for is never shown as `up` (DESIGN.md section 3).
 */
import { missingCase } from './missing-case';

export const STATUSES = ['down', 'degraded', 'unknown', 'maintenance', 'up'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * Severity order for "the worst state": down beats degraded beats unknown beats maintenance
 * beats up. Unknown ranks above maintenance and up, so blindness is never hidden by green.
 */
export function statusRank(status: Status): number {
  switch (status) {
    case 'down':
      return 4;
    case 'degraded':
      return 3;
    case 'unknown':
      return 2;
    case 'maintenance':
      return 1;
    case 'up':
      return 0;
    default:
      throw missingCase(status);
  }
}

/** The worst of several statuses; with none, `unknown` (no data is never up). */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status | null = null;
  for (const s of statuses) if (worst === null || statusRank(s) > statusRank(worst)) worst = s;
  return worst ?? 'unknown';
}

/** A count per status, every status present (zero when absent). */
export function countByStatus(statuses: Iterable<Status>): Record<Status, number> {
  const counts: Record<Status, number> = { down: 0, degraded: 0, unknown: 0, maintenance: 0, up: 0 };
  for (const s of statuses) counts[s] += 1;
  return counts;
}

/**
 * Whether a source's last good sample is too old to trust. With no sample at all it is stale.
 * `now` is a parameter: shared/domain never reads the clock.
 */
export function isStale(
  lastSampleAt: number | null,
  now: number,
  intervalMs: number,
  staleAfterIntervals: number,
): boolean {
  if (lastSampleAt === null) return true;
  return now - lastSampleAt > intervalMs * staleAfterIntervals;
}
