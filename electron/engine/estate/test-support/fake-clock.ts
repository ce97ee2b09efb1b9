/**
 * A manual Clock for the estate's tests: time moves only when a test calls advance(), and timers
 * fire then, in due order. Tests can also see which delays are pending, which is how health
 * endpoint latencies are asserted without measuring wall-clock time.
 */
import type { Clock } from '../../ports/clock';

interface FakeTimer {
  readonly seq: number;
  readonly due: number;
  readonly delayMs: number;
  readonly fn: () => void;
}

/** A Clock whose time only moves on advance(). */
export class FakeClock implements Clock {
  private current: number;
  private nextSeq = 0;
  private timers: FakeTimer[] = [];
  private waiters: { readonly count: number; readonly resolve: () => void }[] = [];

  /** Starts on a fixed Monday morning (UTC) unless told otherwise. */
  constructor(start: number = Date.UTC(2025, 2, 3, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer: FakeTimer = { seq: this.nextSeq++, due: this.current + Math.max(0, ms), delayMs: ms, fn };
    this.timers.push(timer);
    this.notify();
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due (each sees now() at its due time). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = [...this.timers].sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next || next.due > end) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = end;
  }

  /** Delays (ms) of the timers still pending, in the order they were scheduled. */
  pendingDelays(): number[] {
    return [...this.timers].sort((a, b) => a.seq - b.seq).map((t) => t.delayMs);
  }

  /** Resolves once at least `count` timers are pending (a signal, not a sleep). */
  whenPending(count: number): Promise<void> {
    if (this.timers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => this.timers.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.timers.length < w.count);
    for (const waiter of ready) waiter.resolve();
  }
}
