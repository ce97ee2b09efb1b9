import { describe, expect, it } from 'vitest';
import { stepForColumns } from './query-sizing';

const DAY = 86_400_000;

describe('stepForColumns', () => {
  it('never asks for finer buckets than the collection resolution', () => {
    expect(stepForColumns(0, 60_000, 3840)).toBe(10_000);
  });
  it('gives about one bucket per device pixel, rounded up to a nice step', () => {
    // 30 days over 3,840 px = 675 s raw, rounded to 15 min
    expect(stepForColumns(0, 30 * DAY, 3840)).toBe(900_000);
    expect(stepForColumns(0, DAY, 3840)).toBe(30_000);
  });
  it('keeps the bucket count within the columns', () => {
    for (const [span, cols] of [
      [DAY, 100],
      [7 * DAY, 1920],
      [365 * DAY, 500],
    ] as const)
      expect(span / stepForColumns(0, span, cols)).toBeLessThanOrEqual(cols);
  });
});
