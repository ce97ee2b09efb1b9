import { describe, expect, it } from 'vitest';
import { csvField, csvFileName, csvText, seriesToCsv } from './csv-export';

const T0 = Date.UTC(2026, 10, 23, 13, 0, 0);
const MINUTE = 60_000;

describe('seriesToCsv', () => {
  it('writes one row per time in ISO 8601 UTC, one column per series, and an empty cell for a gap', () => {
    const csv = seriesToCsv([
      {
        title: 'latency (mean) · source=api-a (ms)',
        times: [T0, T0 + MINUTE, T0 + 2 * MINUTE],
        values: [120.5, null, 131],
      },
      {
        title: 'load, "phase 1" (%)',
        times: [T0, T0 + 2 * MINUTE, T0 + 3 * MINUTE],
        values: [40, 0, null],
      },
    ]);
    expect(csv).toBe(
      [
        'time,latency (mean) · source=api-a (ms),"load, ""phase 1"" (%)"',
        '2026-11-23T13:00:00.000Z,120.5,40',
        '2026-11-23T13:01:00.000Z,,',
        '2026-11-23T13:02:00.000Z,131,0',
        '2026-11-23T13:03:00.000Z,,',
        '',
      ].join('\r\n'),
    );
  });

  it('quotes fields as RFC 4180 asks and defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(seriesToCsv([{ title: 'v', times: [T0], values: [-3.5] }])).toContain(',-3.5\r\n');
  });

  it('names the file after the export time', () => {
    expect(csvFileName(T0 + 123)).toBe('vigie-20261123T130000Z.csv');
  });
});
