/**
 * The period a dashboard shows: a relative time ends now and moves in `refreshMs` steps (stable
 * query keys between steps); an absolute one is fixed, never re-asked and never "live".
 */
import { presetMs, type DashboardTime } from '../../../../shared/domain/dashboard';
import { useClockDerived } from '../../lib/clock/clock-context';

export interface LiveRange {
  readonly from: number;
  readonly to: number;
  /** True for a relative time: it follows the clock and a silent series goes stale. */
  readonly live: boolean;
}

export function useDashboardRange(time: DashboardTime, refreshMs: number): LiveRange {
  // An absolute time derives a constant: the clock's ticks do not re-render its panels.
  const step = useClockDerived((now) => (time.kind === 'relative' ? Math.ceil(now / refreshMs) : 0));
  if (time.kind === 'absolute') return { from: time.from, to: time.to, live: false };
  const to = step * refreshMs;
  return { from: to - presetMs(time.preset), to, live: true };
}
