/**
 * Availability of a service over an SLA period, from its state intervals (never from averaged
 * samples), in whole scheduled milliseconds.
 *
 * Every scheduled millisecond of the period falls in exactly one bucket of
 * {@link AvailabilityBreakdown}: up, degraded, an outage of one of the four classifications,
 * maintenance, or unknown. The figures are integers, so the figures of the days of a month
 * combine exactly into the month's ({@link combineAvailability}); percentages are derived from
 * the integers last, never summed.
 *
 * The rule (what operators of Checkmk, Zabbix and Thruk reports expect, and what the issue asks):
 *
 *     availability % = available / (scheduled − maintenance − planned − excluded)
 *
 * where available = up + degraded (unless the SLA counts degraded as an outage). Unknown time
 * (no data, or status `unknown`) stays IN the denominator and is never available: blindness costs
 * the SLA, as it should, and it is reported as its own figure (`unknownPercent`) beside the
 * best case (`availabilityBestCasePercent`, what the figure would be had all the unknown time been
 * up), so a reader sees how much of the figure is a measuring problem rather than an outage.
 * Third-party outages count against the SLA unless its policy excludes them.
 */
import { missingCase } from './missing-case';
import { scheduledIntervals, type Interval, type SlaSchedule } from './sla-schedule';
import { STATUSES, statusRank, type Status } from './status';

export type { Interval } from './sla-schedule';

/**
 * How an operator (approved by the service manager) classified an outage:
 * - `unplanned`: counts against the SLA (also the class of down time no outage record covers);
 * - `third-party`: caused by a provider outside the SLA's scope; counts against the SLA unless
 *   the policy says otherwise ({@link AvailabilityPolicy.thirdPartyCounts});
 * - `planned`: an announced intervention; out of the denominator, like maintenance;
 * - `excluded`: excluded by the SLA's terms (client-caused, force majeure); out of the denominator.
 *
 * Listed from the strictest to the most lenient: where outage records overlap, the strictest wins,
 * so that one record cannot hide down time another counts.
 */
export const OUTAGE_CLASSIFICATIONS = ['unplanned', 'third-party', 'planned', 'excluded'] as const;
export type OutageClassification = (typeof OUTAGE_CLASSIFICATIONS)[number];

/** The service was in `status` during `[from, to)`. */
export interface StateInterval extends Interval {
  readonly status: Status;
}

/** An outage record: the down time inside `[from, to)` is of class `classification`. */
export interface ClassifiedOutage extends Interval {
  readonly classification: OutageClassification;
}

/** The per-SLA rules of the computation. */
export interface AvailabilityPolicy {
  /**
   * Down periods shorter than this (ms) are ignored, i.e. counted as up (default 0: none). The
   * length is that of the whole down period in real time, wherever the period or the schedule cut
   * it, so a day and its month agree. A down period next to unknown time (a gap, status
   * `unknown`, or the end of the data, as in an outage still going on) is never brief: how long
   * it lasted is not known.
   */
  readonly briefInterruptionMs?: number;
  /** Whether degraded time is available (default true); when not, it is outage time like down. */
  readonly degradedIsAvailable?: boolean;
  /** Whether third-party outages count against the SLA (default true); when not, they leave the denominator. */
  readonly thirdPartyCounts?: boolean;
}

/** {@link AvailabilityPolicy} with every default filled in, as recorded in the figures. */
export interface ResolvedAvailabilityPolicy {
  readonly briefInterruptionMs: number;
  readonly degradedIsAvailable: boolean;
  readonly thirdPartyCounts: boolean;
}

