/**
 * Multiwindow, multi-burn-rate alerts on SLOs, as the SRE workbook recommends in "Alerting on
 * SLOs" (https://sre.google/workbook/alerting-on-slos/, approach 6). The burn rate of a window is
 * its bad ratio divided by the budget fraction (1 − target): at 1× the budget lasts exactly the
 * SLA period, at 14.4× a 30-day budget loses 2 % in one hour. Each rule pairs a long window (is
 * the budget really burning?) with a short one (is it still burning now?, so the alert resets soon
 * after the problem stops) and fires only when both exceed its rate.
 *
 * Pure and hysteresis-free: one evaluation says which rules fire now; raising and clearing alarms
 * is the caller's business.
 */
import { z } from 'zod';
import { budgetFraction } from './error-budget';

/** How loud a rule is: a page wakes someone now, a ticket is dealt with in working hours. */
export type BurnRateSeverity = 'page' | 'ticket';

/** Order of precedence of severities, loudest first. */
const SEVERITY_RANK: Readonly<Record<BurnRateSeverity, number>> = { page: 0, ticket: 1 };

/** One burn-rate alerting rule: both windows must burn faster than `threshold`. */
export interface BurnRateRule {
  /** Stable name, used as the alarm's key (e.g. "1h-5m"). */
  readonly id: string;
  readonly severity: BurnRateSeverity;
  /** The long window, ms: how long the budget must have been burning. */
  readonly longWindowMs: number;
  /** The short window, ms (1/12 of the long one in the workbook): is it still burning now? */
  readonly shortWindowMs: number;
  /** Burn rate both windows must exceed (strictly), as a multiple of the sustainable rate. */
  readonly threshold: number;
}

/** A rule as written in configuration: windows shorter than their long window, a positive rate. */
export const burnRateRuleSchema = z
  .strictObject({
    id: z.string().min(1).max(64),
    severity: z.enum(['page', 'ticket']),
    longWindowMs: z.number().int().positive(),
    shortWindowMs: z.number().int().positive(),
    threshold: z.number().positive().finite(),
  })
  .refine((rule) => rule.shortWindowMs < rule.longWindowMs, {
    message: 'the short window must be shorter than the long window',
    path: ['shortWindowMs'],
  });

/** A rule set: at least one rule, ids unique. */
export const burnRateRulesSchema = z
  .array(burnRateRuleSchema)
  .min(1)
  .refine((rules) => new Set(rules.map((rule) => rule.id)).size === rules.length, {
    message: 'a rule id is used twice',
  });

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The workbook's recommended rules for a 99.9 % SLO over 30 days: 2 % of the budget in 1 h
 * (14.4×, page), 5 % in 6 h (6×, page), 10 % in 3 d (1×, ticket), each with a short window of 1/12.
 */
export const DEFAULT_BURN_RATE_RULES: readonly BurnRateRule[] = [
  { id: '1h-5m', severity: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, threshold: 14.4 },
  { id: '6h-30m', severity: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, threshold: 6 },
  { id: '3d-6h', severity: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, threshold: 1 },
];

/**
 * The burn rate at which `budgetShare` of a `periodMs` budget is spent in `windowMs`: how the
 * workbook derives its thresholds (2 % of 30 days in 1 h is 0.02 × 720 = 14.4). Use it to build
 * rules for periods other than 30 days.
 */
export function burnRateForBudgetShare(budgetShare: number, windowMs: number, periodMs: number): number {
  if (!(budgetShare > 0 && windowMs > 0 && periodMs > 0))
    throw new RangeError('budget share, window and period must be positive');
  return (budgetShare * periodMs) / windowMs;
}

/** Bad and total amounts observed over one window: request counts, or bad and eligible ms. */
export interface WindowCounts {
  readonly bad: number;
  readonly total: number;
}

/**
 * Burn rate of one window: (bad / total) / (1 − target). Null when the window holds nothing
 * eligible (no requests, outside business hours): no data is not a zero burn, and it is no alert.
 *
 * @throws RangeError for a 100 % target (there is no budget to burn) or counts that are not counts.
 */
