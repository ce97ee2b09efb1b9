import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alwaysEligible,
  budgetFraction,
  eligibleFromIntervals,
  errorBudget,
  forecastOutage,
  type EligibleBetween,
  type OutageForecastInput,
} from './error-budget';
import { dayNumber, weekdayOfDayNumber, zonedDayTimeToUtc, zonedToUtc } from './zoned-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Brussels';

/** Brussels wall time to epoch ms. */
function brussels(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return zonedToUtc({ year, month, day, hour, minute }, ZONE);
}

/** Business hours Monday to Friday 08:00-18:00 Brussels time, as eligible intervals for a month. */
function businessHours(year: number, month: number): [number, number][] {
  const intervals: [number, number][] = [];
  const first = dayNumber({ year, month, day: 1 });
  const next = dayNumber({
    year: month === 12 ? year + 1 : year,
    month: month === 12 ? 1 : month + 1,
    day: 1,
  });
  for (let days = first; days < next; days++) {
    if (weekdayOfDayNumber(days) > 5) continue;
    intervals.push([
      zonedDayTimeToUtc(days, { hour: 8, minute: 0 }, ZONE),
      zonedDayTimeToUtc(days, { hour: 18, minute: 0 }, ZONE),
    ]);
  }
  return intervals;
}

describe('errorBudget', () => {
  it('99.9 % over a 30-day month allows 43.2 minutes', () => {
    const budget = errorBudget({ target: 0.999, eligible: 30 * DAY, bad: 10 * MINUTE });
    expect(budget.allowed).toBe(43.2 * MINUTE);
    expect(budget.consumed).toBe(10 * MINUTE);
    expect(budget.remaining).toBeCloseTo(33.2 * MINUTE, 6);
    expect(budget.remainingPercent).toBeCloseTo((33.2 / 43.2) * 100, 9);
    expect(budget.breached).toBe(false);
  });

  it('meeting the target exactly is not a breach (1 bad request in 1,000 at 99.9 %)', () => {
    const met = errorBudget({ target: 0.999, eligible: 1_000, bad: 1 });
    expect(met).toEqual({ allowed: 1, consumed: 1, remaining: 0, remainingPercent: 0, breached: false });
    const over = errorBudget({ target: 0.999, eligible: 1_000, bad: 2 });
    expect(over).toEqual({ allowed: 1, consumed: 2, remaining: -1, remainingPercent: -100, breached: true });
  });

  it('"≤ 1 s in ≥ 99 % of requests": 1,500 slow of 200,000 leaves a quarter of the budget', () => {
    const budget = errorBudget({ target: 0.99, eligible: 200_000, bad: 1_500 });
    expect(budget.allowed).toBe(2_000);
    expect(budget.remaining).toBe(500);
    expect(budget.remainingPercent).toBe(25);
  });

  it('a 100 % target (or nothing eligible) has no budget and no percentage', () => {
    expect(errorBudget({ target: 1, eligible: 1_000, bad: 0 })).toEqual({
      allowed: 0,
      consumed: 0,
      remaining: 0,
      remainingPercent: null,
      breached: false,
    });
    expect(errorBudget({ target: 1, eligible: 1_000, bad: 1 }).breached).toBe(true);
    expect(errorBudget({ target: 0.999, eligible: 0, bad: 0 }).remainingPercent).toBeNull();
  });

  it('refuses targets outside [0, 1] and amounts that are not amounts', () => {
    expect(() => errorBudget({ target: 99.9, eligible: 1, bad: 0 })).toThrow(RangeError);
    expect(() => errorBudget({ target: Number.NaN, eligible: 1, bad: 0 })).toThrow(RangeError);
    expect(() => errorBudget({ target: 0.9, eligible: -1, bad: 0 })).toThrow(RangeError);
    expect(() => errorBudget({ target: 0.9, eligible: 1, bad: Number.POSITIVE_INFINITY })).toThrow(
      RangeError,
    );
  });

  it('budgetFraction reads decimal targets as written', () => {
    expect(budgetFraction(0.999)).toBe(0.001);
    expect(budgetFraction(0.995)).toBe(0.005);
    expect(budgetFraction(0.9974)).toBe(0.0026);
    expect(budgetFraction(1)).toBe(0);
  });

  it('property: remaining + consumed = allowed, breached exactly when remaining < 0', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        (target, eligible, bad) => {
          const budget = errorBudget({ target, eligible, bad });
          expect(budget.remaining + budget.consumed).toBeCloseTo(budget.allowed, 3);
          expect(budget.allowed).toBeGreaterThanOrEqual(0);
          expect(budget.allowed).toBeLessThanOrEqual(eligible);
          expect(budget.breached).toBe(budget.remaining < 0);
          if (budget.remainingPercent !== null) expect(budget.remainingPercent).toBeLessThanOrEqual(100);
        },
      ),
    );
  });
});

