/**
 * Correlation: a zone-wide event (mains lost, the uplink cut) makes dozens of alarms at once; the
 * operator must see one problem with its children, not forty lines. Pure: the engine passes the
 * open alarms and applies what comes back (a parent alarm per problem, children grouped under it).
 *
 * Rules, per zone:
 * - **power**: an active UPS condition of running on battery (or bypass, battery low/depleted,
 *   the on-battery trap) makes a power problem; every other alarm of the zone raised from
 *   `windowMs` before the first trigger on is its child (cooling stops, racks are shed,
 *   services slow down: all consequences).
 * - **network**: an active uplink-down condition or link-down trap of a switch, likewise.
 * - **burst**: without a trigger, `burstCount` alarms of one zone raised within `windowMs` of
 *   each other are grouped as one zone incident.
 * A problem lasts while a trigger is active (power, network) or while a child is (burst); a
 * child once grouped stays grouped (the operator's view does not reshuffle), except that a zone
 * incident seen before its cause moves under the power or network problem that explains it.
 */
import { worstSeverity, type Alarm, type AlarmSeverity } from './alarm';

export type ZoneProblemKind = 'power' | 'network' | 'burst';

export interface CorrelationOptions {
  readonly windowMs: number;
  readonly burstCount: number;
}

export const DEFAULT_CORRELATION: CorrelationOptions = { windowMs: 5 * 60_000, burstCount: 5 };

/** A zone-wide problem: the key of its parent alarm and the children it groups. */
export interface ZoneProblem {
  readonly key: string;
  readonly zoneId: string;
  readonly kind: ZoneProblemKind;
  /** The parent alarm stays raised while true; false: every trigger (or child) cleared. */
  readonly active: boolean;
  readonly childIds: readonly string[];
  readonly severity: AlarmSeverity;
  readonly causeCode: 'zonePowerFailure' | 'zoneNetworkFault' | 'zoneIncident';
}

const POWER_CAUSES = new Set(['onBattery', 'batteryLow', 'batteryDepleted', 'onBypass', 'trap.upsOnBattery']);
const NETWORK_CAUSES = new Set(['uplinkDown', 'trap.linkDown']);

export function zoneProblemKey(zoneId: string, kind: ZoneProblemKind): string {
  return `zone:${encodeURIComponent(zoneId)}/${kind}`;
}

const CAUSE: Record<ZoneProblemKind, ZoneProblem['causeCode']> = {
  power: 'zonePowerFailure',
  network: 'zoneNetworkFault',
  burst: 'zoneIncident',
};

/**
 * The zone problems the open alarms show. `parentKeyOf` tells, for an alarm already grouped,
 * the key of its parent (so grouping is sticky). Parents themselves (origin `correlation`) are
 * not inputs. Deterministic: same input, same output.
 */
export function correlate(
  alarms: readonly Alarm[],
  parentKeyOf: (alarm: Alarm) => string | null,
  options: CorrelationOptions = DEFAULT_CORRELATION,
): ZoneProblem[] {
  const byZone = new Map<string, Alarm[]>();
  for (const a of alarms) {
    if (a.origin === 'correlation' || a.state === 'closed' || a.subject.zoneId === null) continue;
    const list = byZone.get(a.subject.zoneId) ?? [];
    list.push(a);
    byZone.set(a.subject.zoneId, list);
  }
  const problems: ZoneProblem[] = [];
  for (const [zoneId, list] of [...byZone].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.raisedAt - b.raisedAt || a.id.localeCompare(b.id));
    const claimed = new Set<string>();
    for (const kind of ['power', 'network'] as const) {
      const causes = kind === 'power' ? POWER_CAUSES : NETWORK_CAUSES;
      const key = zoneProblemKey(zoneId, kind);
      const triggers = list.filter((a) => a.active && causes.has(a.cause.code));
      const grouped = list.filter((a) => parentKeyOf(a) === key);
      if (triggers.length === 0 && grouped.length === 0) continue;
      const since = Math.min(...triggers.map((a) => a.raisedAt)) - options.windowMs;
      // A zone incident (burst) formed before the trigger was seen is explained by it: its
      // alarms in the window move under the power or network problem.
      const burstKey = zoneProblemKey(zoneId, 'burst');
      const children = list.filter(
        (a) =>
          !claimed.has(a.id) &&
          (parentKeyOf(a) === key ||
            (triggers.length > 0 &&
              (parentKeyOf(a) === null || parentKeyOf(a) === burstKey) &&
              a.lastRaisedAt >= since)),
      );
      // Every alarm already taken by the other problem of the zone: no empty second parent.
      if (children.length === 0) continue;
      for (const c of children) claimed.add(c.id);
      problems.push(problem(zoneId, kind, key, triggers.length > 0, children));
    }
    const burstKey = zoneProblemKey(zoneId, 'burst');
    const free = list.filter(
      (a) => !claimed.has(a.id) && (parentKeyOf(a) === null || parentKeyOf(a) === burstKey),
    );
    const already = free.filter((a) => parentKeyOf(a) === burstKey);
    let members: Alarm[] = already;
    const loose = free.filter((a) => parentKeyOf(a) === null);
    if (already.length > 0) {
      // A running incident takes in what the zone raises while it lasts.
      const lastRaise = Math.max(...already.map((a) => a.lastRaisedAt));
      members = [
        ...already,
        ...loose.filter((a) => a.active && a.lastRaisedAt >= lastRaise - options.windowMs),
      ];
    } else {
      const burst = densestBurst(
        loose.filter((a) => a.active),
        options,
      );
      if (burst.length >= options.burstCount) members = burst;
    }
    if (members.length > 0) {
      problems.push(
        problem(
          zoneId,
          'burst',
          burstKey,
          members.some((a) => a.active),
          members,
        ),
      );
    }
  }
  return problems;
}

function problem(
  zoneId: string,
  kind: ZoneProblemKind,
  key: string,
  active: boolean,
  children: Alarm[],
): ZoneProblem {
  return {
    key,
    zoneId,
    kind,
    active,
    childIds: children.map((c) => c.id).sort(),
    severity: worstSeverity(children.filter((c) => c.active || !active).map((c) => c.severity)) ?? 'info',
    causeCode: CAUSE[kind],
  };
}

/** The largest set of alarms whose raise times fit in one window (sorted by raisedAt). */
function densestBurst(sorted: readonly Alarm[], options: CorrelationOptions): Alarm[] {
  let best: Alarm[] = [];
  let start = 0;
  const byRaise = [...sorted].sort((a, b) => a.lastRaisedAt - b.lastRaisedAt || a.id.localeCompare(b.id));
  for (let end = 0; end < byRaise.length; end += 1) {
    while (byRaise[end]!.lastRaisedAt - byRaise[start]!.lastRaisedAt > options.windowMs) start += 1;
    if (end - start + 1 > best.length) best = byRaise.slice(start, end + 1);
  }
  return best;
}