export function burnRate(counts: WindowCounts, target: number): number | null {
  const fraction = budgetFraction(target);
  if (fraction === 0) throw new RangeError('a 100 % target has no error budget to burn');
  const { bad, total } = counts;
  if (!(Number.isFinite(bad) && Number.isFinite(total) && bad >= 0 && total >= 0 && bad <= total))
    throw new RangeError(`window counts must satisfy 0 ≤ bad ≤ total, got bad ${bad}, total ${total}`);
  if (total === 0) return null;
  return bad / total / fraction;
}

/**
 * Whether a burn rate exceeds a rule's threshold. Strictly, as the workbook's `>`; a relative
 * tolerance of 1e-9 keeps a rate that equals the threshold in decimal (14.4 bad in 1,000 at
 * 99.9 %) from firing because binary floating point made it 14.400000000000002.
 */
function exceeds(rate: number | null, threshold: number): boolean {
  return rate !== null && rate > threshold * (1 + 1e-9);
}

/** One window of a rule, as evaluated. */
export interface WindowBurn extends WindowCounts {
  readonly windowMs: number;
  /** bad / total; null when total is 0 or the window was not observed. */
  readonly badRatio: number | null;
  /** badRatio / (1 − target); null when badRatio is. */
  readonly burnRate: number | null;
  /** Whether burnRate exceeds the rule's threshold. */
  readonly exceeds: boolean;
  /** False when the caller had no figures for this window (it then counts as 0 of 0). */
  readonly observed: boolean;
}

/** One rule, as evaluated: both windows with their figures, and whether the rule fires. */
export interface BurnRateRuleResult {
  readonly rule: BurnRateRule;
  readonly long: WindowBurn;
  readonly short: WindowBurn;
  /** Both windows exceed the threshold. */
  readonly firing: boolean;
}

/** The evaluation of a rule set for one KPI at one instant. */
export interface BurnRateEvaluation {
  /** Every rule, in the order given. */
  readonly results: readonly BurnRateRuleResult[];
  /** The rules that fire, loudest severity first, then in the order given. */
  readonly firing: readonly BurnRateRuleResult[];
  /** The loudest severity among the firing rules; null when none fires. */
  readonly severity: BurnRateSeverity | null;
}

/** The distinct window lengths a rule set needs, shortest first: what the caller must measure. */
export function burnRateWindows(rules: readonly BurnRateRule[] = DEFAULT_BURN_RATE_RULES): number[] {
  const windows = new Set<number>();
  for (const rule of rules) {
    windows.add(rule.longWindowMs);
    windows.add(rule.shortWindowMs);
  }
  return [...windows].sort((a, b) => a - b);
}

/**
 * Evaluates multiwindow burn-rate rules for a KPI with `target`. `windowCounts(ms)` gives the bad
 * and total amounts over the last `ms` milliseconds (see {@link burnRateWindows}); a window it
 * returns undefined for is unobserved and cannot fire its rule.
 *
 * @throws RangeError for a 100 % target, inconsistent counts, or an invalid rule.
 */
export function evaluateBurnRate(
  target: number,
  windowCounts: (windowMs: number) => WindowCounts | undefined,
  rules: readonly BurnRateRule[] = DEFAULT_BURN_RATE_RULES,
): BurnRateEvaluation {
  const windowBurn = (windowMs: number, threshold: number): WindowBurn => {
    const counts = windowCounts(windowMs);
    const bad = counts?.bad ?? 0;
    const total = counts?.total ?? 0;
    const rate = burnRate({ bad, total }, target);
    return {
      windowMs,
      bad,
      total,
      badRatio: total > 0 ? bad / total : null,
      burnRate: rate,
      exceeds: exceeds(rate, threshold),
      observed: counts !== undefined,
    };
  };
  const results = rules.map((rule): BurnRateRuleResult => {
    const parsed = burnRateRuleSchema.safeParse(rule);
    if (!parsed.success) throw new RangeError(`invalid burn-rate rule "${rule.id}": ${parsed.error.message}`);
    const long = windowBurn(rule.longWindowMs, rule.threshold);
    const short = windowBurn(rule.shortWindowMs, rule.threshold);
    return { rule, long, short, firing: long.exceeds && short.exceeds };
  });
  const firing = results
    .map((result, index) => ({ result, index }))
    .filter(({ result }) => result.firing)
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.result.rule.severity] - SEVERITY_RANK[b.result.rule.severity] || a.index - b.index,
    )
    .map(({ result }) => result);
  return { results, firing, severity: firing[0]?.rule.severity ?? null };
}