export interface AvailabilityInput {
  /** The SLA period `[from, to)` (a local day, a month...), epoch ms. */
  readonly period: Interval;
  /** When the SLA applies; only scheduled time is measured. */
  readonly schedule: SlaSchedule;
  /**
   * The service's state intervals. Pass them whole around the period (not clipped to it), so that
   * a down period crossing the period's edge is measured whole against the brief-interruption
   * threshold. Time no interval covers is unknown; where intervals overlap, the worst status wins
   * (down, degraded, unknown, maintenance, up).
   */
  readonly states: readonly StateInterval[];
  /** Outage records; down time no record covers is `unplanned`. */
  readonly outages?: readonly ClassifiedOutage[];
  /**
   * Maintenance windows (their occurrences, see maintenance-window.ts). Inside one, whatever the
   * state, the time is maintenance: a maintenance overlapping an outage takes the overlap.
   */
  readonly maintenance?: readonly Interval[];
  readonly policy?: AvailabilityPolicy;
}

/** Scheduled milliseconds per bucket; the buckets partition the scheduled time. */
export interface AvailabilityBreakdown {
  /** Up, including the ignored brief interruptions. */
  readonly up: number;
  /** Degraded and counted as available (zero when the policy counts degraded as an outage). */
  readonly degraded: number;
  /** Outage time (down, and degraded when it is not available) by classification. */
  readonly unplanned: number;
  readonly thirdParty: number;
  readonly planned: number;
  readonly excluded: number;
  /** In a maintenance window, or in status `maintenance`. */
  readonly maintenance: number;
  /** No data, or status `unknown`. */
  readonly unknown: number;
}

/** The buckets of {@link AvailabilityBreakdown}, in report order. */
export const AVAILABILITY_BUCKETS = [
  'up',
  'degraded',
  'unplanned',
  'thirdParty',
  'planned',
  'excluded',
  'maintenance',
  'unknown',
] as const satisfies ReadonlyArray<keyof AvailabilityBreakdown>;

export interface AvailabilityFigures {
  readonly period: Interval;
  readonly policy: ResolvedAvailabilityPolicy;
  /** Scheduled milliseconds in the period: the sum of {@link ms}. */
  readonly scheduledMs: number;
  readonly ms: AvailabilityBreakdown;
  /** Ignored down periods shorter than the threshold (already inside `ms.up`). */
  readonly briefInterruptionMs: number;
  /** Degraded time counted as outage (already inside the outage buckets); 0 when degraded is available. */
  readonly degradedOutageMs: number;
  /** up + degraded. */
  readonly availableMs: number;
  /** Outage time that counts against the SLA: unplanned, and third-party unless excluded. */
  readonly unavailableMs: number;
  /** Scheduled time left out of the denominator: maintenance, planned, excluded (and third-party when it does not count). */
  readonly notCountedMs: number;
  /** scheduled − not counted = available + unavailable + unknown. */
  readonly denominatorMs: number;
  /** available / denominator × 100; null when the denominator is 0 (nothing to measure). */
  readonly availabilityPercent: number | null;
  /** unavailable / denominator × 100; null when the denominator is 0. */
  readonly unavailabilityPercent: number | null;
  /** unknown / denominator × 100; null when the denominator is 0. The three above sum to 100. */
  readonly unknownPercent: number | null;
  /** (available + unknown) / denominator × 100: the figure had every unknown millisecond been up. */
  readonly availabilityBestCasePercent: number | null;
  /** Each bucket as a share of the scheduled time; null when nothing is scheduled. */
  readonly percentOfScheduled: AvailabilityBreakdown | null;
}

/** Status after the brief-interruption rule: `brief` is ignored down time, counted as up. */
type Effective = Status | 'brief';

interface Labelled<L> extends Interval {
  readonly label: L;
}

function checkInterval(what: string, i: Interval): void {
  if (!Number.isSafeInteger(i.from) || !Number.isSafeInteger(i.to) || i.to < i.from)
    throw new RangeError(`${what} is not an interval of whole milliseconds: ${i.from} to ${i.to}`);
}

