import { describe, expect, it } from 'vitest';
import { FakeClock } from '../metrics/test-support/fake-clock';
import { TokenBucket, TrapRateLimiter } from './trap-rate-limit';

describe('TokenBucket', () => {
  it('lets a burst through, then refills at its rate', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(2, 5, clock.now());
    const taken = (n: number): number =>
      Array.from({ length: n }, () => bucket.take(clock.now())).filter(Boolean).length;
    expect(taken(8)).toBe(5);
    clock.advance(499);
    expect(bucket.take(clock.now())).toBe(false); // 0.998 of a token
    clock.advance(1);
    expect(bucket.take(clock.now())).toBe(true);
    clock.advance(10_000);
    expect(taken(10)).toBe(5); // never more than the burst
  });

  it('neither refills nor drains when the clock steps back', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(1, 2, clock.now());
    bucket.take(clock.now());
    bucket.take(clock.now());
    clock.set(clock.now() - 60_000);
    expect(bucket.take(clock.now())).toBe(false);
    clock.set(clock.now() + 61_000);
    expect(bucket.take(clock.now())).toBe(true);
  });

  it('says when it is full again', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 10, clock.now());
    expect(bucket.isFull(clock.now())).toBe(true);
    bucket.take(clock.now());
    expect(bucket.isFull(clock.now())).toBe(false);
    clock.advance(100);
    expect(bucket.isFull(clock.now())).toBe(true);
  });
});

describe('TrapRateLimiter', () => {
  const limits = { perSecond: 20, burst: 100, globalPerSecond: 50, globalBurst: 150 };

  it('limits each source on its own bucket', () => {
    const clock = new FakeClock();
    const limiter = new TrapRateLimiter(limits, clock.now());
    const verdicts = Array.from({ length: 120 }, () => limiter.admit('device:a', clock.now()));
    expect(verdicts.filter((v) => v === null)).toHaveLength(100);
    expect(verdicts.slice(100).every((v) => v === 'source')).toBe(true);
    // Another source still has its burst (the receiver has 50 tokens left).
    expect(limiter.admit('device:b', clock.now())).toBeNull();
    clock.advance(1_000);
    const after = Array.from({ length: 30 }, () => limiter.admit('device:a', clock.now()));
    expect(after.filter((v) => v === null)).toHaveLength(20);
  });

  it('caps every source together with the global bucket', () => {
    const clock = new FakeClock();
    const limiter = new TrapRateLimiter(limits, clock.now());
    const verdicts = Array.from({ length: 200 }, (_, i) => limiter.admit(`source:10.0.0.${i}`, clock.now()));
    expect(verdicts.filter((v) => v === null)).toHaveLength(150);
    expect(verdicts.slice(150).every((v) => v === 'global')).toBe(true);
  });

  it('does not spend the receiver tokens on a source over its own limit', () => {
    const clock = new FakeClock();
    const limiter = new TrapRateLimiter({ ...limits, globalBurst: 101 }, clock.now());
    for (let i = 0; i < 1_000; i++) limiter.admit('device:storm', clock.now());
    expect(limiter.admit('device:quiet', clock.now())).toBeNull();
  });

  it('forgets sources whose bucket is full again', () => {
    const clock = new FakeClock();
    const limiter = new TrapRateLimiter(limits, clock.now());
    for (let i = 0; i < 9_999; i++) limiter.admit(`source:${i}`, clock.now());
    expect(limiter.trackedSources).toBe(9_999);
    clock.advance(60_000);
    limiter.admit('source:late', clock.now()); // the 10,000th admission sweeps
    expect(limiter.trackedSources).toBe(1);
  });

  it('refuses limits that are not positive numbers', () => {
    expect(() => new TrapRateLimiter({ ...limits, burst: 0 }, 0)).toThrow(/burst/);
    expect(() => new TrapRateLimiter({ ...limits, perSecond: Number.NaN }, 0)).toThrow(/perSecond/);
  });
});