describe('eligibleFromIntervals', () => {
  it('sums the overlap with [from, to), counting overlapping intervals once', () => {
    const eligible = eligibleFromIntervals([
      [30, 40],
      [0, 10],
      [5, 15],
      [50, 50],
    ]);
    expect(eligible(0, 100)).toBe(25);
    expect(eligible(12, 35)).toBe(8);
    expect(eligible(35, 12)).toBe(0);
    expect(eligible(15, 30)).toBe(0);
  });

  it('property: agrees with counting eligible milliseconds one by one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 40 })), {
          maxLength: 8,
        }),
        fc.integer({ min: -10, max: 260 }),
        fc.integer({ min: -10, max: 260 }),
        (raw, from, to) => {
          const intervals = raw.map(([start, length]): [number, number] => [start, start + length]);
          let count = 0;
          for (let t = from; t < to; t++) if (intervals.some(([s, e]) => s <= t && t < e)) count++;
          expect(eligibleFromIntervals(intervals)(from, to)).toBe(count);
        },
      ),
    );
  });
});

describe('forecastOutage', () => {
  // June 2026 in Brussels (CEST, UTC+2): 30 days; Monday 1 June; 22 weekdays, so 220 business hours.
  const juneStart = brussels(2026, 6, 1);
  const juneEnd = brussels(2026, 7, 1);
  const juneBusiness = eligibleFromIntervals(businessHours(2026, 6));

  it('24x7 at 99.9 %: 43.2 minutes allowed, breach when the rest of it has run', () => {
    const outageStart = brussels(2026, 6, 10, 14, 0);
    const now = outageStart + 20 * MINUTE;
    const forecast = forecastOutage({
      target: 0.999,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart,
      now,
      eligibleToDateMs: now - juneStart,
      badToDateMs: 25 * MINUTE, // 5 minutes on 3 June, 20 of this outage
      eligibleBetween: alwaysEligible,
    });
    expect(forecast.kind).toBe('breach-ahead');
    if (forecast.kind !== 'breach-ahead') return;
    expect(forecast.periodEligibleMs).toBe(30 * DAY);
    expect(forecast.allowedMs).toBe(43.2 * MINUTE);
    expect(forecast.remainingMinutes).toBeCloseTo(18.2, 9);
    // 14:20 + 18.2 min = 14:38:12 Brussels = 12:38:12 UTC.
    expect(forecast.exhaustedAt).toBe(Date.UTC(2026, 5, 10, 12, 38, 12));
    expect(forecast.breachAt).toBe(forecast.exhaustedAt);
    // 9 days 14 h 20 min eligible so far.
    const toDate = 9 * DAY + 14 * HOUR + 20 * MINUTE;
    expect(forecast.availabilityToDate).toBeCloseTo((toDate - 25 * MINUTE) / toDate, 12);
  });

  it('business hours: an outage at 17:00 on Wednesday breaches at 09:12 on Thursday, skipping the night', () => {
    // 99 % of 220 h allows 132 min. Outage from 17:00, now 17:30: 30 min spent, 102 left;
    // 30 of them until 18:00, then 72 from 08:00 the next day: 09:12 (07:12 UTC).
    const outageStart = brussels(2026, 6, 10, 17, 0);
    const now = brussels(2026, 6, 10, 17, 30);
    const forecast = forecastOutage({
      target: 0.99,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart,
      now,
      eligibleToDateMs: juneBusiness(juneStart, now),
      badToDateMs: 30 * MINUTE,
      eligibleBetween: juneBusiness,
    });
    expect(forecast).toMatchObject({
      kind: 'breach-ahead',
      periodEligibleMs: 220 * HOUR,
      allowedMs: 132 * MINUTE,
      remainingMs: 102 * MINUTE,
      remainingMinutes: 102,
      exhaustedAt: Date.UTC(2026, 5, 11, 7, 12),
      breachAt: Date.UTC(2026, 5, 11, 7, 12),
    });
    // Seven whole business days (1-5, 8-9 June) and 9.5 h today: 4,770 min, 30 of them down.
    expect(forecast.availabilityToDate).toBeCloseTo(4_740 / 4_770, 12);
  });

  it('business hours: an outage late on Friday breaches on Monday morning', () => {
    const outageStart = brussels(2026, 6, 12, 17, 0);
    const now = brussels(2026, 6, 12, 17, 30);
    const forecast = forecastOutage({
      target: 0.99,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart,
      now,
      eligibleToDateMs: juneBusiness(juneStart, now),
      badToDateMs: 30 * MINUTE,
      eligibleBetween: juneBusiness,
    });
    expect(forecast).toMatchObject({ kind: 'breach-ahead', breachAt: brussels(2026, 6, 15, 9, 12) });
  });

  it('a budget that runs out at 18:00 sharp is met overnight and breaches at 08:00', () => {
    // 102 min spent before, now 17:30 on Wednesday: exactly the 30 min to 18:00 remain.
    const now = brussels(2026, 6, 10, 17, 30);
    const forecast = forecastOutage({
      target: 0.99,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart: brussels(2026, 6, 10, 15, 48),
      now,
      eligibleToDateMs: juneBusiness(juneStart, now),
      badToDateMs: 102 * MINUTE,
      eligibleBetween: juneBusiness,
    });
    expect(forecast).toMatchObject({
      kind: 'breach-ahead',
      remainingMinutes: 30,
      exhaustedAt: brussels(2026, 6, 10, 18, 0),
      breachAt: brussels(2026, 6, 11, 8, 0),
    });
  });

  it('is within budget when the period has less eligible time left than budget', () => {
    // Tuesday 30 June 17:00: one business hour left, 102 min of budget.
    const now = brussels(2026, 6, 30, 17, 0);
    const forecast = forecastOutage({
      target: 0.99,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart: brussels(2026, 6, 30, 16, 30),
      now,
      eligibleToDateMs: juneBusiness(juneStart, now),
      badToDateMs: 30 * MINUTE,
      eligibleBetween: juneBusiness,
    });
    expect(forecast.kind).toBe('within-budget');
    expect(forecast.remainingMinutes).toBe(102);
  });

  it('an already breached period says since when this outage breached it', () => {
    // 100 min down earlier in June; the outage since Wednesday 17:00 spent 32 more by 17:32.
    const now = brussels(2026, 6, 11, 9, 0);
    const forecast = forecastOutage({
      target: 0.99,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart: brussels(2026, 6, 10, 17, 0),
      now,
      eligibleToDateMs: juneBusiness(juneStart, now),
      badToDateMs: 100 * MINUTE + 120 * MINUTE,
      eligibleBetween: juneBusiness,
    });
    expect(forecast).toMatchObject({
      kind: 'breached',
      since: brussels(2026, 6, 10, 17, 32),
      remainingMinutes: -88,
    });
  });

  it('a period over budget before the outage began cannot say since when', () => {
    const now = brussels(2026, 6, 11, 9, 0);
    const forecast = forecastOutage({
      target: 0.99,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart: brussels(2026, 6, 11, 8, 30),
      now,
      eligibleToDateMs: juneBusiness(juneStart, now),
      badToDateMs: 140 * MINUTE + 30 * MINUTE,
      eligibleBetween: juneBusiness,
    });
    expect(forecast).toMatchObject({ kind: 'breached', since: null });
  });

  it('an outage that began last month counts only from the period start', () => {
    const now = juneStart + 50 * MINUTE;
    const forecast = forecastOutage({
      target: 0.999,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart: juneStart - 3 * HOUR,
      now,
      eligibleToDateMs: 50 * MINUTE,
      badToDateMs: 50 * MINUTE,
      eligibleBetween: alwaysEligible,
    });
    expect(forecast).toMatchObject({ kind: 'breached', since: juneStart + 43.2 * MINUTE });
    expect(forecast.availabilityToDate).toBe(0);
  });

  it('a 24x7 month with the autumn DST change has 745 hours, so 99.9 % allows 44.7 minutes', () => {
    const octStart = brussels(2026, 10, 1);
    const octEnd = brussels(2026, 11, 1);
    const forecast = forecastOutage({
      target: 0.999,
      periodStart: octStart,
      periodEnd: octEnd,
      outageStart: octStart,
      now: octStart,
      eligibleToDateMs: 0,
      badToDateMs: 0,
      eligibleBetween: alwaysEligible,
    });
    expect(forecast.periodEligibleMs).toBe(745 * HOUR);
    expect(forecast.allowedMs).toBeCloseTo(44.7 * MINUTE, 6);
    expect(forecast.availabilityToDate).toBeNull();
  });

  it('refuses instants out of order and bad time beyond eligible time', () => {
    const base: OutageForecastInput = {
      target: 0.999,
      periodStart: juneStart,
      periodEnd: juneEnd,
      outageStart: juneStart,
      now: juneStart + HOUR,
      eligibleToDateMs: HOUR,
      badToDateMs: 0,
      eligibleBetween: alwaysEligible,
    };
    expect(() => forecastOutage({ ...base, now: juneEnd + 1 })).toThrow(RangeError);
    expect(() => forecastOutage({ ...base, outageStart: juneStart + 2 * HOUR })).toThrow(RangeError);
    expect(() => forecastOutage({ ...base, badToDateMs: 2 * HOUR })).toThrow(RangeError);
    expect(() => forecastOutage({ ...base, target: 1.5 })).toThrow(RangeError);
  });

  /**
   * The breach instant found by walking the eligible intervals in order and spending the budget
   * on each: an independent way to the same answer as the binary search.
   */
  function walkToExhaustion(
    intervals: [number, number][],
    from: number,
    to: number,
    budget: number,
  ): number | null {
    let left = Math.floor(budget);
    if (left === 0) return from;
    for (const [start, end] of intervals) {
      const s = Math.max(start, from);
      const e = Math.min(end, to);
      if (e <= s) continue;
      if (e - s >= left) return s + left;
      left -= e - s;
    }
    return null;
  }

  /** Random schedules: disjoint eligible intervals of whole seconds, separated by gaps. */
  const scheduleArbitrary = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 20 * HOUR }), fc.integer({ min: 1, max: 12 * HOUR })), {
      minLength: 1,
      maxLength: 30,
    })
    .map((pairs) => {
      const intervals: [number, number][] = [];
      let t = 0;
      for (const [gap, length] of pairs) {
        const start = t + Math.round(gap / 1000) * 1000;
        const end = start + Math.max(1000, Math.round(length / 1000) * 1000);
        intervals.push([start, end]);
        t = end;
      }
      return intervals;
    });

  it('property: the breach instant t satisfies bad(t) = allowed within 1 s, and is the first such', () => {
    fc.assert(
      fc.property(
        scheduleArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.9, 0.95, 0.99, 0.995, 0.999),
        (intervals, nowShare, badShare, outageShare, target) => {
          const eligibleBetween: EligibleBetween = eligibleFromIntervals(intervals);
          const periodStart = 0;
          const periodEnd = (intervals.at(-1)?.[1] ?? 0) + HOUR;
          const now = Math.round(periodEnd * nowShare);
          const eligibleToDateMs = eligibleBetween(periodStart, now);
          // Mostly short outages, so that every outcome comes up.
          const outageStart = now - Math.round(now * outageShare ** 4);
          // Bad time before the outage (up to twice the period's budget), then all of the outage's.
          const beforeOutage = eligibleBetween(periodStart, outageStart);
          const periodBudget = eligibleBetween(periodStart, periodEnd) * (1 - target);
          const badToDateMs =
            Math.min(beforeOutage, Math.round(periodBudget * badShare * 2)) +
            eligibleBetween(outageStart, now);
          const forecast = forecastOutage({
            target,
            periodStart,
            periodEnd,
            outageStart,
            now,
            eligibleToDateMs,
            badToDateMs,
            eligibleBetween,
          });
          const bad = (t: number): number => badToDateMs + eligibleBetween(now, t);
          expect(forecast.remainingMs).toBeCloseTo(forecast.allowedMs - badToDateMs, 6);
          switch (forecast.kind) {
            case 'breach-ahead': {
              expect(Math.abs(bad(forecast.exhaustedAt) - forecast.allowedMs)).toBeLessThanOrEqual(1000);
              expect(forecast.exhaustedAt).toBe(
                walkToExhaustion(intervals, now, periodEnd, forecast.remainingMs),
              );
              if (forecast.exhaustedAt - 1000 >= now)
                expect(bad(forecast.exhaustedAt - 1000)).toBeLessThan(forecast.allowedMs);
              // Restored at breachAt, the SLA is met; one more ms of outage breaks it.
              expect(forecast.breachAt).toBeGreaterThanOrEqual(forecast.exhaustedAt);
              expect(bad(forecast.breachAt)).toBeLessThanOrEqual(forecast.allowedMs + 1);
              expect(bad(forecast.breachAt + 1)).toBeGreaterThan(forecast.allowedMs);
              break;
            }
            case 'within-budget':
              expect(bad(periodEnd)).toBeLessThanOrEqual(forecast.allowedMs + 1);
              break;
            case 'breached':
              expect(badToDateMs).toBeGreaterThan(forecast.allowedMs);
              if (forecast.since !== null) {
                expect(forecast.since).toBeGreaterThanOrEqual(outageStart);
                expect(forecast.since).toBeLessThanOrEqual(now);
                // Bad amount at `since`: what was there before the outage, plus the outage so far.
                const atSince = badToDateMs - eligibleBetween(forecast.since, now);
                expect(Math.abs(atSince - forecast.allowedMs)).toBeLessThanOrEqual(1000);
              }
              break;
            default:
              throw new Error('unexpected forecast kind');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
