/**
 * The console's notion of "now": one ticking source that every age, countdown and the header
 * clock read, so they agree with each other and tests can pin time.
 */
export interface Clock {
  /** The time of the last tick (stable between ticks, as useSyncExternalStore requires). */
  readonly now: () => number;
  /** Calls `listener` on every tick; returns the function that unsubscribes. */
  readonly subscribe: (listener: () => void) => () => void;
}

/**
 * A clock that ticks every `intervalMs`, aligned on the interval boundary so the seconds change
 * together with the wall clock. Its timer runs only while someone listens (it owns the timer and
 * stops it when the last listener leaves).
 */
export function createTickingClock(intervalMs = 1_000, read: () => number = () => Date.now()): Clock {
  let current = read();
  let timer: number | null = null;
  const listeners = new Set<() => void>();

  function schedule(): void {
    timer = window.setTimeout(tick, intervalMs - (read() % intervalMs));
  }
  function tick(): void {
    current = read();
    for (const listener of [...listeners]) listener();
    if (listeners.size > 0) schedule();
    else timer = null;
  }

  return {
    now: () => current,
    subscribe(listener) {
      listeners.add(listener);
      if (timer === null) {
        current = read();
        schedule();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          window.clearTimeout(timer);
          timer = null;
        }
      };
    },
  };
}

export interface ManualClock extends Clock {
  readonly set: (epochMs: number) => void;
  readonly advance: (ms: number) => void;
}

/** A clock that moves only when told to (tests, screenshots). */
export function createManualClock(start: number): ManualClock {
  let current = start;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  return {
    now: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(epochMs) {
      current = epochMs;
      notify();
    },
    advance(ms) {
      current += ms;
      notify();
    },
  };
}
