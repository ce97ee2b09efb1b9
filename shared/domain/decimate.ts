/**
 * Reduces a time series to at most `columns` buckets keeping, per bucket, the first, minimum,
 * maximum and last points in time order (the "M4" reduction): a line drawn through them covers
 * exactly the pixels the raw series would, at a fraction of the points. Gaps (null values) are
 * kept as gaps: a bucket with a gap keeps one null point so the line breaks there.
 */
export interface Series {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

export function decimateMinMax(
  series: Series,
  from: number,
  to: number,
  columns: number,
): { times: number[]; values: (number | null)[] } {
  const n = series.times.length;
  if (n <= columns * 4 || columns < 1 || to <= from)
    return { times: [...series.times], values: [...series.values] };
  const times: number[] = [];
  const values: (number | null)[] = [];
  const width = (to - from) / columns;
  let i = 0;
  while (i < n) {
    const bucket = Math.min(columns - 1, Math.max(0, Math.floor(((series.times[i] ?? from) - from) / width)));
    const firstIdx = i;
    let lastIdx = i;
    let minIdx = -1;
    let maxIdx = -1;
    let gapIdx = -1;
    for (; i < n; i++) {
      const t = series.times[i] ?? from;
      if (Math.min(columns - 1, Math.max(0, Math.floor((t - from) / width))) !== bucket) break;
      lastIdx = i;
      const v = series.values[i] ?? null;
      if (v === null) {
        if (gapIdx < 0) gapIdx = i;
        continue;
      }
      if (minIdx < 0 || v < (series.values[minIdx] ?? v)) minIdx = i;
      if (maxIdx < 0 || v > (series.values[maxIdx] ?? v)) maxIdx = i;
    }
    const keep = [...new Set([firstIdx, minIdx, maxIdx, gapIdx, lastIdx].filter((k) => k >= 0))].sort(
      (a, b) => a - b,
    );
    for (const k of keep) {
      times.push(series.times[k] ?? from);
      values.push(series.values[k] ?? null);
    }
  }
  return { times, values };
}
