import { describe, expect, it } from 'vitest';
import { decimateColumns, decimateForPlot, decimateMinMax, type DecimateOptions } from './decimate';

/** mulberry32: a seeded PRNG, so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plain {
  times: number[];
  values: number[];
}

/**
 * The reduction as the spec reads, written for obviousness rather than speed: each point's column
 * from the chart-scale arithmetic, runs of points sharing a column and gap-ness, then per run the
 * points kept (an index set, sorted) or, in 'column-mean' form, the bar.
 */
function reference(
  times: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
  columns: number,
  extremesAt: DecimateOptions['extremesAt'] = 'own-time',
): Plain {
  const columnOf = (t: number): number => {
    const c = Math.floor(((t - from) / (to - from)) * columns);
    return c < 0 ? -1 : c > columns ? columns : c;
  };
  const out: Plain = { times: [], values: [] };
  const push = (t: number, v: number): void => {
    out.times.push(t);
    out.values.push(v);
  };
  let i = 0;
  while (i < times.length) {
    const column = columnOf(times[i]!);
    const gap = Number.isNaN(values[i]);
    let j = i;
    while (j < times.length && columnOf(times[j]!) === column && Number.isNaN(values[j]) === gap) j++;
    const run = Array.from({ length: j - i }, (_, k) => i + k);
    if (gap) {
      push(times[i]!, Number.NaN);
    } else if (extremesAt === 'own-time') {
      let minIdx = i;
      let maxIdx = i;
      for (const k of run) {
        if (values[k]! < values[minIdx]!) minIdx = k;
        if (values[k]! > values[maxIdx]!) maxIdx = k;
      }
      for (const k of [...new Set([i, minIdx, maxIdx, j - 1])].sort((a, b) => a - b))
        push(times[k]!, values[k]!);
    } else {
      const runValues = run.map((k) => values[k]!);
      const min = Math.min(...runValues);
      const max = Math.max(...runValues);
      if (run.length <= 4) {
        for (const k of run) push(times[k]!, values[k]!);
      } else if (min === max) {
        push(times[i]!, min);
        push(times[j - 1]!, min);
      } else {
        const t0 = times[i]!;
        const offsets = run.slice(1).reduce((sum, k) => sum + (times[k]! - t0), 0);
        const mean = t0 + offsets / (run.length - 1);
        push(t0, values[i]!);
        push(mean, min);
        push(mean, max);
        push(mean, values[j - 1]!);
      }
    }
    i = j;
  }
  return out;
}

function plain(series: { times: Float64Array; values: Float64Array }): Plain {
  return { times: Array.from(series.times), values: Array.from(series.values) };
}

/** For long series: the first point that differs and its neighbours, not a diff of thousands. */
function expectSame(actual: Plain, expected: Plain): void {
  const length = Math.max(actual.times.length, expected.times.length);
  let at = 0;
  while (
    at < length &&
    Object.is(actual.times[at], expected.times[at]) &&
    Object.is(actual.values[at], expected.values[at])
  )
    at++;
  const around = (p: Plain): Plain => ({
    times: p.times.slice(at - 2, at + 3),
    values: p.values.slice(at - 2, at + 3),
  });
  expect({ firstDifferenceAt: at, ...around(actual) }).toEqual({
    firstDifferenceAt: length,
    ...around(expected),
  });
}

/** A random series: integer ms times (repeats allowed), quantised values (ties), gaps, spikes. */
function randomSeries(random: () => number): Plain {
  const n = Math.floor(random() * 300);
  const times: number[] = [];
  const values: number[] = [];
  let t = 1_700_000_000_000 + Math.floor(random() * 1e6);
  const quantum = random() < 0.5 ? 1 : 0.25;
  let gapLeft = 0;
  for (let k = 0; k < n; k++) {
    t += random() < 0.05 ? 0 : Math.floor(random() * (random() < 0.1 ? 50_000 : 10_000));
    times.push(t);
    if (gapLeft === 0 && random() < 0.03) gapLeft = 1 + Math.floor(random() * 20);
    if (gapLeft > 0) {
      gapLeft -= 1;
      values.push(Number.NaN);
      continue;
    }
    const spike = random() < 0.02 ? (random() - 0.5) * 1000 : 0;
    // + 0 turns a -0 from rounding into 0: the two compare equal, and which one is "the" min of a
    // column holding both is not something to pin down.
    values.push(Math.round((Math.sin(k / 20) * 10 + random() * 4 + spike) / quantum) * quantum + 0);
  }
  return { times, values };
}

