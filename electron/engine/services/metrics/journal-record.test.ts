import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../ports/metric-store';
import { decodePoint, decodeSegment, encodePoint } from './journal-record';

const point: MetricPoint = {
  measurement: 'vigie',
  tags: { source: 'a-ups-1', zone: 'zone-a', kind: 'ups' },
  fields: { batteryCharge: 87, minutesRemaining: null },
  time: 1_736_942_400_000,
};

describe('journal records', () => {
  it('read back exactly what was written, one line per point', () => {
    const line = encodePoint(point);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(decodePoint(line.slice(0, -1))).toEqual(point);
  });

  it('keep a gap as a gap: a non-number reading is written as a missing value, never as zero', () => {
    const line = encodePoint({ ...point, fields: { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 1 } });
    expect(decodePoint(line.trim())?.fields).toEqual({ a: null, b: null, c: 1 });
  });

  it('refuse points that cannot be stored', () => {
    expect(() => encodePoint({ ...point, time: Number.NaN })).toThrow(TypeError);
    expect(() => encodePoint({ ...point, measurement: '' })).toThrow(TypeError);
  });

  it('reject hostile or damaged lines instead of trusting them', () => {
    const good = JSON.parse(encodePoint(point)) as Record<string, unknown>;
    const bad: unknown[] = [
      null,
      [],
      'text',
      42,
      { ...good, v: 2 },
      { ...good, measurement: 7 },
      { ...good, measurement: '' },
      { ...good, time: '2025-01-15' },
      { ...good, time: null },
      { ...good, tags: { zone: 3 } },
      { ...good, tags: ['a'] },
      { ...good, fields: { x: '1' } },
      { ...good, fields: { x: true } },
      { ...good, fields: null },
    ];
    for (const value of bad) expect(decodePoint(JSON.stringify(value))).toBeNull();
    expect(decodePoint('{"v":1,"measurement":"vig')).toBeNull();
    expect(decodePoint('')).toBeNull();
  });

  it('ignore extra keys and never let __proto__ reach a prototype', () => {
    const line =
      '{"v":1,"measurement":"m","tags":{"__proto__":"x","a":"b"},"fields":{"f":1},"time":5,"extra":1}';
    const decoded = decodePoint(line);
    expect(decoded).not.toBeNull();
    expect(Object.getPrototypeOf(decoded?.tags)).toBe(Object.prototype);
    expect(decoded?.tags.a).toBe('b');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(decoded).not.toHaveProperty('extra');
  });

  it('discard a torn last record and count damaged lines in a segment', () => {
    const text =
      encodePoint(point) + 'garbage\n' + encodePoint({ ...point, time: 1 }) + '{"v":1,"measurement":"vi';
    const decoded = decodeSegment(text);
    expect(decoded.points.map((p) => p.time)).toEqual([point.time, 1]);
    expect(decoded.invalidLines).toBe(1);
    expect(decoded.tornTail).toBe(true);
  });

  it('treat a record without its newline as torn, even when it parses', () => {
    const text = encodePoint(point) + encodePoint(point).trimEnd();
    expect(decodeSegment(text)).toMatchObject({ tornTail: true, invalidLines: 0 });
    expect(decodeSegment(text).points).toHaveLength(1);
    expect(decodeSegment('')).toEqual({ points: [], invalidLines: 0, tornTail: false });
  });
});
