/**
 * Trap rate limiting: a token bucket per source and one for the whole receiver, so that a
 * flapping port or a trap storm cannot drown the engine, the event store or the console.
 *
 * A bucket holds at most `burst` tokens and refills at `perSecond`; a notification takes one
 * token, and a notification that finds none is refused. The per-source bucket is tried first: a
 * storming source is refused by its own bucket and leaves the receiver's tokens to the others.
 * Pure: time is given in epoch ms (from the service's Clock), so tests run on a fake clock.
 */

export interface TrapRateLimits {
  /** Notifications per second each source may send on average. */
  readonly perSecond: number;
  /** Notifications a source may send at once, after a quiet spell. */
  readonly burst: number;
  /** Notifications per second of every source together. */
  readonly globalPerSecond: number;
  readonly globalBurst: number;
}

/** The defaults: a device rarely sends more than a few notifications a second, even flapping. */
export const DEFAULT_TRAP_RATE_LIMITS: TrapRateLimits = {
  perSecond: 20,
  burst: 100,
  globalPerSecond: 500,
  globalBurst: 2_000,
};

/** Which bucket refused a notification. */
export type TrapLimit = 'source' | 'global';

/** A token bucket; `take` refills for the time elapsed, then takes one token if there is one. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket is full again at `now`: it can be forgotten (a new one starts full). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    // A clock that steps back refills nothing (and does not drain either).
    const elapsed = Math.max(0, now - this.at);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.perSecond);
    this.at = Math.max(this.at, now);
  }
}

/** Sources tracked at most; beyond, idle (full) buckets are forgotten first. */
const MAX_SOURCES = 50_000;
/** Idle buckets are looked for every this many admissions. */
const SWEEP_EVERY = 10_000;

export class TrapRateLimiter {
  private readonly sources = new Map<string, TokenBucket>();
  private readonly global: TokenBucket;
  private sinceSweep = 0;
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limits: TrapRateLimits,
    now: number,
  ) {
    for (const [name, value] of Object.entries(limits))
      if (!Number.isFinite(value) || value <= 0)
        throw new RangeError(`trap rate limit ${name} must be a positive number, got ${String(value)}`);
    this.global = new TokenBucket(limits.globalPerSecond, limits.globalBurst, now);
  }

  /** Admits one notification of `source` at `now`, or says which limit refused it. */
  admit(source: string, now: number): TrapLimit | null {
    // When full (many spoofed addresses), at most one sweep a second: a sweep walks every bucket.
    if (
      ++this.sinceSweep >= SWEEP_EVERY ||
      (this.sources.size >= MAX_SOURCES && now - this.lastSweepAt >= 1_000)
    )
      this.sweep(now);
    let bucket = this.sources.get(source);
    if (bucket === undefined) {
      bucket = new TokenBucket(this.limits.perSecond, this.limits.burst, now);
      // Still full of sources that are all busy: the new one shares the global bucket only.
      if (this.sources.size < MAX_SOURCES) this.sources.set(source, bucket);
    }
    if (!bucket.take(now)) return 'source';
    if (!this.global.take(now)) return 'global';
    return null;
  }

  /** Sources with a bucket (for tests and stats). */
  get trackedSources(): number {
    return this.sources.size;
  }

  private sweep(now: number): void {
    this.sinceSweep = 0;
    this.lastSweepAt = now;
    for (const [source, bucket] of this.sources) if (bucket.isFull(now)) this.sources.delete(source);
  }
}
