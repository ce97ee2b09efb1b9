/**
 * When a chart must say that it has nothing to show: no value at all in the range, or, on a live
 * range, no value for too long. An empty or frozen chart must never pass for a calm one.
 */
import type { FrameColumns } from './chart-config';

/** The time of the last value that is not a gap, or null when there is none. */
export function lastValueAt(frame: FrameColumns): number | null {
  for (let i = Math.min(frame.times.length, frame.values.length) - 1; i >= 0; i -= 1) {
    const value = frame.values[i];
    if (typeof value === 'number' && Number.isFinite(value)) return frame.times[i] ?? null;
  }
  return null;
}

export type ChartNotice =
  | { readonly kind: 'none' }
  | { readonly kind: 'noData' }
  | { readonly kind: 'noDataSince'; readonly since: number };

/** Whether a series is stale: live, and its last value older than `staleAfterMs`. */
export function isStale(lastAt: number | null, liveNow: number | null, staleAfterMs: number): boolean {
  return liveNow !== null && lastAt !== null && liveNow - lastAt > staleAfterMs;
}

/**
 * The notice over the whole chart: `noData` when no series has a value, `noDataSince` when the
 * range is live (`liveNow` set) and even the freshest value is older than `staleAfterMs`.
 */
export function chartNotice(
  frames: readonly FrameColumns[],
  liveNow: number | null,
  staleAfterMs: number,
): ChartNotice {
  let latest: number | null = null;
  for (const frame of frames) {
    const at = lastValueAt(frame);
    if (at !== null && (latest === null || at > latest)) latest = at;
  }
  if (latest === null) return { kind: 'noData' };
  if (isStale(latest, liveNow, staleAfterMs)) return { kind: 'noDataSince', since: latest };
  return { kind: 'none' };
}
