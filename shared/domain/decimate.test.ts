import { describe, expect, it } from 'vitest';
import { decimateMinMax } from './decimate';

describe('decimateMinMax', () => {
  it('returns short series unchanged', () => {
    expect(decimateMinMax({ times: [1, 2, 3], values: [1, null, 3] }, 0, 10, 10)).toEqual({
      times: [1, 2, 3],
      values: [1, null, 3],
    });
  });
  it('keeps first, min, max and last of every bucket, in time order', () => {
    const times = Array.from({ length: 1000 }, (_, i) => i);
    const values = times.map((t) => (t === 137 ? 500 : t === 138 ? -500 : t % 7));
    const out = decimateMinMax({ times, values }, 0, 1000, 10);
    expect(out.times.length).toBeLessThanOrEqual(40);
    expect(Math.max(...(out.values as number[]))).toBe(500);
    expect(Math.min(...(out.values as number[]))).toBe(-500);
    expect(out.times).toEqual([...out.times].sort((a, b) => a - b));
    expect(out.times[0]).toBe(0);
    expect(out.times.at(-1)).toBe(999);
  });
  it('keeps a gap as a null instead of dropping it', () => {
    const times = Array.from({ length: 1000 }, (_, i) => i);
    const values = times.map((t) => (t >= 500 && t < 520 ? null : 1));
    const out = decimateMinMax({ times, values }, 0, 1000, 10);
    expect(out.values).toContain(null);
    expect(out.values).not.toContain(0);
  });
});