function resolvePolicy(policy: AvailabilityPolicy | undefined): ResolvedAvailabilityPolicy {
  const briefInterruptionMs = policy?.briefInterruptionMs ?? 0;
  if (!Number.isSafeInteger(briefInterruptionMs) || briefInterruptionMs < 0)
    throw new RangeError(`briefInterruptionMs must be whole milliseconds >= 0, not ${briefInterruptionMs}`);
  return {
    briefInterruptionMs,
    degradedIsAvailable: policy?.degradedIsAvailable ?? true,
    thirdPartyCounts: policy?.thirdPartyCounts ?? true,
  };
}

/**
 * Overlapping labelled intervals flattened into disjoint ones, in order: on each piece the label
 * of highest `rank` among those covering it; uncovered time is left out; equal neighbours merge.
 */
function flatten<L>(
  items: ReadonlyArray<Labelled<L>>,
  labels: readonly L[],
  rank: (label: L) => number,
): Labelled<L>[] {
  const index = new Map(labels.map((label, i) => [label, i]));
  const events: Array<{ at: number; label: number; delta: 1 | -1 }> = [];
  for (const item of items) {
    if (item.to === item.from) continue;
    const label = index.get(item.label);
    if (label === undefined) throw new RangeError(`unknown label ${JSON.stringify(item.label)}`);
    events.push({ at: item.from, label, delta: 1 }, { at: item.to, label, delta: -1 });
  }
  events.sort((a, b) => a.at - b.at);
  const counts = labels.map(() => 0);
  const result: Labelled<L>[] = [];
  let e = 0;
  while (e < events.length) {
    const at = events[e]?.at ?? 0;
    for (; e < events.length && events[e]?.at === at; e++) {
      const event = events[e];
      if (event !== undefined) counts[event.label] = (counts[event.label] ?? 0) + event.delta;
    }
    const next = events[e]?.at;
    if (next === undefined) break;
    let best: L | undefined;
    labels.forEach((label, i) => {
      if ((counts[i] ?? 0) > 0 && (best === undefined || rank(label) > rank(best))) best = label;
    });
    if (best === undefined) continue;
    const last = result[result.length - 1];
    if (last !== undefined && last.to === at && last.label === best)
      result[result.length - 1] = { ...last, to: next };
    else result.push({ from: at, to: next, label: best });
  }
  return result;
}

/** The state timeline with brief down periods (bounded by known, non-unknown states) turned into `brief`. */
function effectiveTimeline(
  states: readonly StateInterval[],
  briefInterruptionMs: number,
): Labelled<Effective>[] {
  for (const s of states) {
    checkInterval('a state interval', s);
    if (!STATUSES.includes(s.status)) throw new RangeError(`unknown status ${JSON.stringify(s.status)}`);
  }
  const flat = flatten(
    states.map((s) => ({ from: s.from, to: s.to, label: s.status })),
    STATUSES,
    statusRank,
  );
  const known = (neighbour: Labelled<Status> | undefined, touching: boolean): boolean =>
    neighbour !== undefined && touching && neighbour.label !== 'unknown';
  return flat.map((segment, i): Labelled<Effective> => {
    if (segment.label !== 'down' || segment.to - segment.from >= briefInterruptionMs) return segment;
    const before = flat[i - 1];
    const after = flat[i + 1];
    // Gaps are left out of `flat`: a neighbour that does not touch means unknown time in between.
    const bounded = known(before, before?.to === segment.from) && known(after, after?.from === segment.to);
    return bounded ? { ...segment, label: 'brief' } : segment;
  });
}

/** Reads the label at increasing instants of a sorted, disjoint list. */
class Cursor<L> {
  private index = 0;
  constructor(private readonly list: ReadonlyArray<Labelled<L>>) {}

  /** The label at `at` (never smaller than at the previous call), or undefined if uncovered. */
  at(at: number): L | undefined {
    while (this.index < this.list.length && (this.list[this.index]?.to ?? 0) <= at) this.index++;
    const item = this.list[this.index];
    return item !== undefined && item.from <= at ? item.label : undefined;
  }
}

type Bucket = keyof AvailabilityBreakdown;

