import { describe, expect, it } from 'vitest';
import type { M4Buckets } from './m4-points';
import { M4_ABOVE_POINTS_PER_COLUMN, m4Buckets, m4Points, rawNeedsM4 } from './m4-points';

const MIN = 60_000;
const DAY = 86_400_000;

describe('rawNeedsM4', () => {
  it('is true above 4 points per column at the collection resolution, false at or under', () => {
    expect(M4_ABOVE_POINTS_PER_COLUMN).toBe(4);
    // 1 day over 3,840 columns at 10 s: 2.25 points per column.
    expect(rawNeedsM4(0, DAY, 3840)).toBe(false);
    // 30 days over 3,927 columns: 66 points per column.
    expect(rawNeedsM4(0, 30 * DAY, 3927)).toBe(true);
    expect(rawNeedsM4(0, 40_000, 1)).toBe(false);
    expect(rawNeedsM4(0, 40_001, 1)).toBe(true);
    expect(rawNeedsM4(0, 40_001, 1, 20_000)).toBe(false);
    expect(rawNeedsM4(0, 40_001, 1, 1_000)).toBe(true);
  });
});

describe('m4Buckets', () => {
  it('makes a bucket per pixel column, the first starting on from', () => {
    expect(m4Buckets(0, 30 * DAY, 4320)).toEqual({ stepMs: 10 * MIN, offsetMs: 0 });
    // 11 min 0.046 s: rounded up to a whole millisecond.
    const from = Date.UTC(2024, 4, 1);
    const { stepMs, offsetMs } = m4Buckets(from, from + 30 * DAY, 3927);
    expect(stepMs).toBe(660_046);
    expect((from - offsetMs) % stepMs).toBe(0);
    expect(offsetMs).toBeGreaterThanOrEqual(0);
    expect(offsetMs).toBeLessThan(stepMs);
    // Never more than columns + 1 buckets over the inclusive range.
    expect(Math.floor((30 * DAY) / stepMs) + 1).toBeLessThanOrEqual(3928);
  });

  it('keeps the offset in [0, step) before the epoch too', () => {
    expect(m4Buckets(-25, 75, 4)).toEqual({ stepMs: 25, offsetMs: 0 });
    expect(m4Buckets(-30, 70, 4)).toEqual({ stepMs: 25, offsetMs: 20 });
  });
});

function buckets(
  rows: readonly (readonly [number, number | null, number | null, number | null, number | null])[],
): M4Buckets {
  return {
    times: rows.map((r) => r[0]),
    first: rows.map((r) => r[1]),
    min: rows.map((r) => r[2]),
    max: rows.map((r) => r[3]),
    last: rows.map((r) => r[4]),
  };
}

describe('m4Points', () => {
  it('puts first at the bucket start and the extremes, then last, at its middle', () => {
    const points = m4Points(buckets([[0, 5, 1, 9, 4]]), 100);
    expect(points).toEqual({ times: [0, 50, 50, 50], values: [5, 1, 9, 4] });
  });

  it('ends the stroke on last with no third point when last is an extreme', () => {
    expect(m4Points(buckets([[0, 5, 1, 9, 9]]), 100).values).toEqual([5, 1, 9]);
    expect(m4Points(buckets([[0, 5, 1, 9, 1]]), 100).values).toEqual([5, 9, 1]);
  });

  it('gives one point for a flat bucket and none for an empty one, never a zero or a null', () => {
    const points = m4Points(
      buckets([
        [0, 3, 3, 3, 3],
        [100, null, null, null, null],
        [200, 2, 1, 2, 1],
      ]),
      100,
    );
    expect(points).toEqual({ times: [0, 200, 250, 250], values: [3, 2, 2, 1] });
  });

  it('never places a point past `to` nor before its bucket', () => {
    expect(m4Points(buckets([[1000, 1, 0, 2, 2]]), 100, 1000).times).toEqual([1000, 1000, 1000]);
    expect(m4Points(buckets([[1000, 1, 0, 2, 2]]), 100, 1020).times).toEqual([1000, 1020, 1020]);
    expect(m4Points(buckets([[7, 1, 0, 2, 2]]), 1).times).toEqual([7, 7, 7]);
  });
});

