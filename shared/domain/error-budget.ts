/**
 * Error budgets of SLA KPIs (issue 7, "Error budgets and forecasting"), after the SRE workbook
 * (https://sre.google/workbook/implementing-slos/): a KPI with target T over a period may spend
 * (1 − T) of the period's eligible amount on bad events. The amount is whatever the KPI counts:
 * scheduled milliseconds for availability, requests for "≤ 1 s in ≥ 99 % of requests", batch items
 * for "processed within 4 days".
 *
 * Also the forecast during an ongoing outage: month-to-date availability, the downtime still
 * allowed and the instant of breach if service is not restored, correct for schedules whose
 * eligible time is not continuous (business hours, public holidays), which the caller describes
 * with an `eligibleBetween(from, to)` function.
 *
 * Pure: inputs are figures and instants (epoch ms), never stores or clocks.
 */
import { z } from 'zod';

/**
 * A KPI's target as a ratio of good to eligible: 0.999 for "availability ≥ 99.9 %", 0.99 for
 * "≤ 1 s in ≥ 99 % of requests". 1 (100 %) is allowed and leaves no budget at all.
 */
export const sloTargetSchema = z.number().min(0).max(1);

/**
 * The share of the eligible amount a KPI may spend on bad events: 1 − target.
 *
 * Rounded to 12 decimals because targets are written as short decimals and `1 - 0.999` is
 * 0.0010000000000000009 in binary floating point: unrounded, 1 bad request out of 1,000 against a
 * 99.9 % target would read as a breach by 9e-16 when the SLA is exactly met.
 */
export function budgetFraction(target: number): number {
  if (!(target >= 0 && target <= 1))
    throw new RangeError(`an SLO target is a ratio in [0, 1], got ${target}`);
  return Math.round((1 - target) * 1e12) / 1e12;
}

/** What {@link errorBudget} needs: the target, the period's eligible amount and the bad amount so far. */
export interface ErrorBudgetInput {
  /** Ratio of good to eligible that the KPI promises (see {@link sloTargetSchema}). */
  readonly target: number;
  /**
   * The whole period's eligible amount, in the KPI's unit: the scheduled ms of the month for an
   * availability KPI (known in advance), the request count for a request KPI (so far, or projected).
   */
  readonly eligible: number;
  /** The bad amount consumed so far, in the same unit (ms of outage, slow requests). */
  readonly bad: number;
}

/** A KPI's error budget. `remaining` goes negative once the KPI has breached. */
export interface ErrorBudget {
  /** Bad amount the target allows over the period: (1 − target) × eligible. */
  readonly allowed: number;
  /** Bad amount consumed so far (the input, echoed so a report can show the three together). */
  readonly consumed: number;
  /** allowed − consumed; negative when breached. */
  readonly remaining: number;
  /**
   * remaining as a percentage of allowed (100 untouched, 0 exhausted, negative breached); null
   * when nothing is allowed (a 100 % target, or no eligible amount), where a share means nothing.
   */
  readonly remainingPercent: number | null;
  /** True once consumed exceeds allowed: meeting the target exactly is not a breach. */
  readonly breached: boolean;
}

function assertAmount(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0))
    throw new RangeError(`${name} must be a finite amount ≥ 0, got ${value}`);
}

/**
 * The error budget of a KPI over its period: allowed, consumed, remaining (negative = breached)
 * and remaining as a percentage of the budget. 99.9 % over a 30-day month allows 43.2 minutes.
 */
export function errorBudget(input: ErrorBudgetInput): ErrorBudget {
  assertAmount('eligible', input.eligible);
  assertAmount('bad', input.bad);
  const allowed = budgetFraction(input.target) * input.eligible;
  const remaining = allowed - input.bad;
  return {
    allowed,
    consumed: input.bad,
    remaining,
    remainingPercent: allowed > 0 ? (remaining / allowed) * 100 : null,
    breached: input.bad > allowed,
  };
}

/**
 * Eligible milliseconds of a KPI's schedule within [from, to): `to - from` for 24x7, the business
 * hours in between otherwise. Must be 0 when `to <= from` and non-decreasing in `to`.
 */
