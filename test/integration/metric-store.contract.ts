/**
 * The MetricStore contract: one suite that every adapter must pass, the real influxd included
 * (DESIGN.md section 4), so that the embedded store cannot drift from InfluxDB. Every expected
 * value below is computed by hand from the data the test writes; where InfluxDB's answer is
 * surprising (count of an empty bucket, a first bucket that starts before the range), the
 * expectation is InfluxDB's and the comment says so.
 *
 * Used by metric-store.int.test.ts. Each test gets a fresh, empty store from `open`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  M4QueryResult,
  MetricPoint,
  MetricQuery,
  MetricQueryResult,
  MetricStore,
} from '../../electron/engine/ports/metric-store';

/** A store under test and how to dispose of it (and its database). */
export interface OpenedMetricStore {
  readonly store: MetricStore;
  cleanup(): Promise<void>;
}

/** 2024-01-15T10:00:00Z: a whole minute, so a multiple of every step used below. */
const T = Date.UTC(2024, 0, 15, 10, 0, 0);
const S = 1_000;

function never(): AbortSignal {
  return new AbortController().signal;
}

function aborted(): AbortSignal {
  const controller = new AbortController();
  controller.abort();
  return controller.signal;
}

/** UTF-8 byte order, the order InfluxDB lists names and values in. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function point(
  measurement: string,
  tags: Record<string, string>,
  fields: Record<string, number | null>,
  time: number,
): MetricPoint {
  return { measurement, tags, fields, time };
}

function q(
  query: Pick<MetricQuery, 'measurement' | 'field' | 'from' | 'to'> & Partial<MetricQuery>,
): MetricQuery {
  return { where: [], groupBy: [], aggregation: 'raw', stepMs: 10 * S, maxRows: 100_000, ...query };
}

/** The series of a result without their tags, for results of one series. */
function only(result: MetricQueryResult): { times: number[]; values: (number | null)[] } {
  expect(result.series).toHaveLength(1);
  const [first] = result.series;
  return { times: first?.times ?? [], values: first?.values ?? [] };
}

/**
 * Accepted by InfluxDB's line protocol and InfluxQL and still hostile to naive quoting: quotes,
 * backslashes, separators, SQL and InfluxQL injection attempts, whitespace at the ends, non-ASCII,
 * prototype keys.
 */
export const HOSTILE_NAMES: readonly string[] = [
  "it's",
  'say "hi"',
  'a\\b',
  'C:\\Program Files\\x',
  'semi;colon',
  "' OR 1=1 --",
  '"; DROP MEASUREMENT x',
  "x' OR '1'='1",
  "'; DROP DATABASE vigie; --",
  'comma,space =equals',
  'tab\there',
  ' leading and trailing ',
  '#not a comment',
  'é☃😀',
  '__proto__',
  'constructor',
  '${injection}',
  '/regex.*/',
];

/** What InfluxDB's line protocol cannot carry, so both stores refuse it. */
const UNSTORABLE: readonly { what: string; point: MetricPoint }[] = [
  { what: 'a newline in a tag value', point: point('refused', { k: 'a\nb' }, { v: 1 }, T) },
  { what: 'a tag value ending in a backslash', point: point('refused', { k: 'a\\' }, { v: 1 }, T) },
  { what: 'a backslash before a comma', point: point('refused', { k: 'a\\,b' }, { v: 1 }, T) },
  { what: 'a newline in a measurement', point: point('refu\nsed', {}, { v: 1 }, T) },
  { what: 'a measurement starting with #', point: point('#refused', {}, { v: 1 }, T) },
  { what: 'an empty measurement', point: point('', {}, { v: 1 }, T) },
  { what: 'a field named time', point: point('refused', {}, { time: 1 }, T) },
  { what: 'a tag key named time', point: point('refused', { time: 'x' }, { v: 1 }, T) },
  { what: 'a newline in a field key', point: point('refused', {}, { 'a\nb': 1 }, T) },
  { what: 'a lone surrogate in a tag value', point: point('refused', { k: 'a\uD800' }, { v: 1 }, T) },
  // Line protocol carries these, but InfluxQL cannot quote them: they could never be read.
  { what: 'a NUL in a tag value', point: point('refused', { k: 'a\u0000b' }, { v: 1 }, T) },
  { what: 'a carriage return in a measurement', point: point('refu\rsed', {}, { v: 1 }, T) },
];

