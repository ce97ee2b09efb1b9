/**
 * Per-pixel-column reduction of a time series for line charts (DESIGN.md section 7): for every
 * pixel column of the plot, keep the first, minimum, maximum and last points in time order ("M4").
 * A line through them reaches the same pixels as the raw series, at four points per column at most
 * instead of tens or hundreds.
 *
 * Gaps are values that are NaN (columnar form) or null (array form). A line breaks at a gap and
 * nowhere else (an empty column is crossed by the raw line, so it is not a gap). Inside a column,
 * the reduction is done per run of values between gaps, and each run of gaps keeps one gap point:
 * reducing a column as a whole would join points the raw line leaves apart, or drop the points that
 * end a line before a gap.
 *
 * Anti-aliased renderers need one more step to draw *exactly* like the raw series: see
 * {@link DecimateOptions.extremesAt}.
 */

/** A time series in columnar form: ascending times (ms) and values, NaN marking a gap. */
export interface ColumnarSeries {
  readonly times: Float64Array | readonly number[];
  readonly values: Float64Array | readonly number[];
}

/**
 * The reduced series. Both arrays are views on one buffer of exactly their size (one allocation
 * instead of two): posting the pair clones or transfers that buffer once, with no spare room.
 */
export interface DecimatedSeries {
  readonly times: Float64Array;
  readonly values: Float64Array;
}

export interface DecimateOptions {
  /**
   * Where a column's minimum, maximum and last values go.
   *
   * - `'own-time'` (default): at their own times; every output point is a point of the series.
   * - `'column-mean'`: at the mean time of the column's points after its first (the first point
   *   keeps its time; columns of up to four points are kept as they are). This is the vertical bar
   *   a line renderer draws where many points stack in one pixel column: Chart.js (4.x, straight
   *   lines, its `fastPathSegment`) strokes each *CSS* pixel column of a raw series as a line to
   *   its first point, then a bar at the mean x of the others between their min and max, ending at
   *   the last. With columns equal to the plot width in CSS pixels (the plot starting on a whole CSS
   *   pixel), the result draws pixel for pixel like the raw series; points at their own times move
   *   those bars by a fraction of a pixel, which shows in the anti-aliased edges. The price: a
   *   column's min and max carry that mean time, not their own.
   */
  readonly extremesAt?: 'own-time' | 'column-mean';
}

/**
 * Reduces `series` to first/min/max/last per column of [from, to] split into `columns` equal
 * columns: the point at time `t` falls in column `floor((t - from) / (to - from) * columns)`, the
 * arithmetic of a linear chart scale, so the columns are the canvas's pixel columns when `from`/`to`
 * are the x scale's min/max and `columns` is the width of the plot area in pixels (not the canvas
 * width) and the plot area starts on a pixel boundary. Points before `from`, and from `to` on, fall
 * into one extra column each side, so the segments entering and leaving the range are kept.
 * Times must ascend. Returns a copy of the series when the range or `columns` define no columns.
 */
export function decimateColumns(
  series: ColumnarSeries,
  from: number,
  to: number,
  columns: number,
  options: DecimateOptions = {},
): DecimatedSeries {
  const { times, values } = series;
  const n = Math.min(times.length, values.length);
  const span = to - from;
  if (!(columns >= 1) || !(span > 0) || !Number.isFinite(span)) {
    return { times: Float64Array.from(times).slice(0, n), values: Float64Array.from(values).slice(0, n) };
  }
  const length = reduceToScratch(times, values, n, from, span, columns, options);
  // A copy of the used part: the scratch buffers stay here for the next call.
  const buffer = new ArrayBuffer(16 * length);
  const result = {
    times: new Float64Array(buffer, 0, length),
    values: new Float64Array(buffer, 8 * length, length),
  };
  result.times.set(scratchTimes.subarray(0, length));
  result.values.set(scratchValues.subarray(0, length));
  releaseScratch();
  return result;
}

