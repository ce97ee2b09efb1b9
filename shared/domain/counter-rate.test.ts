import { describe, expect, it } from 'vitest';
import { counterRate } from './counter-rate';

const s = (value: bigint, at: number, upTime = at / 10) => ({ value, at, upTime });

describe('counterRate', () => {
  it('has no rate for the first sample', () => {
    expect(counterRate(undefined, s(10n, 0), 64)).toEqual({ kind: 'gap', reason: 'first' });
  });
  it('keeps Counter64 values above 2^53 exact', () => {
    const base = 2n ** 60n + 1n;
    expect(counterRate(s(base, 0), s(base + 1_000n, 10_000), 64)).toEqual({ kind: 'rate', perSecond: 100 });
  });
  it('treats a Counter32 that passed its maximum as a wrap', () => {
    const max = 2n ** 32n;
    expect(counterRate(s(max - 100n, 0), s(50n, 1_000), 32)).toEqual({ kind: 'rate', perSecond: 150 });
  });
  it('treats an agent restart as a gap, never a negative spike', () => {
    expect(
      counterRate({ value: 5_000n, at: 0, upTime: 90_000 }, { value: 100n, at: 10_000, upTime: 500 }, 64),
    ).toEqual({
      kind: 'gap',
      reason: 'reset',
    });
  });
  it('treats a changed discontinuity time as a gap', () => {
    expect(
      counterRate(
        { value: 1n, at: 0, upTime: 100, discontinuity: 0 },
        { value: 2n, at: 1000, upTime: 200, discontinuity: 150 },
        64,
      ),
    ).toEqual({ kind: 'gap', reason: 'reset' });
  });
  it('treats a counter that fell by most of its range as a reset', () => {
    expect(counterRate(s(2n ** 40n, 0), s(10n, 1000), 64)).toEqual({ kind: 'gap', reason: 'reset' });
  });
});