function outageBucket(classification: OutageClassification): Bucket {
  switch (classification) {
    case 'unplanned':
      return 'unplanned';
    case 'third-party':
      return 'thirdParty';
    case 'planned':
      return 'planned';
    case 'excluded':
      return 'excluded';
    default:
      throw missingCase(classification);
  }
}

/**
 * The availability figures of `input` (see the module comment for the rule). Throws a RangeError
 * for an interval that is not whole milliseconds or ends before it starts, an unknown status or
 * classification, or a negative threshold.
 */
export function computeAvailability(input: AvailabilityInput): AvailabilityFigures {
  checkInterval('the period', input.period);
  const scheduled = scheduledIntervals(input.schedule, input.period.from, input.period.to);
  return availabilityOver(scheduled, input);
}

/**
 * As {@link computeAvailability}, with the scheduled intervals already cut (sorted, disjoint,
 * inside the period): for callers that compute many services on one schedule.
 */
export function availabilityOver(
  scheduled: readonly Interval[],
  input: AvailabilityInput,
): AvailabilityFigures {
  const { period } = input;
  checkInterval('the period', period);
  const policy = resolvePolicy(input.policy);
  let previousEnd = period.from;
  for (const s of scheduled) {
    checkInterval('a scheduled interval', s);
    if (s.from < previousEnd || s.to > period.to)
      throw new RangeError('scheduled intervals must be sorted, disjoint and inside the period');
    previousEnd = s.to;
  }
  const timeline = effectiveTimeline(input.states, policy.briefInterruptionMs);
  const outages = input.outages ?? [];
  for (const o of outages) checkInterval('an outage', o);
  const classes = flatten(
    outages.map((o) => ({ from: o.from, to: o.to, label: o.classification })),
    OUTAGE_CLASSIFICATIONS,
    // The strictest (first listed) wins.
    (label) => -OUTAGE_CLASSIFICATIONS.indexOf(label),
  );
  const maintenance = input.maintenance ?? [];
  for (const m of maintenance) checkInterval('a maintenance window', m);
  const windows = flatten(
    maintenance.map((m) => ({ from: m.from, to: m.to, label: true as const })),
    [true as const],
    () => 0,
  );

  // Every instant where some label may change, inside the scheduled time.
  const cuts: number[] = [];
  for (const list of [timeline, classes, windows])
    for (const item of list)
      for (const at of [item.from, item.to]) if (at > period.from && at < period.to) cuts.push(at);
  cuts.sort((a, b) => a - b);

  const ms: Record<Bucket, number> = {
    up: 0,
    degraded: 0,
    unplanned: 0,
    thirdParty: 0,
    planned: 0,
    excluded: 0,
    maintenance: 0,
    unknown: 0,
  };
  let briefInterruptionMs = 0;
  let degradedOutageMs = 0;
  const states = new Cursor(timeline);
  const outageClass = new Cursor(classes);
  const inWindow = new Cursor(windows);
  let c = 0;
  for (const slot of scheduled) {
    while (c < cuts.length && (cuts[c] ?? 0) <= slot.from) c++;
    let from = slot.from;
    while (from < slot.to) {
      const cut = cuts[c];
      const to = cut !== undefined && cut < slot.to ? cut : slot.to;
      if (cut !== undefined && cut < slot.to) c++;
      if (to === from) continue;
      const length = to - from;
      const state = states.at(from) ?? 'unknown';
      const outage = (): Bucket => outageBucket(outageClass.at(from) ?? 'unplanned');
      let bucket: Bucket;
      if (inWindow.at(from) === true) bucket = 'maintenance';
      else
        switch (state) {
          case 'maintenance':
            bucket = 'maintenance';
            break;
          case 'unknown':
            bucket = 'unknown';
            break;
          case 'up':
            bucket = 'up';
            break;
          case 'brief':
            bucket = 'up';
            briefInterruptionMs += length;
            break;
          case 'degraded':
            if (policy.degradedIsAvailable) bucket = 'degraded';
            else {
              bucket = outage();
              degradedOutageMs += length;
            }
            break;
          case 'down':
            bucket = outage();
            break;
          default:
            throw missingCase(state);
        }
      ms[bucket] += length;
      from = to;
    }
  }
  return figures(period, policy, ms, briefInterruptionMs, degradedOutageMs);
}

