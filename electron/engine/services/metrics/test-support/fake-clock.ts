/**
 * A clock that moves only when a test says so: timers fire in time order during `advance`, so
 * backoffs, probe intervals and deadlines are tested without sleeping.
 */
import type { Clock } from '../../../ports/clock';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** A Clock for tests: `advance` moves time and fires the timers that fall due. */
export class FakeClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: Timer[] = [];
  /** Every delay asked of `setTimeout`, in order (to check backoff and probe intervals). */
  readonly requestedDelays: number[] = [];

  constructor(start = Date.UTC(2025, 0, 15, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const id = this.nextId;
    this.nextId += 1;
    this.requestedDelays.push(ms);
    this.timers.push({ id, at: this.current + Math.max(0, ms), fn });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Timers armed and not yet fired or cancelled. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in time order (ties in arming order). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)
        .at(0);
      if (!due) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = end;
  }

  /** Moves time without firing anything (a clock that jumps, as after a suspend). */
  set(time: number): void {
    this.current = time;
  }
}