/** The reduction into scratchTimes/scratchValues; returns the number of points. span > 0. */
function reduceToScratch(
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
  n: number,
  from: number,
  span: number,
  columns: number,
  options: DecimateOptions,
): number {
  const count = n === 0 ? 0 : scanColumns(times, values, n, from, span, Math.floor(columns));
  return emitColumns(times, values, n, count, options.extremesAt === 'column-mean');
}

/** Drops scratch buffers that a call grew beyond SCRATCH_KEPT entries. */
function releaseScratch(): void {
  if (scratchTimes.length > SCRATCH_KEPT) {
    scratchTimes = new Float64Array(SCRATCH_OUTPUT);
    scratchValues = new Float64Array(SCRATCH_OUTPUT);
  }
  if (scratchColumns.length > 3 * SCRATCH_KEPT) {
    scratchColumns = new Int32Array(3 * SCRATCH_COLUMNS);
    scratchExtremeTimes = new Float64Array(2 * SCRATCH_COLUMNS);
  }
  if (scratchInput.length > SCRATCH_KEPT) scratchInput = new Float64Array(0);
}

/**
 * Buffers reused from call to call: allocating (and zeroing) fresh ones per call cost as much as a
 * tenth of the whole reduction. Module state is safe here: the reduction never calls out, so no
 * call can start while another is using them. Buffers grown beyond SCRATCH_KEPT entries (a
 * gap-heavy series, a huge column count) are dropped after use rather than held.
 */
const SCRATCH_OUTPUT = 4 * 4096;
const SCRATCH_COLUMNS = 4096;
const SCRATCH_KEPT = 1 << 18;
let scratchTimes: Float64Array = new Float64Array(SCRATCH_OUTPUT);
let scratchValues: Float64Array = new Float64Array(SCRATCH_OUTPUT);
/** Per non-empty column, from {@link scanColumns}: first index, min index, max index (-1: a gap). */
let scratchColumns = new Int32Array(3 * SCRATCH_COLUMNS);
/** Per non-empty column, from {@link scanColumns}: the times of its min and max. */
let scratchExtremeTimes = new Float64Array(2 * SCRATCH_COLUMNS);
/** {@link decimateMinMax}'s values as doubles, NaN for null (grown to the longest series kept). */
let scratchInput = new Float64Array(0);

/**
 * The column of time `t`: the arithmetic of a linear chart scale (offset over range, times the
 * width), clamped to one column before the range (-1) and one from its end (`columns`).
 */
function columnOf(t: number, from: number, span: number, columns: number): number {
  const c = Math.floor(((t - from) / span) * columns);
  return c < 0 ? -1 : c > columns ? columns : c;
}

/**
 * Pass one, the hot one: where each non-empty column starts, and where its min and max are, into
 * scratchColumns (and their times into scratchExtremeTimes); returns the number of columns. Pass
 * two, {@link emitColumns}, writes them in the form asked for. Nothing but `return` follows the
 * loop on purpose: V8 compiles a long first call's loop on the fly (on-stack replacement), and code
 * after it that never ran would throw that compiled code away at the end of every call until the
 * whole function is recompiled. n >= 1.
 */