function percent(part: number, whole: number): number | null {
  // Integers below 2^53 / 100: part * 100 is exact, and one rounding keeps part <= whole within 100.
  return whole > 0 ? (part * 100) / whole : null;
}

function figures(
  period: Interval,
  policy: ResolvedAvailabilityPolicy,
  ms: AvailabilityBreakdown,
  briefInterruptionMs: number,
  degradedOutageMs: number,
): AvailabilityFigures {
  const scheduledMs =
    ms.up +
    ms.degraded +
    ms.unplanned +
    ms.thirdParty +
    ms.planned +
    ms.excluded +
    ms.maintenance +
    ms.unknown;
  const availableMs = ms.up + ms.degraded;
  const unavailableMs = ms.unplanned + (policy.thirdPartyCounts ? ms.thirdParty : 0);
  const notCountedMs =
    ms.maintenance + ms.planned + ms.excluded + (policy.thirdPartyCounts ? 0 : ms.thirdParty);
  const denominatorMs = scheduledMs - notCountedMs;
  const share = (part: number): number => (part * 100) / scheduledMs;
  return {
    period: { from: period.from, to: period.to },
    policy,
    scheduledMs,
    ms: { ...ms },
    briefInterruptionMs,
    degradedOutageMs,
    availableMs,
    unavailableMs,
    notCountedMs,
    denominatorMs,
    availabilityPercent: percent(availableMs, denominatorMs),
    unavailabilityPercent: percent(unavailableMs, denominatorMs),
    unknownPercent: percent(ms.unknown, denominatorMs),
    availabilityBestCasePercent: percent(availableMs + ms.unknown, denominatorMs),
    percentOfScheduled:
      scheduledMs > 0
        ? {
            up: share(ms.up),
            degraded: share(ms.degraded),
            unplanned: share(ms.unplanned),
            thirdParty: share(ms.thirdParty),
            planned: share(ms.planned),
            excluded: share(ms.excluded),
            maintenance: share(ms.maintenance),
            unknown: share(ms.unknown),
          }
        : null,
  };
}

/**
 * The figures of consecutive periods (the days of a month, the months of a quarter) combined into
 * those of the whole: the milliseconds add up exactly and the percentages are derived again, so
 * the result equals {@link computeAvailability} over the whole period with the same inputs.
 * Throws a RangeError when `parts` is empty, when the periods do not follow each other without
 * gap or overlap, or when they were computed under different policies.
 */
export function combineAvailability(parts: readonly AvailabilityFigures[]): AvailabilityFigures {
  const first = parts[0];
  if (first === undefined) throw new RangeError('nothing to combine');
  const ms: Record<Bucket, number> = { ...first.ms };
  let { briefInterruptionMs, degradedOutageMs } = first;
  let end = first.period.to;
  for (const part of parts.slice(1)) {
    if (part.period.from !== end) throw new RangeError('the periods combined must follow each other');
    const p = part.policy;
    if (
      p.briefInterruptionMs !== first.policy.briefInterruptionMs ||
      p.degradedIsAvailable !== first.policy.degradedIsAvailable ||
      p.thirdPartyCounts !== first.policy.thirdPartyCounts
    )
      throw new RangeError('the periods combined were computed under different policies');
    for (const bucket of AVAILABILITY_BUCKETS) ms[bucket] += part.ms[bucket];
    briefInterruptionMs += part.briefInterruptionMs;
    degradedOutageMs += part.degradedOutageMs;
    end = part.period.to;
  }
  return figures(
    { from: first.period.from, to: end },
    first.policy,
    ms,
    briefInterruptionMs,
    degradedOutageMs,
  );
}