/** Defines the contract's `describe` blocks for one adapter. */
export function metricStoreContract(name: string, open: () => Promise<OpenedMetricStore>): void {
  describe(`MetricStore contract: ${name}`, () => {
    let opened: OpenedMetricStore | undefined;
    const store = (): MetricStore => {
      if (opened === undefined) throw new Error('the store did not open');
      return opened.store;
    };
    const write = (points: readonly MetricPoint[]): Promise<void> => store().write(points, never());
    const query = (query: Parameters<typeof q>[0]): Promise<MetricQueryResult> =>
      store().query(q(query), never());

    beforeEach(async () => {
      opened = await open();
    });

    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    describe('writing and reading raw points', () => {
      it('gives back written points exactly, in time order, over an inclusive range', async () => {
        const tags = { site: 'par1', rack: 'r01' };
        // Written out of order: the store sorts by time.
        await write([
          point('rack_power', tags, { watts: 998, amps: 4.75 }, T + 20 * S),
          point('rack_power', tags, { watts: 1234.5, amps: 5.25 }, T),
          point('rack_power', tags, { watts: 1240.25, amps: 5.5 }, T + 10 * S),
          point('rack_power', tags, { watts: null, amps: 6 }, T + 30 * S),
        ]);
        const watts = await query({ measurement: 'rack_power', field: 'watts', from: T, to: T + 30 * S });
        expect(watts.truncated).toBe(false);
        expect(watts.series).toEqual([
          { tags: {}, times: [T, T + 10 * S, T + 20 * S], values: [1234.5, 1240.25, 998] },
        ]);
        expect(
          only(await query({ measurement: 'rack_power', field: 'amps', from: T, to: T + 30 * S })),
        ).toEqual({
          times: [T, T + 10 * S, T + 20 * S, T + 30 * S],
          values: [5.25, 5.5, 4.75, 6],
        });
        // Both ends are inclusive; one millisecond inside excludes the boundary points.
        expect(
          only(await query({ measurement: 'rack_power', field: 'watts', from: T + 1, to: T + 20 * S - 1 })),
        ).toEqual({ times: [T + 10 * S], values: [1240.25] });
      });

      it('keeps every double exactly, large and tiny ones included', async () => {
        const numbers = [1e21, 5e-324, 1.7976931348623157e308, -1.5e-10, 0.1, 123456789.12345679, -42];
        await write(numbers.map((n, i) => point('doubles', {}, { x: n }, T + i * S)));
        const result = await query({ measurement: 'doubles', field: 'x', from: T, to: T + 60 * S });
        expect(only(result).values).toEqual(numbers);
      });

      it('never turns a null or non-finite field into a zero, and skips points without any value', async () => {
        await write([
          point('gappy', {}, { a: null, b: 1 }, T),
          point('gappy', {}, { a: Number.NaN, b: 2 }, T + S),
          point('gappy', {}, { a: 5, b: null }, T + 2 * S),
          point('gappy', {}, { a: null, b: Number.POSITIVE_INFINITY }, T + 3 * S),
          point('ghost', { k: 'v' }, { a: null }, T),
        ]);
        expect(only(await query({ measurement: 'gappy', field: 'a', from: T, to: T + 3 * S }))).toEqual({
          times: [T + 2 * S],
          values: [5],
        });
        expect(only(await query({ measurement: 'gappy', field: 'b', from: T, to: T + 3 * S }))).toEqual({
          times: [T, T + S],
          values: [1, 2],
        });
        const mean = await query({
          measurement: 'gappy',
          field: 'a',
          from: T,
          to: T + 3 * S,
          aggregation: 'mean',
          stepMs: S,
        });
        expect(only(mean)).toEqual({
          times: [T, T + S, T + 2 * S, T + 3 * S],
          values: [null, null, 5, null],
        });
        // A point whose fields are all null writes nothing, not even its measurement.
        expect(await store().measurements(never())).toEqual(['gappy']);
      });

      it('replaces a point written again with the same series and time, field by field', async () => {
        await write([point('rewrite', { k: 'a' }, { a: 1, b: 2 }, T)]);
        await write([point('rewrite', { k: 'a' }, { a: 10 }, T)]);
        // Twice in one call: the later one wins.
        await write([
          point('rewrite', { k: 'a' }, { a: 20 }, T + S),
          point('rewrite', { k: 'a' }, { a: 30 }, T + S),
        ]);
        expect(only(await query({ measurement: 'rewrite', field: 'a', from: T, to: T + S }))).toEqual({
          times: [T, T + S],
          values: [10, 30],
        });
        expect(only(await query({ measurement: 'rewrite', field: 'b', from: T, to: T + S })).values).toEqual([
          2,
        ]);
        const count = await query({
          measurement: 'rewrite',
          field: 'a',
          from: T,
          to: T + S,
          aggregation: 'count',
          stepMs: 10 * S,
        });
        expect(only(count).values).toEqual([2]);
      });

      it('returns no series when the field has no point in the range', async () => {
        await write([point('sparse', {}, { a: 1 }, T)]);
        for (const aggregation of ['raw', 'mean', 'count'] as const) {
          const result = await query({
            measurement: 'sparse',
            field: 'a',
            from: T + S,
            to: T + 60 * S,
            aggregation,
          });
          expect(result).toMatchObject({ series: [], truncated: false });
        }
        expect((await query({ measurement: 'sparse', field: 'zz', from: T, to: T })).series).toEqual([]);
        expect((await query({ measurement: 'nowhere', field: 'a', from: T, to: T })).series).toEqual([]);
        // A range that ends before it starts holds nothing.
        expect((await query({ measurement: 'sparse', field: 'a', from: T + S, to: T })).series).toEqual([]);
      });
    });

    describe('aggregations', () => {
      // Buckets of 10 s from T; the range starts 3 s into the first one and ends on the first
      // millisecond of the fourth. Hand-computed per bucket:
      //   [T, T+10s)      1, 4, 2.5   (100 at T+1s is before the range)
      //   [T+10s, T+20s)  none        (only another field has a point there)
      //   [T+20s, T+30s)  8, -3, 7    (7 is the latest in time, written first; 8 is the largest)
      //   [T+30s, ...]    0.5         (50 at T+30.001s is after the range)
      const load = [
        point('ups', { zone: 'a' }, { load: 7 }, T + 29_999),
        point('ups', { zone: 'a' }, { load: 100 }, T + 1_000),
        point('ups', { zone: 'a' }, { load: 1 }, T + 3_000),
        point('ups', { zone: 'a' }, { load: 4 }, T + 5_000),
        point('ups', { zone: 'a' }, { load: 2.5 }, T + 9_000),
        point('ups', { zone: 'a' }, { other: 99 }, T + 15_000),
        point('ups', { zone: 'a' }, { load: -3 }, T + 21_000),
        point('ups', { zone: 'a' }, { load: 0.5 }, T + 30_000),
        point('ups', { zone: 'a' }, { load: 50 }, T + 30_001),
        point('ups', { zone: 'a' }, { load: 8 }, T + 20_000),
      ];
      const times = [T, T + 10 * S, T + 20 * S, T + 30 * S];
      const expected = {
        mean: [2.5, null, 4, 0.5],
        min: [1, null, -3, 0.5],
        max: [4, null, 8, 0.5],
        sum: [7.5, null, 12, 0.5],
        // InfluxDB answers 0, not null, for an empty bucket's count, even under fill(null).
        count: [3, 0, 3, 1],
        last: [2.5, null, 7, 0.5],
        // Nearest rank of 3 values: floor(3 * 0.95 + 0.5) - 1 = 2, the largest.
        p95: [4, null, 8, 0.5],
      } as const;

      for (const [aggregation, values] of Object.entries(expected)) {
        it(`computes ${aggregation} per bucket, with empty buckets over the whole range`, async () => {
          await write(load);
          const result = await query({
            measurement: 'ups',
            field: 'load',
            from: T + 3_000,
            to: T + 30_000,
            aggregation: aggregation as keyof typeof expected,
            stepMs: 10 * S,
          });
          expect(result.truncated).toBe(false);
          expect(result.series).toEqual([{ tags: {}, times, values }]);
        });
      }

      it('starts buckets at multiples of the step since the epoch, the first one before the range', async () => {
        await write([
          point('aligned', {}, { v: 1 }, 6_999),
          point('aligned', {}, { v: 2 }, 7_000),
          point('aligned', {}, { v: 3 }, 13_999),
          point('aligned', {}, { v: 4 }, 14_000),
          point('aligned', {}, { v: 5 }, 20_999),
        ]);
        const result = await query({
          measurement: 'aligned',
          field: 'v',
          from: 5_000,
          to: 21_000,
          aggregation: 'mean',
          stepMs: 7_000,
        });
        expect(only(result)).toEqual({ times: [0, 7_000, 14_000, 21_000], values: [1, 2.5, 4.5, null] });
      });

      it('picks p95 by nearest rank, floor(n * 95 / 100 + 0.5) - 1, as InfluxDB does', async () => {
        const bucket = (start: number, values: readonly number[]): MetricPoint[] =>
          values.map((v, i) => point('pct', {}, { v }, start + i * 10));
        // 1..20 shuffled: index 18 → 19 (an interpolating percentile would give 19.05).
        const twenty = Array.from({ length: 20 }, (_, i) => ((i + 1) * 7) % 20 || 20);
        await write([
          ...bucket(T, twenty),
          ...bucket(
            T + 10 * S,
            Array.from({ length: 30 }, (_, i) => 30 - i),
          ), // index 28 → 29
          ...bucket(
            T + 20 * S,
            Array.from({ length: 10 }, (_, i) => i + 1),
          ), // index 9 → 10
          ...bucket(T + 30 * S, [9, 3]), // index 1 → 9
          ...bucket(T + 40 * S, [-2]),
        ]);
        const result = await query({
          measurement: 'pct',
          field: 'v',
          from: T,
          to: T + 49 * S,
          aggregation: 'p95',
          stepMs: 10 * S,
        });
        expect(only(result).values).toEqual([19, 29, 10, 9, -2]);
      });

      it('takes last by time across series of one group, the larger value on a tie', async () => {
        await write([
          point('ties', { s: 'b' }, { v: 5 }, T + 5 * S),
          point('ties', { s: 'a' }, { v: 3 }, T + 5 * S),
          point('ties', { s: 'c' }, { v: 9 }, T + 4 * S),
        ]);
        const result = await query({
          measurement: 'ties',
          field: 'v',
          from: T,
          to: T + 9 * S,
          aggregation: 'last',
          stepMs: 10 * S,
        });
        expect(only(result).values).toEqual([5]);
      });
    });

    describe('first, min, max and last per bucket (queryM4)', () => {
      const m4 = (query: Parameters<typeof q>[0]): Promise<M4QueryResult> => {
        const { aggregation: _ignored, ...rest } = q(query);
        return store().queryM4(rest, never());
      };
      // The points of the aggregation tests above, hand-computed per 10 s bucket from T:
      //   [T, T+10s)      1 (T+3s), 4, 2.5      (100 at T+1s is before the range)
      //   [T+10s, T+20s)  none
      //   [T+20s, T+30s)  8 (T+20s), -3, 7 (T+29.999s)
      //   [T+30s, ...]    0.5                   (50 at T+30.001s is after the range)
      const load = [
        point('ups', { zone: 'a' }, { load: 7 }, T + 29_999),
        point('ups', { zone: 'a' }, { load: 100 }, T + 1_000),
        point('ups', { zone: 'a' }, { load: 1 }, T + 3_000),
        point('ups', { zone: 'a' }, { load: 4 }, T + 5_000),
        point('ups', { zone: 'a' }, { load: 2.5 }, T + 9_000),
        point('ups', { zone: 'a' }, { other: 99 }, T + 15_000),
        point('ups', { zone: 'a' }, { load: -3 }, T + 21_000),
        point('ups', { zone: 'a' }, { load: 0.5 }, T + 30_000),
        point('ups', { zone: 'a' }, { load: 50 }, T + 30_001),
        point('ups', { zone: 'a' }, { load: 8 }, T + 20_000),
      ];
      const range = { measurement: 'ups', field: 'load', from: T + 3_000, to: T + 30_000 } as const;

      it('answers the four values of every bucket in one query, empty buckets as nulls', async () => {
        await write(load);
        const result = await m4({ ...range, stepMs: 10 * S });
        expect(result.truncated).toBe(false);
        expect(result.series).toEqual([
          {
            tags: {},
            times: [T, T + 10 * S, T + 20 * S, T + 30 * S],
            first: [1, null, 8, 0.5],
            min: [1, null, -3, 0.5],
            max: [4, null, 8, 0.5],
            last: [2.5, null, 7, 0.5],
          },
        ]);
      });

      it('starts buckets at the offset plus multiples of the step, the offset taken modulo the step', async () => {
        await write(load);
        // Buckets [T+3s, T+13s), [T+13s, T+23s), [T+23s, T+33s): the first starts on `from`.
        const expected = {
          tags: {},
          times: [T + 3 * S, T + 13 * S, T + 23 * S],
          first: [1, 8, 7],
          min: [1, -3, 0.5],
          max: [4, 8, 7],
          last: [2.5, -3, 0.5],
        };
        for (const offsetMs of [3_000, 13_000, -7_000]) {
          const result = await m4({ ...range, stepMs: 10 * S, offsetMs });
          expect(result.series, String(offsetMs)).toEqual([expected]);
        }
        // The other aggregations take the offset too.
        const mean = await query({ ...range, aggregation: 'mean', stepMs: 10 * S, offsetMs: 3_000 });
        expect(only(mean)).toEqual({ times: expected.times, values: [2.5, 2.5, 3.75] });
      });

      it('takes first and last by time across the series of a group, the larger value on a tie', async () => {
        await write([
          point('ties', { s: 'a' }, { v: 3 }, T + 4 * S),
          point('ties', { s: 'b' }, { v: 5 }, T + 4 * S),
          point('ties', { s: 'c' }, { v: 9 }, T + 5 * S),
          point('ties', { s: 'd' }, { v: 1 }, T + 5 * S),
        ]);
        const result = await m4({ measurement: 'ties', field: 'v', from: T, to: T + 9 * S, stepMs: 10 * S });
        expect(result.series).toEqual([{ tags: {}, times: [T], first: [5], min: [1], max: [9], last: [9] }]);
      });

      it('groups and filters as the other aggregations do', async () => {
        await write([
          point('fleet', { zone: 'a', kind: 'ups' }, { load: 10 }, T),
          point('fleet', { zone: 'a', kind: 'ups' }, { load: 20 }, T + 10 * S),
          point('fleet', { zone: 'b', kind: 'ups' }, { load: 30 }, T + 1 * S),
          point('fleet', { zone: 'b', kind: 'ups' }, { load: 40 }, T + 11 * S),
          point('fleet', { zone: 'b', kind: 'pdu' }, { load: 1 }, T + 2 * S),
          point('fleet', { zone: 'a' }, { load: 7 }, T + 3 * S),
        ]);
        const result = await m4({
          measurement: 'fleet',
          field: 'load',
          from: T,
          to: T + 19_999,
          stepMs: 20 * S,
          where: [{ key: 'kind', op: '=', value: 'ups' }],
          groupBy: ['zone'],
        });
        expect(result.series).toEqual([
          { tags: { zone: 'a' }, times: [T], first: [10], min: [10], max: [20], last: [20] },
          { tags: { zone: 'b' }, times: [T], first: [30], min: [30], max: [40], last: [40] },
        ]);
        const without = await m4({
          measurement: 'fleet',
          field: 'load',
          from: T,
          to: T + 19_999,
          stepMs: 20 * S,
          where: [{ key: 'kind', op: '!=', value: 'ups' }],
          groupBy: ['kind'],
        });
        expect(without.series).toEqual([
          { tags: { kind: '' }, times: [T], first: [7], min: [7], max: [7], last: [7] },
          { tags: { kind: 'pdu' }, times: [T], first: [1], min: [1], max: [1], last: [1] },
        ]);
      });

      it('matches hostile tag values literally', async () => {
        await write(HOSTILE_NAMES.map((v, i) => point('hostile', { probe: v }, { v: i }, T + i * S)));
        for (const [i, value] of HOSTILE_NAMES.entries()) {
          const result = await m4({
            measurement: 'hostile',
            field: 'v',
            from: T,
            to: T + 59_999,
            stepMs: 60 * S,
            where: [{ key: 'probe', op: '=', value }],
          });
          expect(result.series, value).toEqual([
            { tags: {}, times: [T], first: [i], min: [i], max: [i], last: [i] },
          ]);
        }
      });

      it('caps the buckets, returns no series without points, refuses bad steps and honours abort', async () => {
        await write([1, 2, 3].map((v) => point('capped', {}, { v }, T + v * S)));
        const capped = await m4({
          measurement: 'capped',
          field: 'v',
          from: T,
          to: T + 7 * S,
          stepMs: 2 * S,
          maxRows: 2,
        });
        expect(capped).toMatchObject({
          truncated: true,
          series: [{ times: [T, T + 2 * S], first: [1, 2], min: [1, 2], max: [1, 3], last: [1, 3] }],
        });
        expect(
          await m4({ measurement: 'capped', field: 'v', from: T + 4 * S, to: T + 9 * S, stepMs: S }),
        ).toMatchObject({
          series: [],
          truncated: false,
        });
        for (const stepMs of [0, 1.5]) {
          await expect(
            m4({ measurement: 'capped', field: 'v', from: T, to: T + S, stepMs }),
          ).rejects.toMatchObject({
            code: 'QUERY',
          });
        }
        await expect(
          m4({ measurement: 'capped', field: 'v', from: T, to: T + S, stepMs: S, offsetMs: 0.5 }),
        ).rejects.toMatchObject({ code: 'QUERY' });
        await expect(
          store().queryM4(
            {
              measurement: 'capped',
              field: 'v',
              where: [],
              groupBy: [],
              from: T,
              to: T + S,
              stepMs: S,
              maxRows: 10,
            },
            aborted(),
          ),
        ).rejects.toMatchObject({ code: 'ABORTED' });
      });
    });

    describe('groups and filters', () => {
      const fleet = [
        point('fleet', { zone: 'a', kind: 'ups' }, { load: 10 }, T),
        point('fleet', { zone: 'a', kind: 'ups' }, { load: 20 }, T + 10 * S),
        point('fleet', { zone: 'b', kind: 'ups' }, { load: 30 }, T + 1 * S),
        point('fleet', { zone: 'b', kind: 'ups' }, { load: 40 }, T + 11 * S),
        point('fleet', { zone: 'b', kind: 'pdu' }, { load: 1 }, T + 2 * S),
        point('fleet', { zone: 'a' }, { load: 7 }, T + 3 * S),
        point('fleet', { zone: 'c', kind: 'ups' }, { temp: 21 }, T + 4 * S),
      ];
      const mean = (where: MetricQuery['where'], groupBy: readonly string[]): Promise<MetricQueryResult> =>
        query({
          measurement: 'fleet',
          field: 'load',
          from: T,
          to: T + 19_999,
          aggregation: 'mean',
          stepMs: 20 * S,
          where,
          groupBy,
        });

      it('gives one series per tag combination, with its tags, a missing tag as ""', async () => {
        await write(fleet);
        expect((await mean([], ['kind'])).series).toEqual([
          { tags: { kind: '' }, times: [T], values: [7] },
          { tags: { kind: 'pdu' }, times: [T], values: [1] },
          { tags: { kind: 'ups' }, times: [T], values: [25] },
        ]);
        const raw = await query({
          measurement: 'fleet',
          field: 'load',
          from: T,
          to: T + 19_999,
          groupBy: ['zone', 'kind'],
        });
        expect(raw.series).toEqual([
          { tags: { zone: 'a', kind: '' }, times: [T + 3 * S], values: [7] },
          { tags: { zone: 'b', kind: 'pdu' }, times: [T + 2 * S], values: [1] },
          { tags: { zone: 'a', kind: 'ups' }, times: [T, T + 10 * S], values: [10, 20] },
          { tags: { zone: 'b', kind: 'ups' }, times: [T + S, T + 11 * S], values: [30, 40] },
        ]);
        // Without groupBy every series of the measurement is one: (10+20+30+40+1+7)/6.
        expect((await mean([], [])).series).toEqual([{ tags: {}, times: [T], values: [18] }]);
      });

      it('filters on tags with = and !=, a missing tag matching ""', async () => {
        await write(fleet);
        const series = async (where: MetricQuery['where'], groupBy: readonly string[]): Promise<unknown> =>
          (await mean(where, groupBy)).series.map((s) => ({ tags: s.tags, values: s.values }));
        expect(await series([{ key: 'zone', op: '=', value: 'b' }], ['kind'])).toEqual([
          { tags: { kind: 'pdu' }, values: [1] },
          { tags: { kind: 'ups' }, values: [35] },
        ]);
        // The series without `kind` is != 'ups' too.
        expect(await series([{ key: 'kind', op: '!=', value: 'ups' }], ['zone'])).toEqual([
          { tags: { zone: 'a' }, values: [7] },
          { tags: { zone: 'b' }, values: [1] },
        ]);
        expect(await series([{ key: 'kind', op: '=', value: '' }], ['zone'])).toEqual([
          { tags: { zone: 'a' }, values: [7] },
        ]);
        expect(
          await series(
            [
              { key: 'zone', op: '=', value: 'a' },
              { key: 'kind', op: '=', value: 'ups' },
            ],
            [],
          ),
        ).toEqual([{ tags: {}, values: [15] }]);
        expect(await series([{ key: 'rack', op: '=', value: 'x' }], [])).toEqual([]);
        expect(await series([{ key: 'rack', op: '!=', value: 'x' }], [])).toEqual([
          { tags: {}, values: [18] },
        ]);
      });
    });

    describe('hostile names', () => {
      it('stores hostile tag values literally and matches them only literally', async () => {
        await write(
          HOSTILE_NAMES.map((v, i) => point('hostile', { probe: v, kind: 'x' }, { v: i }, T + i * S)),
        );
        expect(await store().tagValues('hostile', 'probe', never())).toEqual(
          [...HOSTILE_NAMES].sort(byBytes),
        );
        const all = { measurement: 'hostile', field: 'v', from: T, to: T + 60 * S } as const;
        for (const [i, value] of HOSTILE_NAMES.entries()) {
          const equal = await query({ ...all, where: [{ key: 'probe', op: '=', value }] });
          expect(equal.series, value).toEqual([{ tags: {}, times: [T + i * S], values: [i] }]);
          const different = await query({ ...all, where: [{ key: 'probe', op: '!=', value }] });
          expect(only(different).values, value).toHaveLength(HOSTILE_NAMES.length - 1);
        }
        const grouped = await query({ ...all, groupBy: ['probe'] });
        expect(grouped.series.map((s) => s.tags.probe)).toEqual([...HOSTILE_NAMES].sort(byBytes));
        for (const s of grouped.series) expect(s.values).toEqual([HOSTILE_NAMES.indexOf(s.tags.probe ?? '')]);
        // Values that look like injections but were never written match nothing.
        for (const value of ["' OR ''='", '\\', "x' OR probe != '", 'a\nb']) {
          expect((await query({ ...all, where: [{ key: 'probe', op: '=', value }] })).series, value).toEqual(
            [],
          );
        }
      });

      it('stores hostile measurement, field and tag key names literally and leaves other data alone', async () => {
        await write([point('x', {}, { v: 1 }, T)]);
        const cases = HOSTILE_NAMES.map((name, i) => ({
          measurement: `m ${name}`,
          field: `f ${name}`,
          key: `k ${name}`,
          value: name,
          i,
        }));
        await write(
          cases.map((c) => point(c.measurement, { [c.key]: c.value }, { [c.field]: c.i }, T + c.i * S)),
        );
        expect(await store().measurements(never())).toEqual(
          ['x', ...cases.map((c) => c.measurement)].sort(byBytes),
        );
        for (const c of cases) {
          expect(await store().fields(c.measurement, never()), c.measurement).toEqual([
            { name: c.field, type: 'float' },
          ]);
          expect(await store().tagKeys(c.measurement, never()), c.measurement).toEqual([c.key]);
          expect(await store().tagValues(c.measurement, c.key, never()), c.measurement).toEqual([c.value]);
          const result = await query({
            measurement: c.measurement,
            field: c.field,
            from: T,
            to: T + 60 * S,
            where: [{ key: c.key, op: '=', value: c.value }],
            groupBy: [c.key],
          });
          expect(result.series, c.measurement).toEqual([
            { tags: { [c.key]: c.value }, times: [T + c.i * S], values: [c.i] },
          ]);
        }
        // The names bare, as a measurement, field and tag key of their own.
        const bare = HOSTILE_NAMES.filter((n) => !n.startsWith('#'));
        await write(bare.map((n, i) => point(n, { [n]: n }, { [n]: i }, T)));
        for (const [i, n] of bare.entries()) {
          const result = await query({ measurement: n, field: n, from: T, to: T, groupBy: [n] });
          expect(result.series, n).toEqual([{ tags: { [n]: n }, times: [T], values: [i] }]);
        }
        // "x" survived every `"; DROP MEASUREMENT x`.
        expect(only(await query({ measurement: 'x', field: 'v', from: T, to: T })).values).toEqual([1]);
      });

      for (const { what, point: bad } of UNSTORABLE) {
        it(`refuses ${what} (line protocol cannot carry it) and writes nothing of the call`, async () => {
          const good = point('kept_out', {}, { v: 1 }, T);
          await expect(write([good, bad])).rejects.toMatchObject({
            name: 'UpstreamError',
            code: 'WRITE_REJECTED',
          });
          expect(await store().measurements(never())).toEqual([]);
        });
      }

      it('drops a tag with an empty value, which InfluxQL reads as missing', async () => {
        await write([point('empty_tag', { k: '', j: 'b' }, { v: 1 }, T)]);
        expect(await store().tagKeys('empty_tag', never())).toEqual(['j']);
        const result = await query({
          measurement: 'empty_tag',
          field: 'v',
          from: T,
          to: T,
          where: [{ key: 'k', op: '=', value: '' }],
          groupBy: ['k', 'j'],
        });
        expect(result.series).toEqual([{ tags: { k: '', j: 'b' }, times: [T], values: [1] }]);
      });
    });

    describe('listings', () => {
      it('lists measurements, fields, tag keys and tag values in byte order', async () => {
        const names = ['b', 'A', 'a', 'é', '😀', '～'];
        await write(names.map((n, i) => point(n, { [`t${n}`]: n, zone: n }, { [`f${n}`]: i, load: i }, T)));
        await write([point('a', { zone: 'z' }, { load: 1 }, T), point('a', { zone: '～' }, { load: 1 }, T)]);
        // JavaScript's default sort would put 😀 (U+1F600) before ～ (U+FF5E); UTF-8 bytes do not.
        expect(await store().measurements(never())).toEqual(['A', 'a', 'b', 'é', '～', '😀']);
        expect(await store().fields('a', never())).toEqual([
          { name: 'fa', type: 'float' },
          { name: 'load', type: 'float' },
        ]);
        expect(await store().tagKeys('a', never())).toEqual(['ta', 'zone']);
        expect(await store().tagValues('a', 'zone', never())).toEqual(['a', 'z', '～']);
        expect(await store().fields('nowhere', never())).toEqual([]);
        expect(await store().tagKeys('nowhere', never())).toEqual([]);
        expect(await store().tagValues('a', 'nokey', never())).toEqual([]);
      });
    });

    describe('limits', () => {
      it('cuts a raw series at maxRows and says the result is truncated', async () => {
        await write([1, 2, 3, 4, 5].map((v) => point('capped', {}, { v }, T + v * S)));
        const cut = await query({ measurement: 'capped', field: 'v', from: T, to: T + 10 * S, maxRows: 3 });
        expect(cut).toMatchObject({
          truncated: true,
          series: [{ times: [T + S, T + 2 * S, T + 3 * S], values: [1, 2, 3] }],
        });
        const exact = await query({ measurement: 'capped', field: 'v', from: T, to: T + 10 * S, maxRows: 5 });
        expect(exact.truncated).toBe(false);
        expect(only(exact).values).toEqual([1, 2, 3, 4, 5]);
      });

      it('caps every series of a group, and the buckets of an aggregation', async () => {
        await write([
          ...[1, 2, 3].map((v) => point('capped', { s: 'a' }, { v }, T + v * S)),
          ...[4, 5, 6].map((v) => point('capped', { s: 'b' }, { v }, T + v * S)),
        ]);
        const raw = await query({
          measurement: 'capped',
          field: 'v',
          from: T,
          to: T + 10 * S,
          maxRows: 2,
          groupBy: ['s'],
        });
        expect(raw.truncated).toBe(true);
        expect(raw.series.map((s) => s.values)).toEqual([
          [1, 2],
          [4, 5],
        ]);
        const buckets = await query({
          measurement: 'capped',
          field: 'v',
          from: T,
          to: T + 7 * S,
          aggregation: 'max',
          stepMs: 2 * S,
          maxRows: 2,
        });
        expect(buckets.truncated).toBe(true);
        expect(only(buckets)).toEqual({ times: [T, T + 2 * S], values: [1, 3] });
      });
    });

    describe('health, cancellation and bad queries', () => {
      it('answers ping with a version and, when known, a clock close to ours', async () => {
        const health = await store().ping(never());
        expect(health.version).toMatch(/\d+\.\d+/);
        if (health.serverTime !== null) expect(Math.abs(health.serverTime - Date.now())).toBeLessThan(60_000);
      });

      it('rejects calls made with an aborted signal as ABORTED', async () => {
        await expect(store().write([point('m', {}, { v: 1 }, T)], aborted())).rejects.toMatchObject({
          code: 'ABORTED',
        });
        await expect(
          store().query(q({ measurement: 'm', field: 'v', from: T, to: T }), aborted()),
        ).rejects.toMatchObject({
          code: 'ABORTED',
        });
        expect(await store().measurements(never())).toEqual([]);
      });

      it('rejects a query or listing no store can run as QUERY', async () => {
        const base = { measurement: 'm', field: 'v', from: T, to: T + S } as const;
        for (const bad of [
          q({ ...base, aggregation: 'mean', stepMs: 0 }),
          q({ ...base, aggregation: 'mean', stepMs: 1.5 }),
          q({ ...base, field: 'time' }),
          q({ ...base, measurement: '' }),
          q({ ...base, maxRows: 0 }),
          q({ ...base, groupBy: ['time'] }),
          q({ ...base, where: [{ key: 'k', op: '=', value: 'a\u0000b' }] }),
        ]) {
          await expect(store().query(bad, never()), JSON.stringify(bad)).rejects.toMatchObject({
            code: 'QUERY',
          });
        }
        for (const name of ['', 'a\u0000b', 'a\rb']) {
          await expect(store().fields(name, never())).rejects.toMatchObject({ code: 'QUERY' });
          await expect(store().tagKeys(name, never())).rejects.toMatchObject({ code: 'QUERY' });
          await expect(store().tagValues('m', name, never())).rejects.toMatchObject({ code: 'QUERY' });
        }
      });
    });
  });
}
