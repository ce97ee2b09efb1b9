import { describe, expect, it } from 'vitest';
import type { MetricQuery, SeriesResult } from '../../ports/metric-store';
import {
  bucketStart,
  capSeries,
  compareBytes,
  nameProblem,
  percentileIndex,
  planQuery,
  sortSeries,
  storablePoints,
} from './influx-semantics';

const query = (q: Partial<MetricQuery>): MetricQuery => ({
  measurement: 'm',
  field: 'f',
  where: [],
  groupBy: [],
  aggregation: 'mean',
  from: 0,
  to: 59_999,
  stepMs: 10_000,
  maxRows: 1000,
  ...q,
});

describe('compareBytes', () => {
  it('orders as UTF-8 bytes do, emoji after U+FF5E unlike the default sort', () => {
    const words = ['～', '😀', 'é', 'Z', 'a', '', 'ab', 'a\u0000', '\uE000', '𝄞', 'z'];
    const expected = [...words].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...words].sort(compareBytes)).toEqual(expected);
    expect([...words].sort()).not.toEqual(expected);
  });
});

describe('nameProblem', () => {
  it.each([
    ['tag value', 'a\nb', /newline/],
    ['tag value', 'ends\\', /backslash/],
    ['tag key', 'a\\,b', /backslash/],
    ['field key', 'a\\ b', /backslash/],
    ['measurement', 'a\\"b', /backslash/],
    ['measurement', 'a\\\\b', /backslash/],
    ['measurement', '#comment', /comment/],
    ['field key', 'time', /time/],
    ['tag key', 'time', /time/],
    ['measurement', '', /empty/],
    ['field key', '', /empty/],
    ['tag value', '\uDC00x', /Unicode/],
    ['tag value', 'nul\u0000byte', /NUL/],
    ['field key', 'cr\rlf', /carriage return/],
  ] as const)('refuses %s %j', (kind, name, why) => {
    expect(nameProblem(kind, name)).toMatch(why);
  });

  it.each([
    ['tag value', ''],
    ['tag value', 'a\\b'],
    ['measurement', 'time'],
    ['field key', '"; DROP MEASUREMENT x'],
    ['tag value', "' OR 1=1 --"],
    ['tag key', 'a#b'],
    ['measurement', 'é☃😀'],
  ] as const)('accepts %s %j', (kind, name) => {
    expect(nameProblem(kind, name)).toBeUndefined();
  });
});

describe('storablePoints', () => {
  it('sorts tags and fields, drops empty tags, null and non-finite fields, points without fields', () => {
    const stored = storablePoints(
      [
        {
          measurement: 'm',
          tags: { z: '1', a: '2', e: '' },
          fields: { b: 1, a: null, c: NaN, d: -0 },
          time: 10.6,
        },
        { measurement: 'm', tags: {}, fields: { a: null, b: Infinity }, time: 20 },
      ],
      'test',
    );
    expect(stored).toEqual([
      {
        measurement: 'm',
        tags: [
          ['a', '2'],
          ['z', '1'],
        ],
        fields: [
          ['b', 1],
          ['d', 0],
        ],
        time: 11,
      },
    ]);
    expect(Object.is(stored[0]?.fields[1]?.[1], 0)).toBe(true);
  });

  it('refuses the whole call for one bad point, naming it', () => {
    expect(() =>
      storablePoints(
        [
          { measurement: 'ok', tags: {}, fields: { v: 1 }, time: 1 },
          { measurement: 'bad', tags: { k: 'x\\' }, fields: { v: 1 }, time: 1 },
        ],
        'test',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'WRITE_REJECTED',
        message: expect.stringMatching(/^point 1 \("bad"\)/) as unknown,
      }),
    );
    expect(() =>
      storablePoints([{ measurement: 'm', tags: {}, fields: { v: 1 }, time: 1e16 }], 'test'),
    ).toThrow(/outside InfluxDB's range/);
    expect(() =>
      storablePoints([{ measurement: 'm', tags: {}, fields: { v: 1 }, time: NaN }], 'test'),
    ).toThrow(/finite/);
  });

  it('refuses a series key longer than InfluxDB accepts', () => {
    const long = 'x'.repeat(70_000);
    expect(() =>
      storablePoints([{ measurement: 'm', tags: { k: long }, fields: { v: 1 }, time: 1 }], 'test'),
    ).toThrow(/series key/);
    // 33,000 × 2 bytes: over the limit though fewer characters.
    expect(() =>
      storablePoints(
        [{ measurement: 'm', tags: { k: 'é'.repeat(33_000) }, fields: { v: 1 }, time: 1 }],
        'test',
      ),
    ).toThrow(/series key/);
    expect(
      storablePoints(
        [{ measurement: 'm', tags: { k: 'x'.repeat(30_000) }, fields: { v: 1 }, time: 1 }],
        'test',
      ),
    ).toHaveLength(1);
  });
});

describe('percentileIndex', () => {
  it('is the nearest rank InfluxDB uses', () => {
    expect([1, 2, 3, 10, 19, 20, 30, 100].map((n) => percentileIndex(n, 95))).toEqual([
      0, 1, 2, 9, 17, 18, 28, 94,
    ]);
    expect(percentileIndex(4, 50)).toBe(1);
  });
});