describe('decimateColumns', () => {
  it('matches the reference on random series, both forms, Float64Array and array input', () => {
    const random = seeded(20_250_101);
    for (let round = 0; round < 3000; round++) {
      const s = randomSeries(random);
      const first = s.times[0] ?? 0;
      const last = s.times.at(-1) ?? 1;
      // Ranges that cover the data, cut into it, or extend past it (points outside the range).
      const from = first + Math.floor((random() - 0.3) * (last - first + 1));
      const to = from + 1 + Math.floor(random() * 1.5 * (last - first + 1));
      const columns = 1 + Math.floor(random() * (random() < 0.2 ? 400 : 40));
      const extremesAt = random() < 0.5 ? 'own-time' : 'column-mean';
      const expected = reference(s.times, s.values, from, to, columns, extremesAt);
      const typed = { times: Float64Array.from(s.times), values: Float64Array.from(s.values) };
      const context = { round, from, to, columns, extremesAt };
      expect({ ...context, ...plain(decimateColumns(typed, from, to, columns, { extremesAt })) }).toEqual({
        ...context,
        ...expected,
      });
      expect(plain(decimateColumns(s, from, to, columns, { extremesAt }))).toEqual(expected);
    }
  });

  it('keeps first, min, max and last of a column once each, in time order', () => {
    const times = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const values = [5, 7, 1, 9, 3, 3, 8, 2, 6, 4];
    // One column: first (0,5), min (2,1), max (3,9), last (9,4).
    expect(plain(decimateColumns({ times, values }, 0, 10, 1))).toEqual({
      times: [0, 2, 3, 9],
      values: [5, 1, 9, 4],
    });
    // First is also the min, last also the max: two points.
    expect(plain(decimateColumns({ times: [0, 1, 2], values: [0, 5, 9] }, 0, 10, 1))).toEqual({
      times: [0, 2],
      values: [0, 9],
    });
    // Ties keep the earliest.
    expect(plain(decimateColumns({ times: [0, 1, 2, 3, 4], values: [5, 1, 1, 9, 9] }, 0, 10, 1))).toEqual({
      times: [0, 1, 3, 4],
      values: [5, 1, 9, 9],
    });
  });

  it('breaks the line exactly where the raw series has a gap', () => {
    // One column holding values, a gap, values: reduced as two runs with a gap point between.
    const times = [0, 1, 2, 3, 4, 5, 6, 7];
    const values = [1, 9, 2, Number.NaN, Number.NaN, 8, 0, 3];
    expect(plain(decimateColumns({ times, values }, 0, 10, 1))).toEqual({
      times: [0, 1, 2, 3, 5, 6, 7],
      values: [1, 9, 2, Number.NaN, 8, 0, 3],
    });
    // A gap across three columns: one gap point per column it covers.
    const long = decimateColumns(
      { times: [0, 5, 15, 25, 35], values: [1, Number.NaN, Number.NaN, Number.NaN, 2] },
      0,
      40,
      4,
    );
    expect(plain(long)).toEqual({
      times: [0, 5, 15, 25, 35],
      values: [1, Number.NaN, Number.NaN, Number.NaN, 2],
    });
    // Gaps at both ends are kept (they say the data is missing there).
    expect(
      plain(decimateColumns({ times: [0, 1, 2], values: [Number.NaN, 4, Number.NaN] }, 0, 3, 1)),
    ).toEqual({
      times: [0, 1, 2],
      values: [Number.NaN, 4, Number.NaN],
    });
  });

  it('crosses empty columns without inventing a gap (the raw line crosses them too)', () => {
    const out = decimateColumns({ times: [0, 1, 2, 95, 96, 97], values: [1, 5, 2, 3, 0, 4] }, 0, 100, 10);
    expect(plain(out)).toEqual({ times: [0, 1, 2, 95, 96, 97], values: [1, 5, 2, 3, 0, 4] });
    expect(Array.from(out.values).some(Number.isNaN)).toBe(false);
  });

  it('puts a point exactly on a boundary in the column it starts', () => {
    // Columns of 10 ms: 10 and 20 start columns 1 and 2.
    const out = decimateColumns(
      { times: [0, 5, 9, 10, 15, 19, 20], values: [0, 9, 1, 7, 2, 8, 5] },
      0,
      30,
      3,
    );
    expect(plain(out)).toEqual({ times: [0, 5, 9, 10, 15, 19, 20], values: [0, 9, 1, 7, 2, 8, 5] });
    // Boundaries that are not whole milliseconds, at epoch-sized times: points at, just before and
    // just after every boundary land where the chart-scale arithmetic puts them.
    const from = 1_735_689_600_000;
    const to = from + 2_592_000_000;
    const columns = 3738;
    const times: number[] = [];
    for (let k = 0; k <= columns; k++) {
      const boundary = from + (k * (to - from)) / columns;
      times.push(
        Math.floor(boundary) - 1,
        Math.floor(boundary),
        Math.ceil(boundary),
        Math.ceil(boundary) + 1,
      );
    }
    const ascending = [...new Set(times)].sort((a, b) => a - b);
    const values = ascending.map((_, i) => (i * 7919) % 101);
    expectSame(
      plain(decimateColumns({ times: ascending, values }, from, to, columns)),
      reference(ascending, values, from, to, columns),
    );
  });

  it('agrees with the column arithmetic to the last bit around boundaries', () => {
    // Times a few representable doubles either side of from + k * (to - from) / columns: where that
    // estimate and the chart-scale arithmetic disagree on a point's column (0.3 is in column 3 of
    // [0, 1] in 10, though below 3 * 0.1), the arithmetic wins.
    const bits = new Float64Array(1);
    const word = new BigInt64Array(bits.buffer);
    const step = (x: number, by: number): number => {
      if (x === 0) return by * Number.MIN_VALUE;
      bits[0] = x;
      word[0] = (word[0] ?? 0n) + BigInt(x > 0 ? by : -by);
      return bits[0];
    };
    const cases: [number, number, number][] = [
      [0, 1, 10],
      [0, 1, 7],
      [0.1, 0.7, 9],
      [1_735_689_600_000, 1_735_689_600_000 + 2_592_000_000, 3738],
    ];
    for (const [from, to, columns] of cases) {
      const times = new Set<number>();
      for (let k = 0; k <= columns; k++)
        for (let by = -3; by <= 3; by++) times.add(step(from + (k * (to - from)) / columns, by));
      const ascending = [...times].sort((a, b) => a - b);
      const values = ascending.map((_, i) => (i * 7919) % 101);
      for (const extremesAt of ['own-time', 'column-mean'] as const)
        expectSame(
          plain(decimateColumns({ times: ascending, values }, from, to, columns, { extremesAt })),
          reference(ascending, values, from, to, columns, extremesAt),
        );
    }
  });

  it('handles a single point, no point, and more columns than points', () => {
    expect(plain(decimateColumns({ times: [5], values: [3] }, 0, 10, 100))).toEqual({
      times: [5],
      values: [3],
    });
    expect(plain(decimateColumns({ times: [], values: [] }, 0, 10, 100))).toEqual({ times: [], values: [] });
    const times = Array.from({ length: 500 }, (_, i) => i * 10);
    const values = times.map((t) => Math.sin(t));
    expect(plain(decimateColumns({ times, values }, 0, 5000, 500))).toEqual({ times, values });
    expect(plain(decimateColumns({ times, values }, 0, 5000, 3840))).toEqual({ times, values });
  });

  it('keeps the points outside the range in one column each side', () => {
    const out = decimateColumns(
      { times: [-30, -20, -10, 0, 5, 10, 20, 30], values: [1, 9, 5, 2, 3, 4, 8, 0] },
      0,
      10,
      2,
    );
    expect(plain(out)).toEqual({
      times: [-30, -20, -10, 0, 5, 10, 20, 30],
      values: [1, 9, 5, 2, 3, 4, 8, 0],
    });
    const many = Array.from({ length: 100 }, (_, i) => i - 200);
    const before = decimateColumns({ times: [...many, 0], values: [...many.map((t) => t % 7), 1] }, 0, 10, 5);
    expect(before.times.length).toBeLessThanOrEqual(5);
  });

  it("places min, max and last at the column's mean time in 'column-mean' form", () => {
    const times = [0, 10, 20, 30, 40, 50];
    const values = [5, 1, 9, 3, 7, 4];
    // First kept; then min, max, last at the mean of 10..50.
    expect(plain(decimateColumns({ times, values }, 0, 100, 1, { extremesAt: 'column-mean' }))).toEqual({
      times: [0, 30, 30, 30],
      values: [5, 1, 9, 4],
    });
    // Up to four points: kept as they are. A flat run: first and last.
    expect(
      plain(
        decimateColumns({ times: [0, 1, 2, 3], values: [4, 1, 8, 2] }, 0, 10, 1, {
          extremesAt: 'column-mean',
        }),
      ),
    ).toEqual({ times: [0, 1, 2, 3], values: [4, 1, 8, 2] });
    expect(
      plain(
        decimateColumns({ times: [0, 1, 2, 3, 4, 5], values: [2, 2, 2, 2, 2, 2] }, 0, 10, 1, {
          extremesAt: 'column-mean',
        }),
      ),
    ).toEqual({ times: [0, 5], values: [2, 2] });
  });

  it('returns fresh arrays each call, grows for gap-heavy series, copies on an unusable range', () => {
    const a = decimateColumns({ times: [0, 1, 2, 3, 4], values: [1, 5, 0, 2, 3] }, 0, 5, 1);
    const b = decimateColumns({ times: [0, 1, 2, 3, 4], values: [1, 5, 0, 2, 3] }, 0, 5, 1);
    a.values[0] = 42;
    expect(b.values[0]).toBe(1);
    expect(a.times).toBeInstanceOf(Float64Array);

    // Alternating values and gaps: every point survives, far past the reused buffers' size.
    const n = 200_000;
    const times = Array.from({ length: n }, (_, i) => i);
    const values = times.map((i) => (i % 2 === 0 ? i % 13 : Number.NaN));
    const out = decimateColumns({ times, values }, 0, n, 100);
    expectSame(plain(out), reference(times, values, 0, n, 100));
    expect(out.times.length).toBe(n);

    const copy = decimateColumns({ times: [1, 2], values: [3, 4] }, 5, 5, 10);
    expect(plain(copy)).toEqual({ times: [1, 2], values: [3, 4] });
    expect(plain(decimateColumns({ times: [1, 2], values: [3, 4] }, 0, 10, 0))).toEqual({
      times: [1, 2],
      values: [3, 4],
    });
  });
});

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
  it('is the columnar reduction with null for NaN', () => {
    const random = seeded(7);
    for (let round = 0; round < 200; round++) {
      const s = randomSeries(random);
      const from = s.times[0] ?? 0;
      const to = (s.times.at(-1) ?? 0) + 1;
      const columns = 1 + Math.floor(random() * 20);
      const out = decimateMinMax(
        { times: s.times, values: s.values.map((v) => (Number.isNaN(v) ? null : v)) },
        from,
        to,
        columns,
      );
      const expected =
        s.times.length <= columns * 4
          ? { times: s.times, values: s.values }
          : reference(s.times, s.values, from, to, columns);
      expect(out).toEqual({
        times: expected.times,
        values: expected.values.map((v) => (Number.isNaN(v) ? null : v)),
      });
    }
  });
});

describe('decimateForPlot', () => {
  it("is the 'column-mean' reduction to the plot's columns, with null for gaps", () => {
    const times = Array.from({ length: 1000 }, (_, i) => i);
    const values = times.map((t) => (t >= 500 && t < 520 ? null : (t * 37) % 11));
    const series = { times, values };
    expect(decimateForPlot(series, 0, 1000, 10)).toEqual(
      decimateMinMax(series, 0, 1000, 10, { extremesAt: 'column-mean' }),
    );
    const out = decimateForPlot(series, 0, 1000, 10);
    expect(out.times.length).toBeLessThan(60);
    expect(out.values).toContain(null);
  });
  it('returns series of at most four points per column unchanged', () => {
    expect(decimateForPlot({ times: [1, 2, 3], values: [1, null, 3] }, 0, 10, 1)).toEqual({
      times: [1, 2, 3],
      values: [1, null, 3],
    });
  });
});