function scanColumns(
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
  n: number,
  from: number,
  span: number,
  cols: number,
): number {
  // At most one entry per non-empty column: per column plus the two outer ones, per point at most.
  const entries = Math.min(cols, n) + 2;
  if (scratchColumns.length < 3 * entries) {
    scratchColumns = new Int32Array(3 * entries);
    scratchExtremeTimes = new Float64Array(2 * entries);
  }
  const spans = scratchColumns;
  const extremeTimes = scratchExtremeTimes;
  let count = 0;
  // Column boundaries: estimated once per column as from + k * step and compared with times. Only
  // times within `slack` of an estimate (far wider than the rounding error of the estimate and of
  // the exact column arithmetic) get the exact arithmetic, columnOf.
  const step = span / cols;
  const slack = (Math.abs(from) + Math.abs(from + span)) * 1e-12;

  // One column at a time: find where it ends from where the previous column's length predicts it
  // (a couple of time reads per column, not one per point), then scan only its values. Stepping
  // from the guess one index at a time is O(n) in all, as a guess is off by at most the previous
  // column's length, and usually by one at most (columns of 67.5 samples hold 67 or 68).
  let hint = Math.max(1, Math.floor(n / cols));
  let start = 0;
  // Every index read below is below n, which is at most both lengths.
  let column = columnOf(times[0] as number, from, span, cols);
  while (start < n) {
    let end = n;
    if (column < cols) {
      const boundary = from + (column + 1) * step;
      const below = boundary - slack;
      const above = boundary + slack;
      end = Math.min(n, start + hint);
      // Back while the index before `end` is already past the column...
      while (end - 1 > start) {
        const t = times[end - 1] as number;
        if (t < below || (t < above && columnOf(t, from, span, cols) <= column)) break;
        end -= 1;
      }
      // ...then on while `end` is still in it.
      while (end < n) {
        const t = times[end] as number;
        if (t >= above || (t >= below && columnOf(t, from, span, cols) > column)) break;
        end += 1;
      }
    }

    let minValue = values[start] as number;
    let maxValue = minValue;
    let minIdx = start;
    let maxIdx = start;
    let minTime = times[start] as number;
    let maxTime = minTime;
    let gap = minValue !== minValue;
    // The hot loop, over values: two comparisons for most points. NaN fails `<=` too, so gaps are
    // caught in the rare branch. The time of a new extreme is read right away, next to the values
    // being read: read after the loop, or when writing the output, it is a cache miss the processor
    // has little to overlap with (a tenth of the whole reduction, measured).
    for (let j = start + 1; j < end && !gap; j++) {
      const v = values[j] as number;
      if (v < minValue) {
        minValue = v;
        minIdx = j;
        minTime = times[j] as number;
      } else if (!(v <= maxValue)) {
        if (v !== v) {
          gap = true;
        } else {
          maxValue = v;
          maxIdx = j;
          maxTime = times[j] as number;
        }
      }
    }
    spans[count * 3] = start;
    spans[count * 3 + 1] = gap ? -1 : minIdx;
    spans[count * 3 + 2] = maxIdx;
    extremeTimes[count * 2] = minTime;
    extremeTimes[count * 2 + 1] = maxTime;
    count += 1;

    hint = end - start;
    start = end;
    if (start < n) {
      // The next point is past this column: in the next one unless past that one's end too.
      const t = times[start] as number;
      column = t < from + (column + 2) * step - slack ? column + 1 : columnOf(t, from, span, cols);
    }
  }
  return count;
}

/** Pass two: the output points of the `count` columns scanColumns found, into the scratch buffers. */
function emitColumns(
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
  n: number,
  count: number,
  bars: boolean,
): number {
  const spans = scratchColumns;
  let outTimes = scratchTimes;
  let outValues = scratchValues;
  let length = 0;
  for (let k = 0; k < count; k++) {
    // k < count entries were written; the next entry's start ends this column.
    const start = spans[k * 3] as number;
    const minIdx = spans[k * 3 + 1] as number;
    const maxIdx = spans[k * 3 + 2] as number;
    const end = k + 1 < count ? (spans[k * 3 + 3] as number) : n;
    // A column with a gap may need a point per sample; otherwise four at most.
    const room = minIdx < 0 ? end - start : 4;
    if (length + room > outTimes.length) {
      const capacity = Math.max(outTimes.length * 2, length + room);
      outTimes = scratchTimes = grown(outTimes, capacity);
      outValues = scratchValues = grown(outValues, capacity);
    }
    if (minIdx < 0)
      length = writeRunsAroundGaps(outTimes, outValues, length, times, values, start, end, bars);
    else if (bars)
      length = writeBar(
        outTimes,
        outValues,
        length,
        times,
        values,
        start,
        end - 1,
        values[minIdx] as number,
        values[maxIdx] as number,
      );
    else {
      // k < count: the times scanColumns read for this column.
      const minTime = scratchExtremeTimes[k * 2] as number;
      const maxTime = scratchExtremeTimes[k * 2 + 1] as number;
      length = writeRun(
        outTimes,
        outValues,
        length,
        times,
        values,
        start,
        minIdx,
        maxIdx,
        end - 1,
        minTime,
        maxTime,
      );
    }
  }
  return length;
}