describe('planQuery', () => {
  it('aligns the first bucket on the epoch and counts buckets over the inclusive range', () => {
    const plan = planQuery(query({ from: 5_000, to: 21_000, stepMs: 7_000 }), 1000, 'test');
    expect(plan).toMatchObject({
      firstBucket: 0,
      bucketCount: 4,
      from: 5_000,
      to: 21_000,
      capped: false,
      empty: false,
    });
    expect(bucketStart(-1, 1000)).toBe(-1000);
  });

  it('starts buckets at the offset, taken modulo the step, and counts them over the range', () => {
    const plan = planQuery(query({ from: 5_000, to: 21_000, stepMs: 7_000, offsetMs: -4_000 }), 1000, 'test');
    expect(plan).toMatchObject({ offsetMs: 3_000, firstBucket: 3_000, bucketCount: 3 });
    expect(bucketStart(2_999, 7_000, 3_000)).toBe(-4_000);
    expect(planQuery({ ...query({ offsetMs: 5_000 }), aggregation: 'm4' }, 1000, 'test').aggregation).toBe(
      'm4',
    );
    expect(() => planQuery(query({ offsetMs: 0.5 }), 1000, 'test')).toThrow(/offsetMs/);
    expect(planQuery(query({ aggregation: 'raw', offsetMs: 0.5 }), 1000, 'test').offsetMs).toBe(0);
  });

  it('rounds a fractional range inwards to whole milliseconds', () => {
    expect(planQuery(query({ from: 10.2, to: 20.7 }), 1000, 'test')).toMatchObject({ from: 11, to: 20 });
  });

  it('cuts the range to the bucket cap, the smaller of the query and the store caps', () => {
    const plan = planQuery(query({ from: 0, to: 1_000_000_000, stepMs: 1, maxRows: 50_000 }), 500, 'test');
    expect(plan).toMatchObject({ capped: true, bucketCount: 500, to: 499, perSeriesCap: 500, totalCap: 500 });
  });

  it('plans an empty result for a range that ends before it starts', () => {
    expect(planQuery(query({ from: 10, to: 9 }), 1000, 'test').empty).toBe(true);
  });

  it('dedupes group-by keys', () => {
    expect(planQuery(query({ groupBy: ['a', 'b', 'a'] }), 1000, 'test').groupBy).toEqual(['a', 'b']);
  });

  it.each<[Partial<MetricQuery>, RegExp]>([
    [{ stepMs: 0 }, /stepMs/],
    [{ stepMs: -5 }, /stepMs/],
    [{ stepMs: 2.5 }, /stepMs/],
    [{ maxRows: 0 }, /maxRows/],
    [{ from: NaN }, /finite/],
    [{ field: 'time' }, /time/],
    [{ measurement: '' }, /empty measurement/],
    [{ where: [{ key: '', op: '=', value: 'x' }] }, /empty tag key/],
    [{ where: [{ key: 'k', op: String('~=') as '=', value: 'x' }] }, /operator/],
    [{ groupBy: ['time'] }, /time/],
    [{ aggregation: String('median') as 'mean' }, /unknown aggregation/],
    [{ measurement: '\uD800' }, /Unicode/],
    [{ where: [{ key: 'k', op: '=', value: 'a\u0000b' }] }, /NUL/],
  ])('refuses %j as QUERY', (q, why) => {
    expect(() => planQuery(query(q), 1000, 'test')).toThrow(
      expect.objectContaining({ code: 'QUERY', message: expect.stringMatching(why) as unknown }),
    );
  });

  it('ignores stepMs for raw queries', () => {
    expect(planQuery(query({ aggregation: 'raw', stepMs: 0 }), 1000, 'test').empty).toBe(false);
  });
});

describe('sortSeries and capSeries', () => {
  const s = (tags: Record<string, string>, n: number): SeriesResult => ({
    tags,
    times: Array.from({ length: n }, (_, i) => i),
    values: Array.from({ length: n }, (_, i) => i),
  });

  it('orders series by group values, keys in byte order', () => {
    const sorted = sortSeries(
      [s({ z: 'a', b: 'y' }, 1), s({ z: 'b', b: 'x' }, 1), s({ z: 'a', b: 'x' }, 1)],
      ['z', 'b'],
    );
    expect(sorted.map((x) => x.tags)).toEqual([
      { z: 'a', b: 'x' },
      { z: 'b', b: 'x' },
      { z: 'a', b: 'y' },
    ]);
  });

  it('cuts each series at the per-series cap and all of them at the total cap', () => {
    expect(capSeries([s({}, 3), s({}, 3)], 5, 10)).toMatchObject({ truncated: false });
    const perSeries = capSeries([s({}, 3), s({}, 3)], 2, 10);
    expect(perSeries.truncated).toBe(true);
    expect(perSeries.series.map((x) => x.times)).toEqual([
      [0, 1],
      [0, 1],
    ]);
    const total = capSeries([s({}, 3), s({}, 3), s({}, 3)], 3, 4);
    expect(total.truncated).toBe(true);
    expect(total.series.map((x) => x.values)).toEqual([[0, 1, 2], [0]]);
  });
});
