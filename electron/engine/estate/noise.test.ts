import { describe, expect, it } from 'vitest';
import { hashString, mix, smoothNoise, unit } from './noise';

describe('estate noise', () => {
  it('is a pure function of its inputs', () => {
    expect(hashString('a-ups-1')).toBe(hashString('a-ups-1'));
    expect(hashString('a-ups-1')).not.toBe(hashString('a-ups-2'));
    expect(mix(42, 1_741_000_000_000)).toBe(mix(42, 1_741_000_000_000));
    expect(smoothNoise(9, 1_741_000_123_456, 30_000)).toBe(smoothNoise(9, 1_741_000_123_456, 30_000));
  });

  it('draws uniformly in [0, 1)', () => {
    const draws = Array.from({ length: 10_000 }, (_, i) => unit(1234, i));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('keeps epoch-sized steps distinct (high bits are mixed in)', () => {
    expect(mix(7, 2 ** 32 + 5)).not.toBe(mix(7, 5));
  });

  it('drifts smoothly within [-1, 1]', () => {
    let previous = smoothNoise(3, 0, 10_000);
    for (let t = 100; t <= 100_000; t += 100) {
      const value = smoothNoise(3, t, 10_000);
      expect(Math.abs(value)).toBeLessThanOrEqual(1);
      // Over 1 % of a period the curve cannot move by more than a small step.
      expect(Math.abs(value - previous)).toBeLessThan(0.1);
      previous = value;
    }
  });
});
