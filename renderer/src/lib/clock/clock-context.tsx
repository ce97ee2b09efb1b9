import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { createTickingClock, type Clock } from './clock';

let fallbackClock: Clock | null = null;
const ClockContext = createContext<Clock | null>(null);

export function ClockProvider({ clock, children }: { clock: Clock; children: ReactNode }) {
  return <ClockContext value={clock}>{children}</ClockContext>;
}

export function useClock(): Clock {
  const clock = useContext(ClockContext);
  if (clock) return clock;
  fallbackClock ??= createTickingClock();
  return fallbackClock;
}

/** The current time, re-rendering the caller on every tick. */
export function useNow(): number {
  const clock = useClock();
  return useSyncExternalStore(clock.subscribe, clock.now);
}

/**
 * A value derived from the clock, re-rendering the caller only when it changes (for example
 * "is this deadline past?"), so thousands of tiles do not re-render every second. The value must
 * be a primitive: useSyncExternalStore compares snapshots with Object.is.
 */
export function useClockDerived<T extends string | number | boolean | null>(derive: (now: number) => T): T {
  const clock = useClock();
  return useSyncExternalStore(clock.subscribe, () => derive(clock.now()));
}
