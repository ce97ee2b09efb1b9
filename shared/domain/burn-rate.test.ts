import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BURN_RATE_RULES,
  burnRate,
  burnRateForBudgetShare,
  burnRateRulesSchema,
  burnRateWindows,
  evaluateBurnRate,
  type BurnRateRule,
  type WindowCounts,
} from './burn-rate';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Window figures by length; any window not listed is unobserved. */
function windows(entries: Record<number, WindowCounts>): (windowMs: number) => WindowCounts | undefined {
  return (windowMs) => entries[windowMs];
}

/** Every default window observed in ms of eligible time, with `bad` ms in each. */
function allWindowsBad(bad: (windowMs: number) => number): (windowMs: number) => WindowCounts {
  return (windowMs) => ({ bad: bad(windowMs), total: windowMs });
}

describe('burnRate', () => {
  it('is the bad ratio over the budget fraction', () => {
    expect(burnRate({ bad: 10, total: 1_000 }, 0.999)).toBeCloseTo(10, 12);
    expect(burnRate({ bad: 0, total: 1_000 }, 0.999)).toBe(0);
    expect(burnRate({ bad: 1_000, total: 1_000 }, 0.99)).toBeCloseTo(100, 12);
    // An hour of outage in an hour's window at 99.9 %: a thousand times the sustainable rate.
    expect(burnRate({ bad: HOUR, total: HOUR }, 0.999)).toBeCloseTo(1_000, 9);
  });

  it('is null, not zero, for a window with nothing eligible', () => {
    expect(burnRate({ bad: 0, total: 0 }, 0.999)).toBeNull();
  });

  it('refuses a 100 % target and counts that are not counts', () => {
    expect(() => burnRate({ bad: 0, total: 10 }, 1)).toThrow(RangeError);
    expect(() => burnRate({ bad: 11, total: 10 }, 0.99)).toThrow(RangeError);
    expect(() => burnRate({ bad: -1, total: 10 }, 0.99)).toThrow(RangeError);
    expect(() => burnRate({ bad: Number.NaN, total: 10 }, 0.99)).toThrow(RangeError);
  });

  it('property: monotone in the bad count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
        (total, a, b, target) => {
          const low = Math.floor(total * Math.min(a, b));
          const high = Math.floor(total * Math.max(a, b));
          expect(burnRate({ bad: low, total }, target)).toBeLessThanOrEqual(
            burnRate({ bad: high, total }, target)!,
          );
          if (high > low)
            expect(burnRate({ bad: low, total }, target)).toBeLessThan(
              burnRate({ bad: high, total }, target)!,
            );
        },
      ),
    );
  });
});

describe('DEFAULT_BURN_RATE_RULES', () => {
  it('are the workbook rules: 2 % of a 30-day budget in 1 h, 5 % in 6 h, 10 % in 3 d', () => {
    const [fast, slow, ticket] = DEFAULT_BURN_RATE_RULES;
    expect(fast).toMatchObject({ severity: 'page', longWindowMs: HOUR, shortWindowMs: 5 * MINUTE });
    expect(fast?.threshold).toBeCloseTo(burnRateForBudgetShare(0.02, HOUR, 30 * DAY), 12);
    expect(slow).toMatchObject({ severity: 'page', longWindowMs: 6 * HOUR, shortWindowMs: 30 * MINUTE });
    expect(slow?.threshold).toBeCloseTo(burnRateForBudgetShare(0.05, 6 * HOUR, 30 * DAY), 12);
    expect(ticket).toMatchObject({ severity: 'ticket', longWindowMs: 3 * DAY, shortWindowMs: 6 * HOUR });
    expect(ticket?.threshold).toBeCloseTo(burnRateForBudgetShare(0.1, 3 * DAY, 30 * DAY), 12);
    expect(burnRateRulesSchema.safeParse(DEFAULT_BURN_RATE_RULES).success).toBe(true);
  });

  it('need five distinct windows measured, the 6 h one shared', () => {
    expect(burnRateWindows()).toEqual([5 * MINUTE, 30 * MINUTE, HOUR, 6 * HOUR, 3 * DAY]);
  });
});