function grown(array: Float64Array, capacity: number): Float64Array {
  const bigger = new Float64Array(capacity);
  bigger.set(array);
  return bigger;
}

/**
 * Writes first, min, max and last of the run [firstIdx, lastIdx] in time order, once each, from
 * `at` (room for four is the caller's job); returns the new length. No sort: first <= min, max <=
 * last. Indices are the caller's, all below the input length.
 */
function writeRun(
  outTimes: Float64Array,
  outValues: Float64Array,
  at: number,
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
  firstIdx: number,
  minIdx: number,
  maxIdx: number,
  lastIdx: number,
  minTime: number,
  maxTime: number,
): number {
  const minFirst = minIdx < maxIdx;
  const lo = minFirst ? minIdx : maxIdx;
  const hi = minFirst ? maxIdx : minIdx;
  let length = at;
  outTimes[length] = times[firstIdx] as number;
  outValues[length] = values[firstIdx] as number;
  length += 1;
  if (lo !== firstIdx) {
    outTimes[length] = minFirst ? minTime : maxTime;
    outValues[length] = values[lo] as number;
    length += 1;
  }
  // hi === firstIdx implies lo === hi, and lastIdx === firstIdx implies lastIdx === hi.
  if (hi !== lo) {
    outTimes[length] = minFirst ? maxTime : minTime;
    outValues[length] = values[hi] as number;
    length += 1;
  }
  if (lastIdx !== hi) {
    outTimes[length] = times[lastIdx] as number;
    outValues[length] = values[lastIdx] as number;
    length += 1;
  }
  return length;
}

/**
 * The 'column-mean' form of a run [firstIdx, lastIdx] whose min and max values are given: the
 * first point, then min, max and last at the mean time of the others (see
 * {@link DecimateOptions.extremesAt}). Runs of up to four points are copied: that draws the same,
 * with their own times. A flat run keeps its first and last points: a renderer draws no bar there.
 */
function writeBar(
  outTimes: Float64Array,
  outValues: Float64Array,
  at: number,
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
  firstIdx: number,
  lastIdx: number,
  minValue: number,
  maxValue: number,
): number {
  let length = at;
  if (lastIdx - firstIdx < 4) {
    for (let j = firstIdx; j <= lastIdx; j++) {
      outTimes[length] = times[j] as number;
      outValues[length] = values[j] as number;
      length += 1;
    }
    return length;
  }
  if (minValue === maxValue) {
    outTimes[length] = times[firstIdx] as number;
    outValues[length] = minValue;
    outTimes[length + 1] = times[lastIdx] as number;
    outValues[length + 1] = minValue;
    return length + 2;
  }
  // Offsets from the first time keep the sum small (exact for millisecond times); four partial sums
  // keep the additions independent, and integers add up the same in any order.
  const t0 = times[firstIdx] as number;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = firstIdx + 1;
  for (; j + 3 <= lastIdx; j += 4) {
    s0 += (times[j] as number) - t0;
    s1 += (times[j + 1] as number) - t0;
    s2 += (times[j + 2] as number) - t0;
    s3 += (times[j + 3] as number) - t0;
  }
  for (; j <= lastIdx; j++) s0 += (times[j] as number) - t0;
  const mean = t0 + (s0 + s1 + (s2 + s3)) / (lastIdx - firstIdx);
  outTimes[length] = t0;
  outValues[length] = values[firstIdx] as number;
  // Min before max: with values growing upwards on screen, the order Chart.js strokes its bar in.
  outTimes[length + 1] = mean;
  outValues[length + 1] = minValue;
  outTimes[length + 2] = mean;
  outValues[length + 2] = maxValue;
  outTimes[length + 3] = mean;
  outValues[length + 3] = values[lastIdx] as number;
  return length + 4;
}

