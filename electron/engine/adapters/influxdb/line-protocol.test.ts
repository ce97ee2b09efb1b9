import { describe, expect, it } from 'vitest';
import { storablePoints } from './influx-semantics';
import { MAX_LINES_PER_BATCH, escapeKey, escapeMeasurement, toBatches, toLine } from './line-protocol';

describe('line protocol', () => {
  it('writes measurement, sorted tags, float fields and a millisecond time', () => {
    const [point] = storablePoints(
      [
        {
          measurement: 'rack power',
          tags: { site: 'par 1', rack: 'r=1,2' },
          fields: { watts: 1234.5, amps: 1e21 },
          time: 1700000000000,
        },
      ],
      'test',
    );
    expect(point && toLine(point)).toBe(
      'rack\\ power,rack=r\\=1\\,2,site=par\\ 1 amps=1e+21,watts=1234.5 1700000000000',
    );
  });

  it('escapes only what line protocol reads as separators, leaving quotes and backslashes as they are', () => {
    expect(escapeMeasurement('a,b c=d"e\\f')).toBe('a\\,b\\ c=d"e\\f');
    expect(escapeKey('a,b c=d"e\\f')).toBe('a\\,b\\ c\\=d"e\\f');
  });

  it('keeps every line on one line', () => {
    const lines = storablePoints(
      [{ measurement: 'm', tags: { k: "' OR 1=1 --" }, fields: { '"; DROP MEASUREMENT x': 1 }, time: 1 }],
      'test',
    ).map(toLine);
    expect(lines).toEqual([String.raw`m,k='\ OR\ 1\=1\ -- ";\ DROP\ MEASUREMENT\ x=1 1`]);
    expect(lines[0]).not.toContain('\n');
  });

  it(`batches at most ${MAX_LINES_PER_BATCH} lines, and by bytes`, () => {
    const lines = Array.from({ length: 12_001 }, (_, i) => `m v=${i} ${i}`);
    expect(toBatches(lines).map((b) => b.split('\n').length)).toEqual([5000, 5000, 2001]);
    expect(toBatches(['aaaa', 'bbbb', 'cccc'], 100, 10)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(toBatches([])).toEqual([]);
  });
});