describe('evaluateBurnRate', () => {
  // At 99.9 %, 14.4× over 1 h is 51,840 bad ms (51.84 s), over 5 min 4,320 bad ms.
  it('14.4× exactly in both windows does not page; one ms more in both does', () => {
    const at = evaluateBurnRate(
      0.999,
      windows({ [HOUR]: { bad: 51_840, total: HOUR }, [5 * MINUTE]: { bad: 4_320, total: 5 * MINUTE } }),
    );
    const fast = at.results[0];
    expect(fast?.long.burnRate).toBeCloseTo(14.4, 9);
    expect(fast?.short.burnRate).toBeCloseTo(14.4, 9);
    expect(fast?.firing).toBe(false);
    expect(at.firing).toEqual([]);
    expect(at.severity).toBeNull();

    const over = evaluateBurnRate(
      0.999,
      windows({ [HOUR]: { bad: 51_841, total: HOUR }, [5 * MINUTE]: { bad: 4_321, total: 5 * MINUTE } }),
    );
    expect(over.firing.map((result) => result.rule.id)).toEqual(['1h-5m']);
    expect(over.severity).toBe('page');
    expect(over.firing[0]).toMatchObject({
      long: { windowMs: HOUR, bad: 51_841, total: HOUR, exceeds: true, observed: true },
      short: { windowMs: 5 * MINUTE, bad: 4_321, exceeds: true },
    });
  });

  it('a rate equal to the threshold in decimal does not fire for binary rounding above it', () => {
    // 4.23 s bad of 705 s at 99.9 % is 6× in decimal, 6.000000000000001 in binary floating point.
    const sixTimes = { bad: 4.23, total: 705 };
    expect(4.23 / 705 / 0.001).toBeGreaterThan(6);
    const result = evaluateBurnRate(0.999, windows({ [6 * HOUR]: sixTimes, [30 * MINUTE]: sixTimes }));
    expect(result.results[1]?.firing).toBe(false);
  });

  it('fires only when both windows exceed: a blip (short only) or a past burst (long only) does not', () => {
    const blip = evaluateBurnRate(
      0.999,
      windows({ [HOUR]: { bad: 51_840, total: HOUR }, [5 * MINUTE]: { bad: 5 * MINUTE, total: 5 * MINUTE } }),
    );
    expect(blip.results[0]).toMatchObject({
      firing: false,
      long: { exceeds: false },
      short: { exceeds: true },
    });
    const recovered = evaluateBurnRate(
      0.999,
      windows({ [HOUR]: { bad: 10 * MINUTE, total: HOUR }, [5 * MINUTE]: { bad: 0, total: 5 * MINUTE } }),
    );
    expect(recovered.results[0]).toMatchObject({
      firing: false,
      long: { exceeds: true },
      short: { exceeds: false },
    });
  });

  it('request counts at 99 %: 6× is 600 slow in 10,000; 601 fires the 6 h rule', () => {
    const counts = (bad: number): ((windowMs: number) => WindowCounts | undefined) =>
      windows({ [6 * HOUR]: { bad, total: 10_000 }, [30 * MINUTE]: { bad: bad / 10, total: 1_000 } });
    expect(evaluateBurnRate(0.99, counts(600)).firing).toEqual([]);
    const fired = evaluateBurnRate(0.99, counts(601));
    expect(fired.firing.map((result) => result.rule.id)).toEqual(['6h-30m']);
    expect(fired.firing[0]?.long.badRatio).toBeCloseTo(0.0601, 12);
  });

  it('a slow burn over three days opens a ticket, not a page', () => {
    // 1.5× everywhere: above the 1× ticket rule, below both page rules.
    const result = evaluateBurnRate(
      0.999,
      allWindowsBad((windowMs) => windowMs * 0.0015),
    );
    expect(result.firing.map((r) => r.rule.id)).toEqual(['3d-6h']);
    expect(result.severity).toBe('ticket');
  });

  it('a full outage fires every rule, pages first', () => {
    const result = evaluateBurnRate(
      0.999,
      allWindowsBad((windowMs) => windowMs),
    );
    expect(result.firing.map((r) => r.rule.id)).toEqual(['1h-5m', '6h-30m', '3d-6h']);
    expect(result.severity).toBe('page');
  });

  it('an unobserved or empty window cannot fire its rule', () => {
    const result = evaluateBurnRate(
      0.999,
      windows({ [HOUR]: { bad: HOUR, total: HOUR }, [6 * HOUR]: { bad: 0, total: 0 } }),
    );
    expect(result.results[0]?.short).toMatchObject({ observed: false, burnRate: null, exceeds: false });
    expect(result.results[1]?.long).toMatchObject({ observed: true, burnRate: null, exceeds: false });
    expect(result.firing).toEqual([]);
  });

  it('takes a configured rule set and orders firing rules by severity, then as configured', () => {
    const rules: BurnRateRule[] = [
      { id: 'day-ticket', severity: 'ticket', longWindowMs: DAY, shortWindowMs: 2 * HOUR, threshold: 2 },
      { id: 'hour-page', severity: 'page', longWindowMs: HOUR, shortWindowMs: 5 * MINUTE, threshold: 20 },
    ];
    const result = evaluateBurnRate(
      0.99,
      allWindowsBad((windowMs) => windowMs * 0.5),
      rules,
    );
    expect(result.results.map((r) => r.rule.id)).toEqual(['day-ticket', 'hour-page']);
    expect(result.firing.map((r) => r.rule.id)).toEqual(['hour-page', 'day-ticket']);
    expect(burnRateWindows(rules)).toEqual([5 * MINUTE, HOUR, 2 * HOUR, DAY]);
  });

  it('refuses invalid rules and rule sets', () => {
    const inverted: BurnRateRule = {
      id: 'x',
      severity: 'page',
      longWindowMs: MINUTE,
      shortWindowMs: HOUR,
      threshold: 2,
    };
    expect(() => evaluateBurnRate(0.999, () => undefined, [inverted])).toThrow(RangeError);
    expect(() => evaluateBurnRate(1, () => undefined)).toThrow(RangeError);
    const ok = DEFAULT_BURN_RATE_RULES[0];
    expect(burnRateRulesSchema.safeParse([ok, ok]).success).toBe(false);
    expect(burnRateRulesSchema.safeParse([]).success).toBe(false);
    expect(burnRateRulesSchema.safeParse([{ ...ok, threshold: 0 }]).success).toBe(false);
  });

  it('property: more bad in every window never stops a rule from firing', () => {
    const ratio = fc.double({ min: 0, max: 0.05, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(ratio, ratio), { minLength: 5, maxLength: 5 }), (pairs) => {
        const lengths = burnRateWindows();
        const counts = (pick: (pair: [number, number]) => number) => (windowMs: number) => {
          const pair = pairs[lengths.indexOf(windowMs)] ?? [0, 0];
          return { bad: Math.round(windowMs * pick(pair)), total: windowMs };
        };
        const less = evaluateBurnRate(
          0.999,
          counts(([a, b]) => Math.min(a, b)),
        );
        const more = evaluateBurnRate(
          0.999,
          counts(([a, b]) => Math.max(a, b)),
        );
        less.results.forEach((result, index) => {
          if (result.firing) expect(more.results[index]?.firing).toBe(true);
          expect(result.firing).toBe(result.long.exceeds && result.short.exceeds);
        });
      }),
    );
  });
});