/**
 * One column [start, end) that holds a gap: each run of values reduced on its own, and one gap
 * point (the run's first) per run of gaps, so the line breaks exactly where the raw line does.
 * Room for `end - start` points is the caller's job.
 */
function writeRunsAroundGaps(
  outTimes: Float64Array,
  outValues: Float64Array,
  at: number,
  times: Float64Array | readonly number[],
  values: Float64Array | readonly number[],
  start: number,
  end: number,
  bars: boolean,
): number {
  let length = at;
  let j = start;
  while (j < end) {
    let v = values[j] as number;
    if (v !== v) {
      outTimes[length] = times[j] as number;
      outValues[length] = v;
      length += 1;
      while (j < end && (values[j] as number) !== (values[j] as number)) j++;
      continue;
    }
    const first = j;
    let minIdx = j;
    let maxIdx = j;
    let minValue = v;
    let maxValue = v;
    for (j += 1; j < end; j++) {
      v = values[j] as number;
      if (v !== v) break;
      if (v < minValue) {
        minValue = v;
        minIdx = j;
      } else if (v > maxValue) {
        maxValue = v;
        maxIdx = j;
      }
    }
    length = bars
      ? writeBar(outTimes, outValues, length, times, values, first, j - 1, minValue, maxValue)
      : writeRun(
          outTimes,
          outValues,
          length,
          times,
          values,
          first,
          minIdx,
          maxIdx,
          j - 1,
          times[minIdx] as number,
          times[maxIdx] as number,
        );
  }
  return length;
}

/** A time series as the store returns it: null marks a gap. */
export interface Series {
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

/**
 * Array form of {@link decimateColumns} (null for gaps, as the store and the API carry them).
 * Series of at most four points per column come back unchanged: nothing to gain.
 */
export function decimateMinMax(
  series: Series,
  from: number,
  to: number,
  columns: number,
  options: DecimateOptions = {},
): { times: number[]; values: (number | null)[] } {
  const n = series.times.length;
  const span = to - from;
  if (n <= columns * 4 || columns < 1 || !(span > 0) || !Number.isFinite(span))
    return { times: [...series.times], values: [...series.values] };
  // Straight from the scratch buffers to the arrays returned: no typed copy in between, and no
  // input buffer allocated per call (30 days at 10 s is 2 MB of doubles per series).
  if (scratchInput.length < n) scratchInput = new Float64Array(n);
  const values = scratchInput;
  const source = series.values;
  for (let i = 0; i < n; i++) values[i] = source[i] ?? Number.NaN;
  const length = reduceToScratch(series.times, values, n, from, span, columns, options);
  const outTimes = new Array<number>(length);
  const outValues = new Array<number | null>(length);
  for (let k = 0; k < length; k++) {
    outTimes[k] = scratchTimes[k] as number;
    const v = scratchValues[k] as number;
    outValues[k] = v === v ? v : null;
  }
  releaseScratch();
  return { times: outTimes, values: outValues };
}

/**
 * The reduction of `metrics.query`, as the engine runs it and the chart render benchmark times it:
 * `series` over [from, to] to the plot's `widthPx` CSS-px columns in 'column-mean' form, which
 * Chart.js draws pixel for pixel like the raw series when the plot starts on a whole CSS pixel (the
 * chart's config sees to it). Series of at most four points per column come back unchanged.
 */
export function decimateForPlot(
  series: Series,
  from: number,
  to: number,
  widthPx: number,
): { times: number[]; values: (number | null)[] } {
  return decimateMinMax(series, from, to, widthPx, { extremesAt: 'column-mean' });
}