// ---------------------------------------------------------------------------------------------
// Drawn as the raw line: Chart.js's stroke of the raw series and of the m4 points compared.

/** The lineTo calls of Chart.js 4's fastPathSegment (chart.js/dist/chart.js) for points in pixels. */
function chartJsStroke(points: readonly { x: number; y: number }[]): [number, number][] {
  const out: [number, number][] = [];
  let avgX = 0;
  let countX = 0;
  let prevX: number | undefined;
  let minY = 0;
  let maxY = 0;
  let lastY = 0;
  const drawX = (): void => {
    if (minY !== maxY) out.push([avgX, maxY], [avgX, minY], [avgX, lastY]);
  };
  for (const { x, y } of points) {
    const truncX = x | 0;
    if (truncX === prevX) {
      if (y < minY) minY = y;
      else if (y > maxY) maxY = y;
      avgX = (countX * avgX + x) / ++countX;
    } else {
      drawX();
      out.push([x, y]);
      prevX = truncX;
      countX = 0;
      minY = maxY = y;
    }
    lastY = y;
  }
  drawX();
  return out;
}

/** First/min/max/last per bucket of a raw series, as the stores compute them (empty: null). */
function reduce(
  times: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
  stepMs: number,
): M4Buckets {
  const count = Math.floor((to - from) / stepMs) + 1;
  const out = {
    times: Array.from({ length: count }, (_, k) => from + k * stepMs),
    first: new Array<number | null>(count).fill(null),
    min: new Array<number | null>(count).fill(null),
    max: new Array<number | null>(count).fill(null),
    last: new Array<number | null>(count).fill(null),
  };
  times.forEach((t, i) => {
    const k = Math.floor((t - from) / stepMs);
    const v = values[i] ?? 0;
    out.first[k] ??= v;
    out.min[k] = Math.min(out.min[k] ?? v, v);
    out.max[k] = Math.max(out.max[k] ?? v, v);
    out.last[k] = v;
  });
  return out;
}

describe('m4Points drawn by Chart.js', () => {
  it('strokes the same path as the raw series: same values in the same order, x within a pixel', () => {
    // 1 day at 10 s with a daily cycle, noise, spikes and a 40-minute collection gap, on a plot
    // 1,000 pixels wide (86.4 s, 8 or 9 points, per column) from a time off the 10 s grid.
    const from = Date.UTC(2024, 4, 1) + 3_333;
    const width = 1000;
    const to = from + DAY;
    let seed = 7;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const times: number[] = [];
    const values: number[] = [];
    for (let t = Math.ceil(from / 10_000) * 10_000; t <= to; t += 10_000) {
      if (t > from + 5 * 3_600_000 && t < from + 5 * 3_600_000 + 40 * MIN) continue;
      times.push(t);
      const spike = random() < 0.002 ? 200 : 0;
      values.push(Math.round((40 + 20 * Math.sin(t / 13_750_987) + 8 * random() + spike) * 1000) / 1000);
    }
    const { stepMs } = m4Buckets(from, to, width);
    const points = m4Points(reduce(times, values, from, to, stepMs), stepMs, to);
    expect(points.times.length).toBeLessThanOrEqual(4 * (width + 1));
    const pixels = (ts: readonly number[], vs: readonly number[]): { x: number; y: number }[] =>
      ts.map((t, i) => ({ x: ((t - from) / (to - from)) * width, y: vs[i] ?? 0 }));
    const raw = chartJsStroke(pixels(times, values));
    const reduced = chartJsStroke(pixels(points.times, points.values));
    expect(reduced.map(([, y]) => y)).toEqual(raw.map(([, y]) => y));
    const dx = Math.max(...raw.map(([x], i) => Math.abs(x - (reduced[i]?.[0] ?? Infinity))));
    expect(dx).toBeLessThan(1);
  });
});