export type EligibleBetween = (from: number, to: number) => number;

/** The eligible time of a 24x7 schedule: every millisecond counts. */
export const alwaysEligible: EligibleBetween = (from, to) => Math.max(0, to - from);

/**
 * An {@link EligibleBetween} over explicit eligible intervals [start, end) in epoch ms (e.g. a
 * month's business hours computed once from the schedule). Overlapping intervals count once.
 */
export function eligibleFromIntervals(intervals: readonly (readonly [number, number])[]): EligibleBetween {
  // Merge once, so that overlaps do not count twice and each query is a linear scan of disjoint runs.
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return (from, to) => {
    let total = 0;
    for (const [start, end] of merged) {
      if (start >= to) break;
      const overlap = Math.min(end, to) - Math.max(start, from);
      if (overlap > 0) total += overlap;
    }
    return total;
  };
}

/** What {@link forecastOutage} needs: the period, the outage, the month-to-date figures, the schedule. */
export interface OutageForecastInput {
  /** Ratio of good to eligible that the KPI promises over the period (see {@link sloTargetSchema}). */
  readonly target: number;
  /** Start of the SLA period (e.g. the month, cut in the SLA's zone), epoch ms. */
  readonly periodStart: number;
  /** End of the SLA period (exclusive), epoch ms. */
  readonly periodEnd: number;
  /** When the ongoing outage started, epoch ms; may be before the period (it started last month). */
  readonly outageStart: number;
  /** The present instant, epoch ms, within the period. */
  readonly now: number;
  /** Eligible ms from periodStart to now (after exclusions such as announced maintenance). */
  readonly eligibleToDateMs: number;
  /** Bad ms from periodStart to now, the ongoing outage's eligible time so far included. */
  readonly badToDateMs: number;
  /** The schedule's eligible ms between two instants (business hours, holidays, or 24x7). */
  readonly eligibleBetween: EligibleBetween;
}

/** Figures shared by every outcome of {@link forecastOutage}. */
interface OutageForecastFigures {
  /** Month-to-date availability as a ratio (0.9987); null when nothing was eligible yet. */
  readonly availabilityToDate: number | null;
  /** The period's whole eligible ms: to date, plus what the schedule still holds until periodEnd. */
  readonly periodEligibleMs: number;
  /** Downtime the target allows over the whole period, ms. */
  readonly allowedMs: number;
  /** Downtime still allowed from now, ms; negative once breached. */
  readonly remainingMs: number;
  /** The same in minutes (not rounded: show it floored, an operator must not be told one too many). */
  readonly remainingMinutes: number;
}

/**
 * The outcome of {@link forecastOutage}:
 * - `breach-ahead`: the outage, if not restored, exhausts the budget at `exhaustedAt` and breaches
 *   the SLA from `breachAt` on ("breach at HH:MM if not restored"; restored by then, it is met).
 *   The two are the same instant except when the budget runs out exactly as eligible time stops
 *   (at 18:00 on a business-hours schedule): the SLA is still met overnight and breaches when
 *   eligible time resumes at 08:00. Both are whole ms; the budget is floored to whole ms.
 * - `within-budget`: the period ends (or its eligible time does) before the budget runs out.
 * - `breached`: already over budget. `since` is the instant from which this outage breached (as
 *   `breachAt` above), or null when the period was already over budget before this outage began
 *   (the inputs cannot tell when).
 */
export type OutageForecast =
  | (OutageForecastFigures & {
      readonly kind: 'breach-ahead';
      readonly exhaustedAt: number;
      readonly breachAt: number;
    })
  | (OutageForecastFigures & { readonly kind: 'within-budget' })
  | (OutageForecastFigures & { readonly kind: 'breached'; readonly since: number | null });

/**
 * The first whole millisecond t in [from, limit] at which `eligibleBetween(from, t)` reaches
 * `amount` (or exceeds it, when `strictly`), or null if it never does. Binary search over ms: about
 * 32 calls of `eligibleBetween` for a month, exact to the millisecond whatever gaps the schedule
 * has, since eligible time is non-decreasing in t.
 */
