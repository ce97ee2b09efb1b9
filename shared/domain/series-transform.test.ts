import { describe, expect, it } from 'vitest';
import {
  applyTransform,
  counterRates,
  rateMaxGapMs,
  seriesTransformSchema,
  transformedUnit,
} from './series-transform';

const identity = seriesTransformSchema.parse({});

describe('counterRates', () => {
  it('gives the per-second rate since the previous sample, the first one a gap', () => {
    expect(counterRates([0, 10_000, 20_000], [1_000, 11_000, 31_000], 60_000)).toEqual([null, 1_000, 2_000]);
  });

  it('bridges empty buckets within the gap limit and not beyond', () => {
    const times = [0, 10_000, 20_000, 30_000, 400_000];
    const values = [0, null, 20_000, null, 390_000];
    expect(counterRates(times, values, 300_000)).toEqual([null, null, 1_000, null, null]);
  });

  it('makes a counter reset (or a wrap) a gap, never a negative spike, and starts again after it', () => {
    expect(counterRates([0, 10_000, 20_000, 30_000], [5_000, 6_000, 100, 1_100], 60_000)).toEqual([
      null,
      100,
      null,
      100,
    ]);
  });

  it('refuses two samples at the same time', () => {
    expect(counterRates([0, 0], [1, 2], 60_000)).toEqual([null, null]);
  });
});

describe('applyTransform', () => {
  it('turns octets into bits per second (rate, then ×8)', () => {
    const t = seriesTransformSchema.parse({ rate: true, scale: 8, unit: 'bitsPerSecond' });
    expect(applyTransform({ times: [0, 10_000], values: [0, 1_250_000] }, t, 10_000)).toEqual([
      null,
      1_000_000,
    ]);
    expect(transformedUnit(t, null)).toBe('bitsPerSecond');
  });

  it('turns CPU idle into busy (×−1 + 100) and keeps gaps', () => {
    const t = seriesTransformSchema.parse({ scale: -1, offset: 100, unit: 'percent' });
    expect(applyTransform({ times: [0, 1, 2], values: [97.5, null, 10] }, t, 10_000)).toEqual([
      2.5,
      null,
      90,
    ]);
  });

  it('keeps the field unit only when values are unchanged', () => {
    expect(transformedUnit(identity, 'seconds')).toBe('seconds');
    expect(transformedUnit(seriesTransformSchema.parse({ scale: 1000 }), 'seconds')).toBeNull();
  });

  it('refuses a zero or non-finite scale', () => {
    expect(seriesTransformSchema.safeParse({ scale: 0 }).success).toBe(false);
    expect(seriesTransformSchema.safeParse({ offset: Number.POSITIVE_INFINITY }).success).toBe(false);
  });

  it('bounds the rate gap by three buckets and at least five minutes', () => {
    expect(rateMaxGapMs(10_000)).toBe(300_000);
    expect(rateMaxGapMs(3_600_000)).toBe(10_800_000);
  });
});
