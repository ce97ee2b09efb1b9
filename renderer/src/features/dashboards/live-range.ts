/** A live range that ends now and moves in `refreshMs` steps (stable query keys between steps). */
import { useClockDerived } from '../../lib/clock/clock-context';

export interface LiveRange {
  readonly from: number;
  readonly to: number;
}

export function useLiveRange(spanMs: number, refreshMs: number): LiveRange {
  const step = useClockDerived((now) => Math.ceil(now / refreshMs));
  const to = step * refreshMs;
  return { from: to - spanMs, to };
}