function firstInstantReaching(
  eligibleBetween: EligibleBetween,
  from: number,
  limit: number,
  amount: number,
  strictly: boolean,
): number | null {
  const reached = (t: number): boolean => {
    const spent = eligibleBetween(from, t);
    return strictly ? spent > amount : spent >= amount;
  };
  if (reached(from)) return from;
  if (!reached(limit)) return null;
  // Invariant: not reached at low, reached at high.
  let low = from;
  let high = limit;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (reached(middle)) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * The instant from which the SLA is breached if the outage goes on: the last whole ms at which the
 * eligible time spent since `from` is still within `budgetMs` (floored to whole ms), the next ms
 * exceeding it. When the budget runs out exactly at the end of an eligible stretch, that is where
 * eligible time resumes.
 */
function lastInstantWithin(
  eligibleBetween: EligibleBetween,
  from: number,
  limit: number,
  budgetMs: number,
): number | null {
  const exceeded = firstInstantReaching(eligibleBetween, from, limit, Math.floor(budgetMs), true);
  return exceeded === null ? null : Math.max(from, exceeded - 1);
}

/**
 * Forecast of an ongoing outage against a KPI's budget for the period: month-to-date
 * availability, downtime still allowed, and the instant of breach if service is not restored.
 *
 * The allowed downtime is (1 − target) of the whole period's eligible time, to date plus what
 * `eligibleBetween` holds from now to periodEnd. While the outage lasts every eligible ms is bad,
 * so the budget is exhausted at the first t with eligibleBetween(now, t) ≥ remaining; a business-
 * hours schedule's nights and weekends are skipped by the search, not assumed continuous. The
 * forecast holds for a full outage: every eligible ms from now on counts as bad.
 *
 * @throws RangeError when the instants are out of order or the amounts are not amounts.
 */
export function forecastOutage(input: OutageForecastInput): OutageForecast {
  const { periodStart, periodEnd, outageStart, now, eligibleBetween } = input;
  if (!(periodStart <= now && now <= periodEnd))
    throw new RangeError('now must lie within [periodStart, periodEnd]');
  if (!(outageStart <= now)) throw new RangeError('the outage cannot start after now');
  assertAmount('eligibleToDateMs', input.eligibleToDateMs);
  assertAmount('badToDateMs', input.badToDateMs);
  if (input.badToDateMs > input.eligibleToDateMs)
    throw new RangeError('badToDateMs cannot exceed eligibleToDateMs');

  const periodEligibleMs = input.eligibleToDateMs + eligibleBetween(now, periodEnd);
  const allowedMs = budgetFraction(input.target) * periodEligibleMs;
  const remainingMs = allowedMs - input.badToDateMs;
  const figures: OutageForecastFigures = {
    availabilityToDate:
      input.eligibleToDateMs > 0
        ? (input.eligibleToDateMs - input.badToDateMs) / input.eligibleToDateMs
        : null,
    periodEligibleMs,
    allowedMs,
    remainingMs,
    remainingMinutes: remainingMs / 60_000,
  };

  if (remainingMs < 0) {
    // Bad time before this outage (in this period) is what the outage has not added since it began.
    const from = Math.max(outageStart, periodStart);
    const badBeforeOutage = Math.max(0, input.badToDateMs - eligibleBetween(from, now));
    const since =
      badBeforeOutage > allowedMs
        ? null
        : lastInstantWithin(eligibleBetween, from, now, allowedMs - badBeforeOutage);
    return { ...figures, kind: 'breached', since };
  }
  const exhaustedAt = firstInstantReaching(eligibleBetween, now, periodEnd, Math.floor(remainingMs), false);
  const breachAt = lastInstantWithin(eligibleBetween, now, periodEnd, remainingMs);
  if (exhaustedAt === null || breachAt === null) return { ...figures, kind: 'within-budget' };
  return { ...figures, kind: 'breach-ahead', exhaustedAt, breachAt };
}
