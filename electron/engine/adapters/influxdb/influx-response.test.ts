import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorMessage, m4Series, numericSeries, parseStatementResult, stringColumn } from './influx-response';

/** Bodies recorded from influxd 1.6.7 (see test/fixtures/influx/README.md). */
function fixture(name: string): string {
  return readFileSync(new URL(`../../../../test/fixtures/influx/${name}`, import.meta.url), 'utf8');
}

describe('parseStatementResult', () => {
  it('detects partial:true that max-row-limit puts on a series (recorded from influxd 1.6.7)', () => {
    const result = parseStatementResult(fixture('partial-series.json'), 'test');
    expect(result.partial).toBe(true);
    expect(result.series.map((s) => [s.tags.get('k'), s.partial])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(result.series.map((s) => numericSeries(s, 'test'))).toEqual([
      { times: [1000, 2000], values: [1, 2] },
      { times: [3000], values: [3] },
    ]);
  });

  it('detects partial:true on the result itself', () => {
    const body =
      '{"results":[{"statement_id":0,"partial":true,"series":[{"name":"m","columns":["time","f"],"values":[[1,2]]}]}]}';
    expect(parseStatementResult(body, 'test').partial).toBe(true);
  });

  it("raises an error inside an HTTP 200 as QUERY with InfluxDB's message", () => {
    expect(() => parseStatementResult(fixture('error-in-200.json'), 'test')).toThrow(
      expect.objectContaining({ code: 'QUERY', message: 'database not found: nodb' }),
    );
    expect(() => parseStatementResult('{"error":"engine: timeout"}', 'test')).toThrow(
      expect.objectContaining({ code: 'QUERY', message: 'engine: timeout' }),
    );
  });

  it('keeps a __proto__ tag key as data', () => {
    const body =
      '{"results":[{"statement_id":0,"series":[{"name":"m","tags":{"__proto__":"x","a":""},"columns":["time","f"],"values":[]}]}]}';
    const [series] = parseStatementResult(body, 'test').series;
    expect([...(series?.tags ?? [])]).toEqual([
      ['__proto__', 'x'],
      ['a', ''],
    ]);
    expect(Object.prototype).not.toHaveProperty('x');
  });

  it.each([
    ['truncated JSON', '{"results":[{"statement_id":0,"series":[{"name"'],
    ['an HTML error page', '<html>502 Bad Gateway</html>'],
    ['results of the wrong type', '{"results":{"statement_id":0}}'],
    ['no results', '{"results":[]}'],
    [
      'tags of the wrong type',
      '{"results":[{"series":[{"tags":{"k":1},"columns":["time","f"],"values":[]}]}]}',
    ],
    ['columns of the wrong type', '{"results":[{"series":[{"columns":"time","values":[]}]}]}'],
  ])('refuses %s as BAD_RESPONSE', (_what, body) => {
    expect(() => parseStatementResult(body, 'test')).toThrow(
      expect.objectContaining({ code: 'BAD_RESPONSE' }),
    );
  });

  it('ignores fields it does not know', () => {
    const body =
      '{"results":[{"statement_id":0,"messages":[{"level":"warning","text":"x"}],"series":[]}],"extra":1}';
    expect(parseStatementResult(body, 'test')).toEqual({ series: [], partial: false });
  });
});

describe('m4Series', () => {
  const series = (
    values: unknown[],
    columns = ['time', 'first', 'min', 'max', 'last'],
  ): Parameters<typeof m4Series>[0] => ({ tags: new Map(), columns, values, partial: false });

  it('reads [time, first, min, max, last] rows, an empty bucket as nulls', () => {
    expect(
      m4Series(
        series([
          [0, 5, 1, 9, 4],
          [10, null, null, null, null],
        ]),
        'test',
      ),
    ).toEqual({ times: [0, 10], first: [5, null], min: [1, null], max: [9, null], last: [4, null] });
  });

  it('refuses other columns, malformed rows and non-numeric values', () => {
    expect(() => m4Series(series([], ['time', 'min', 'first', 'max', 'last']), 'test')).toThrow(/columns/);
    expect(() => m4Series(series([], ['time', 'mean']), 'test')).toThrow(/columns/);
    expect(() => m4Series(series([[0, 1, 2, 3]]), 'test')).toThrow(
      expect.objectContaining({ code: 'BAD_RESPONSE' }),
    );
    expect(() => m4Series(series(['row']), 'test')).toThrow(
      expect.objectContaining({ code: 'BAD_RESPONSE' }),
    );
    expect(() => m4Series(series([['2024-01-01T00:00:00Z', 1, 1, 1, 1]]), 'test')).toThrow(/epoch=ms/);
    expect(() => m4Series(series([[0, 1, 'x', 1, 1]]), 'test')).toThrow(
      expect.objectContaining({ code: 'QUERY' }),
    );
    expect(() => m4Series(series([[0, 1, 1, 1, true]]), 'test')).toThrow(
      expect.objectContaining({ code: 'QUERY' }),
    );
  });
});

describe('numericSeries', () => {
  const series = (values: unknown[], columns = ['time', 'mean']): Parameters<typeof numericSeries>[0] => ({
    tags: new Map(),
    columns,
    values,
    partial: false,
  });

  it('reads [time, value] rows, null staying null', () => {
    expect(
      numericSeries(
        series([
          [0, 1.5],
          [10, null],
        ]),
        'test',
      ),
    ).toEqual({ times: [0, 10], values: [1.5, null] });
  });

  it('refuses malformed rows and non-numeric values', () => {
    expect(() => numericSeries(series([[0]]), 'test')).toThrow(
      expect.objectContaining({ code: 'BAD_RESPONSE' }),
    );
    expect(() => numericSeries(series([['2024-01-01T00:00:00Z', 1]]), 'test')).toThrow(/epoch=ms/);
    expect(() => numericSeries(series([[0, 'up']]), 'test')).toThrow(
      expect.objectContaining({ code: 'QUERY' }),
    );
    expect(() => numericSeries(series([], ['time', 'a', 'b']), 'test')).toThrow(/columns/);
  });
});

describe('stringColumn and errorMessage', () => {
  it('reads a SHOW column by name', () => {
    expect(
      stringColumn(
        {
          tags: new Map(),
          columns: ['key', 'value'],
          values: [
            ['k', 'a'],
            ['k', 'b'],
          ],
          partial: false,
        },
        'value',
        'test',
      ),
    ).toEqual(['a', 'b']);
  });

  it("takes InfluxDB's message from 1.x and 2.x error bodies, else the text", () => {
    expect(errorMessage(fixture('auth-failed.json'))).toBe('authorization failed');
    expect(errorMessage(fixture('parse-error-400.json'))).toMatch(/^error parsing query: found FROM/);
    expect(errorMessage('{"code":"unauthorized","message":"unauthorized access"}')).toBe(
      'unauthorized access',
    );
    expect(errorMessage('  Bad Gateway \n')).toBe('Bad Gateway');
    expect(errorMessage('x'.repeat(1000))).toHaveLength(301);
  });
});
