import { describe, expect, it } from 'vitest';
import { encodeCounter64, toGauge32, toInteger32, toWrapped32 } from './mib-objects';

describe('encodeCounter64', () => {
  it('writes minimal big-endian content octets', () => {
    expect(encodeCounter64(0n)).toEqual(Buffer.from([0]));
    expect(encodeCounter64(0x7fn)).toEqual(Buffer.from([0x7f]));
    expect(encodeCounter64(2n ** 53n + 1n)).toEqual(Buffer.from('20000000000001', 'hex'));
  });

  it('adds a leading zero octet when the top bit is set, so the value stays unsigned', () => {
    expect(encodeCounter64(0x80n)).toEqual(Buffer.from([0, 0x80]));
    expect(encodeCounter64(2n ** 64n - 1n)).toEqual(Buffer.from('00ffffffffffffffff', 'hex'));
  });

  it('refuses values outside 0..2^64-1', () => {
    expect(() => encodeCounter64(-1n)).toThrow(RangeError);
    expect(() => encodeCounter64(2n ** 64n)).toThrow(RangeError);
  });
});

describe('SMI value conversions', () => {
  it('wraps Counter32 and TimeTicks modulo 2^32', () => {
    expect(toWrapped32(2 ** 32 + 5)).toBe(5);
    expect(toWrapped32(12.9)).toBe(12);
  });

  it('latches Gauge32 and clamps Integer32 at their bounds', () => {
    expect(toGauge32(1e11)).toBe(0xffff_ffff);
    expect(toGauge32(-3)).toBe(0);
    expect(toInteger32(2 ** 40)).toBe(0x7fff_ffff);
    expect(toInteger32(22.6)).toBe(23);
  });
});
