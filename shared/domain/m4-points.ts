/**
 * Dense raw series drawn from the store's first/min/max/last per pixel column ("m4", the
 * MetricStore's `queryM4`) instead of from every raw point: the store scans the points, one row per
 * column crosses the wire, and the line drawn is the raw line's.
 *
 * When: a `raw` chart whose range would hold more than {@link M4_ABOVE_POINTS_PER_COLUMN} points
 * per pixel column at the collection resolution ({@link rawNeedsM4}); below that, raw points are
 * fetched as they are, at their own times (narrow ranges stay honestly raw).
 *
 * Buckets ({@link m4Buckets}): one per pixel column, starting on the chart's `from` (InfluxDB's
 * `GROUP BY time(step, offset)`), so bucket k is column k. Not the "nice" steps of aggregated
 * charts (query-sizing.ts): a nice step is up to twice a column, and its values would spread over
 * two columns that a raw line draws apart.
 *
 * Points ({@link m4Points}), per bucket:
 * - `first` at the bucket's start. The first raw point of the column is at or just after it
 *   (within one collection interval, a fraction of the column): the line enters the column there,
 *   from the previous column's last value, as the raw line does.
 * - `min`, `max` and `last` together at the bucket's middle, the extremes first and `last` at the
 *   end. A line renderer draws a column holding many points as a vertical bar between their
 *   minimum and maximum and leaves it from the last one: Chart.js (4.x, straight lines, its
 *   `fastPathSegment`) draws that bar at the mean x of the column's points after the first, which
 *   for evenly collected points is the column's middle. So the stroke through these points is the
 *   raw line's stroke: into `first`, the bar from min to max, out from `last` to the next column's
 *   `first`. The order of min and max in time is not known from the buckets; the one equal to
 *   `last`, if any, goes second so the stroke ends on `last` without a third point.
 * - A flat bucket (min = max) is the single point `first`: the raw line is flat across it too.
 * - An empty bucket gives no point, not a gap: a raw line crosses a column without points (a
 *   collection gap shows as the straight segment the raw chart draws, never as a zero).
 * At most 4 points per column, times non-decreasing (min, max and last share a time).
 *
 * What the chart cannot show from buckets: the points' own times within a column (a fraction of a
 * pixel) and the order of min and max (both inside the same vertical bar). Where collection
 * times fall exactly on column edges, rounding can put a raw column's first point into the pixel
 * column before it; the buckets then draw that value in both columns (one pixel of difference).
 * m4-points.test.ts compares Chart.js's strokes of a raw day and of its buckets.
 */

/** Above this many raw points per pixel column, a `raw` chart is drawn from m4 buckets. */
export const M4_ABOVE_POINTS_PER_COLUMN = 4;

/**
 * Whether a raw query of [from, to] over `columns` pixel columns would bring back more than
 * {@link M4_ABOVE_POINTS_PER_COLUMN} points per column from data collected every `resolutionMs`
 * (default 10 s, the default of query-sizing.ts). Data collected more often than that comes back
 * raw and is reduced by the engine; data collected less often is drawn from buckets holding one
 * or two points each, which draw the same line.
 */
export function rawNeedsM4(from: number, to: number, columns: number, resolutionMs = 10_000): boolean {
  const span = to - from;
  const perColumn = span / Math.max(1, Math.floor(columns)) / Math.max(1, resolutionMs);
  return Number.isFinite(perColumn) && perColumn > M4_ABOVE_POINTS_PER_COLUMN;
}

/**
 * Buckets that are the pixel columns of [from, to]: `stepMs` a whole number of milliseconds at
 * least a column wide (rounded up, so there are at most `columns + 1` buckets and bucket k starts
 * less than k ms after column k), `offsetMs` putting a bucket start on `from` (in [0, stepMs)).
 */
export function m4Buckets(from: number, to: number, columns: number): { stepMs: number; offsetMs: number } {
  const span = Math.max(1, to - from);
  const stepMs = Math.max(1, Math.ceil(span / Math.max(1, Math.floor(columns))));
  const offsetMs = ((Math.round(from) % stepMs) + stepMs) % stepMs;
  return { stepMs, offsetMs };
}

/** Per bucket (start times ascending): first, min, max and last value; all null when empty. */
export interface M4Buckets {
  readonly times: readonly number[];
  readonly first: readonly (number | null)[];
  readonly min: readonly (number | null)[];
  readonly max: readonly (number | null)[];
  readonly last: readonly (number | null)[];
}

/**
 * The chart points of m4 buckets of width `stepMs` (see the file comment). Times never go past
 * `to` (the last bucket may start on it), nor before a bucket's start.
 */
export function m4Points(
  buckets: M4Buckets,
  stepMs: number,
  to: number = Number.POSITIVE_INFINITY,
): { times: number[]; values: number[] } {
  const times: number[] = [];
  const values: number[] = [];
  const half = Math.floor(stepMs / 2);
  for (let i = 0; i < buckets.times.length; i++) {
    const start = buckets.times[i];
    if (start === undefined) continue;
    const lo = buckets.min[i] ?? null;
    const hi = buckets.max[i] ?? null;
    const last = buckets.last[i] ?? null;
    const first = buckets.first[i] ?? lo ?? hi ?? last;
    if (first === null) continue;
    times.push(start);
    values.push(first);
    const middle = Math.max(start, Math.min(start + half, to));
    if (lo === null || hi === null || lo === hi) {
      // Flat (or, defensively, incomplete): only a last value that differs still draws.
      if (last !== null && last !== first) {
        times.push(middle);
        values.push(last);
      }
      continue;
    }
    const [a, b] = last === lo ? [hi, lo] : [lo, hi];
    times.push(middle, middle);
    values.push(a, b);
    if (last !== null && last !== b) {
      times.push(middle);
      values.push(last);
    }
  }
  return { times, values };
}
