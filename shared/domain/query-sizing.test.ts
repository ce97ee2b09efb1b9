import { describe, expect, it } from 'vitest';
import { BUCKETS_PER_COLUMN, columnsForStep, stepForColumns } from './query-sizing';

const DAY = 86_400_000;
const NICE = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

describe('stepForColumns', () => {
  it('never asks for finer buckets than the collection resolution', () => {
    expect(stepForColumns(0, 60_000, 1920)).toBe(10_000);
  });
  it('gives a few buckets per CSS-px column, rounded up to a nice step', () => {
    // 30 days over 1,868 columns: 347 s per bucket at 4 per column, rounded to 10 min.
    expect(stepForColumns(0, 30 * DAY, 1868)).toBe(600_000);
    // 1 day over 1,868 columns: 11.6 s, rounded to 15 s.
    expect(stepForColumns(0, DAY, 1868)).toBe(15_000);
  });
  it('keeps between 1.6 and 4 buckets per column above the resolution', () => {
    for (const [span, cols] of [
      [DAY, 100],
      [7 * DAY, 1920],
      [30 * DAY, 1868],
      [30 * DAY, 3000],
      [365 * DAY, 500],
      [6 * 3_600_000, 777],
    ] as const) {
      const perColumn = span / stepForColumns(0, span, cols) / cols;
      expect(perColumn).toBeLessThanOrEqual(BUCKETS_PER_COLUMN);
      expect(perColumn).toBeGreaterThanOrEqual(1.6);
    }
  });
});

describe('columnsForStep', () => {
  it('gives back the nice step asked for, over ranges of more than 8 steps', () => {
    for (const step of NICE.filter((s) => s >= 10_000))
      for (const steps of [9, 10, 17, 60, 100, 1000, 4321])
        expect(stepForColumns(0, steps * step, columnsForStep(0, steps * step, step))).toBe(step);
  });
  it('gives back the step over a whole number of columns of it, however short', () => {
    expect(stepForColumns(0, 3_600_000, columnsForStep(0, 3_600_000, 900_000))).toBe(900_000);
  });
  it('stays within [1, 16,384] columns', () => {
    expect(columnsForStep(0, 60_000, 3_600_000)).toBe(1);
    expect(columnsForStep(0, 365 * DAY, 1_000)).toBe(16_384);
  });
});
