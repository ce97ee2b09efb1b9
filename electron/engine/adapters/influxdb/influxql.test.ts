import { describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../ports/metric-store';
import { planQuery } from './influx-semantics';
import { quoteIdent, quoteString, selectStatement, showFieldKeys, showTagValues } from './influxql';

const HOSTILE = [
  "' OR 1=1 --",
  '"; DROP MEASUREMENT x',
  "x' OR '1'='1",
  'back\\slash',
  'ends\\',
  '\\',
  "\\'",
  '\\"',
  'new\nline',
  'tab\there',
  'é☃😀',
  '',
];

/**
 * Reads one quoted token at the start of `text` the way InfluxQL's scanner does (escapes `\\`,
 * `\n` and the quote; a raw newline ends the token in error) and returns its value and the rest.
 */
function scanQuoted(text: string, mark: string): { value: string; rest: string } {
  if (text[0] !== mark) throw new Error(`expected ${mark}`);
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') throw new Error('raw newline in a quoted token');
    if (c === mark) return { value, rest: text.slice(i + 1) };
    if (c === '\\') {
      const next = text[++i];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === "'" || next === '"') value += next;
      else throw new Error(`bad escape \\${String(next)}`);
    } else value += c;
  }
  throw new Error('unterminated');
}

describe('quoting', () => {
  it.each(HOSTILE)('quotes %j so that it reads back whole and nothing follows', (value) => {
    for (const [quoted, mark] of [
      [quoteIdent(value), '"'],
      [quoteString(value), "'"],
    ] as const) {
      expect(scanQuoted(quoted, mark)).toEqual({ value, rest: '' });
    }
  });

  it('escapes only what InfluxQL reads as escapes', () => {
    expect(quoteIdent('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('say "hi"')).toBe('\'say "hi"\'');
  });
});

describe('selectStatement', () => {
  const base: MetricQuery = {
    measurement: 'ups',
    field: 'load',
    where: [],
    groupBy: [],
    aggregation: 'raw',
    from: 1_000,
    to: 61_000,
    stepMs: 10_000,
    maxRows: 100,
  };
  const text = (q: Partial<MetricQuery>, rp?: string): string =>
    selectStatement(planQuery({ ...base, ...q }, 1000, 'test'), rp);

  it('reads raw points with a LIMIT one past the per-series cap', () => {
    expect(text({})).toBe(
      'SELECT "load"::field FROM "ups" WHERE time >= 1000ms AND time <= 61000ms LIMIT 101',
    );
  });

  it('groups raw points by tags and filters with = and != on ::tag', () => {
    expect(
      text({
        where: [
          { key: 'zone', op: '=', value: 'a' },
          { key: 'kind', op: '!=', value: "it's" },
        ],
        groupBy: ['zone', 'rack'],
      }),
    ).toBe(
      `SELECT "load"::field FROM "ups" WHERE "zone"::tag = 'a' AND "kind"::tag != 'it\\'s' AND time >= 1000ms AND time <= 61000ms GROUP BY "zone", "rack" LIMIT 101`,
    );
  });

  it.each([
    ['mean', 'mean("load"::field)'],
    ['min', 'min("load"::field)'],
    ['max', 'max("load"::field)'],
    ['sum', 'sum("load"::field)'],
    ['count', 'count("load"::field)'],
    ['last', 'last("load"::field)'],
    ['p95', 'percentile("load"::field, 95)'],
  ] as const)('maps %s to %s per time bucket with fill(null)', (aggregation, selector) => {
    expect(text({ aggregation, groupBy: ['zone'] })).toBe(
      `SELECT ${selector} FROM "ups" WHERE time >= 1000ms AND time <= 61000ms GROUP BY time(10000ms), "zone" fill(null)`,
    );
  });

  it('selects first, min, max and last in one statement for m4, with the offset when there is one', () => {
    const plan = (offsetMs: number) =>
      planQuery(
        { ...base, aggregation: 'm4', offsetMs, where: [{ key: 'k', op: '=', value: "a'\\" }] },
        1000,
        'test',
      );
    const m4 = `SELECT first("load"::field), min("load"::field), max("load"::field), last("load"::field) FROM "ups" WHERE "k"::tag = 'a\\'\\\\' AND time >= 1000ms AND time <= 61000ms`;
    expect(selectStatement(plan(0), undefined)).toBe(`${m4} GROUP BY time(10000ms) fill(null)`);
    expect(selectStatement(plan(1_000), undefined)).toBe(`${m4} GROUP BY time(10000ms, 1000ms) fill(null)`);
    // Taken modulo the step, never negative.
    expect(selectStatement(plan(-9_000), undefined)).toBe(`${m4} GROUP BY time(10000ms, 1000ms) fill(null)`);
    expect(selectStatement(plan(20_000), undefined)).toBe(`${m4} GROUP BY time(10000ms) fill(null)`);
  });

  it('qualifies the measurement with the retention policy', () => {
    expect(text({}, 'one "year"')).toContain('FROM "one \\"year\\""."ups"');
    expect(showFieldKeys('ups', 'rp')).toBe('SHOW FIELD KEYS FROM "rp"."ups"');
    expect(showTagValues('ups', 'zo"ne', undefined)).toBe('SHOW TAG VALUES FROM "ups" WITH KEY = "zo\\"ne"');
  });

  it('keeps hostile names inside their quotes', () => {
    const statement = text({
      measurement: '"; DROP MEASUREMENT x',
      field: "' OR 1=1 --",
      where: [{ key: 'k\\', op: '=', value: "x' OR '1'='1" }],
    });
    expect(statement).toBe(
      String.raw`SELECT "' OR 1=1 --"::field FROM "\"; DROP MEASUREMENT x" WHERE "k\\"::tag = 'x\' OR \'1\'=\'1' AND time >= 1000ms AND time <= 61000ms LIMIT 101`,
    );
  });
});
