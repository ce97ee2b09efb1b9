/**
 * Equipment polling with MIB profiles: for each device, one poll = its profiles (GETs and column
 * walks, see walkProfiles) plus the few OIDs its overview tile needs that the profiles do not
 * already fetch. Keeps, per device, the last results of every profile and its poll health (last
 * attempt and success, latency, consecutive failures, the error), the recent equipment events
 * (reboot, counter discontinuity, unreachable and back), and writes every numeric reading as a
 * metric point (measurement `equipment`).
 *
 * The collector's schedule drives the polls (intervals, bounded concurrency, backoff); this
 * service does one device's poll and remembers what it learnt.
 */
import type { Clock } from '../../ports/clock';
import type { MetricPoint, MetricSink } from '../../ports/metric-store';
import type { SecretResolver } from '../../ports/secret-resolver';
import type { SnmpClient, SnmpVarbind } from '../../ports/snmp-client';
import { UpstreamError } from '../../ports/upstream-error';
import type { DeviceDef, DeviceKind } from '../../inventory/schema';
import type { ProfileResult, ProfileState, RequestFailure } from './profiles/evaluate-profile';
import type { MibProfile } from './profiles/mib-profile-schema';
import { isWithin } from './profiles/oid';
import { planProfiles } from './profiles/plan-profiles';
import { walkProfiles } from './profiles/walk-profiles';
import { snmpTargetFor } from './snmp-target';

/** The measurement equipment readings are written to: a point per device, profile and row. */
export const EQUIPMENT_MEASUREMENT = 'equipment';

/** Profiles a device of each kind gets when its inventory entry names none. */
export const DEFAULT_PROFILES: Readonly<Record<DeviceKind, readonly string[]>> = {
  ups: ['snmpv2-system', 'ups-mib'],
  pdu: ['snmpv2-system', 'apc-rpdu'],
  sensor: ['snmpv2-system', 'entity-sensor'],
  switch: ['snmpv2-system', 'if-mib'],
};

export interface DeviceHealth {
  readonly lastAttemptAt: number | null;
  readonly lastSuccessAt: number | null;
  /** Wall time of the last poll, all requests included. */
  readonly latencyMs: number | null;
  readonly consecutiveFailures: number;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | null;
  /** Requests of the last poll, and how many failed (a device can answer some and not others). */
  readonly requests: { readonly sent: number; readonly failed: number };
}

export type EquipmentEvent =
  | { readonly kind: 'reboot'; readonly device: string; readonly at: number; readonly uptimeSeconds: number }
  | {
      readonly kind: 'counterDiscontinuity';
      readonly device: string;
      readonly at: number;
      readonly metric: string;
      readonly instance: string | null;
      readonly labels: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'unreachable';
      readonly device: string;
      readonly at: number;
      readonly code: string;
      readonly message: string;
    }
  | { readonly kind: 'reachable'; readonly device: string; readonly at: number };

export interface DevicePoll {
  readonly at: number;
  readonly ok: boolean;
  /** Every varbind of the poll (profiles and tile), for the tile's interpretation. */
  readonly varbinds: readonly SnmpVarbind[];
  readonly results: readonly ProfileResult[];
  readonly health: DeviceHealth;
}

export interface EquipmentDeps {
  readonly snmp: SnmpClient;
  readonly secrets: SecretResolver;
  readonly clock: Clock;
  /** Every known profile (built-in and user-defined) by id. */
  readonly profiles: ReadonlyMap<string, MibProfile>;
  readonly timeoutMs: number;
  readonly metrics?: MetricSink;
}

const EVENTS_KEPT = 500;
const NEVER: DeviceHealth = {
  lastAttemptAt: null,
  lastSuccessAt: null,
  latencyMs: null,
  consecutiveFailures: 0,
  lastError: null,
  requests: { sent: 0, failed: 0 },
};

/** Profile ids a device names that are not known; empty when all are. */
export function unknownProfiles(device: DeviceDef, known: ReadonlyMap<string, MibProfile>): string[] {
  return (device.profiles ?? DEFAULT_PROFILES[device.kind]).filter((id) => !known.has(id));
}

export class EquipmentService {
  private readonly states = new Map<string, Record<string, ProfileState>>();
  private readonly results = new Map<string, readonly ProfileResult[]>();
  private readonly healths = new Map<string, DeviceHealth>();
  private readonly recent: EquipmentEvent[] = [];
  private readonly listeners = new Set<(event: EquipmentEvent) => void>();
  private readonly resultListeners = new Set<
    (device: string, results: readonly ProfileResult[], at: number) => void
  >();

  constructor(private readonly deps: EquipmentDeps) {}

  /** The profiles polled on `device`, in order. @throws RangeError naming an unknown profile. */
  profilesOf(device: DeviceDef): MibProfile[] {
    return (device.profiles ?? DEFAULT_PROFILES[device.kind]).map((id) => {
      const profile = this.deps.profiles.get(id);
      if (!profile)
        throw new RangeError(
          `device ${device.id}: unknown MIB profile "${id}" (known: ${[...this.deps.profiles.keys()].join(', ')})`,
        );
      return profile;
    });
  }

  health(deviceId: string): DeviceHealth {
    return this.healths.get(deviceId) ?? NEVER;
  }

  latest(deviceId: string): readonly ProfileResult[] {
    return this.results.get(deviceId) ?? [];
  }

  /** The most recent equipment events, newest last; of one device when given. */
  events(deviceId?: string): readonly EquipmentEvent[] {
    return deviceId === undefined ? [...this.recent] : this.recent.filter((e) => e.device === deviceId);
  }

  /** Called after every successful poll with the profiles' results (conditions, readings). */
  onResults(listener: (device: string, results: readonly ProfileResult[], at: number) => void): () => void {
    this.resultListeners.add(listener);
    return () => this.resultListeners.delete(listener);
  }

  onEvent(listener: (event: EquipmentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Polls `device` once: its profiles and `tileOids` not already among them. Never throws for a
   * device that does not answer: the poll comes back `ok: false` with the reason in its health.
   */
  async poll(device: DeviceDef, tileOids: readonly string[], signal: AbortSignal): Promise<DevicePoll> {
    const { clock } = this.deps;
    const started = clock.now();
    const before = this.health(device.id);
    let varbinds: SnmpVarbind[] = [];
    let results: readonly ProfileResult[] = [];
    let failure: RequestFailure | null = null;
    let sent = 0;
    let failed = 0;
    try {
      const target = await snmpTargetFor(device, this.deps.secrets, this.deps.timeoutMs);
      const profiles = this.profilesOf(device);
      const walk = () =>
        walkProfiles(this.deps.snmp, target, profiles, this.states.get(device.id), { signal, clock });
      let outcome = await walk();
      // One lost datagram must not make a device unreachable for a whole interval: a poll stopped
      // by a timeout is tried once more at once.
      if (outcome.stoppedBy?.code === 'TIMEOUT' && !signal.aborted) outcome = await walk();
      this.states.set(device.id, { ...outcome.states });
      varbinds = [...outcome.snapshot.varbinds];
      results = outcome.results;
      sent = outcome.requests.sent;
      failed = outcome.requests.failed;
      failure = outcome.stoppedBy;
      const plan = planProfiles(profiles);
      const missing = tileOids.filter(
        (oid) => !plan.get.includes(oid) && !plan.walk.some((root) => isWithin(oid, root)),
      );
      if (failure === null && missing.length > 0) {
        sent += 1;
        try {
          varbinds.push(...(await this.deps.snmp.get(target, missing, signal)));
        } catch (err: unknown) {
          failed += 1;
          failure = failureOf(err, missing[0] ?? '');
        }
      }
      // A poll where nothing at all came back is a failed poll even if no request said why.
      if (failure === null && sent > 0 && failed === sent)
        failure = { oid: '', code: 'PROTOCOL', message: 'every request of the poll failed' };
    } catch (err: unknown) {
      if (err instanceof RangeError) throw err;
      failure = failureOf(err, '');
      failed += 1;
    }
    const at = clock.now();
    const ok = failure === null;
    const health: DeviceHealth = {
      lastAttemptAt: at,
      lastSuccessAt: ok ? at : before.lastSuccessAt,
      latencyMs: at - started,
      consecutiveFailures: ok ? 0 : before.consecutiveFailures + 1,
      lastError: ok ? null : { code: failure?.code ?? 'INTERNAL', message: failure?.message ?? '', at },
      requests: { sent, failed },
    };
    this.healths.set(device.id, health);
    if (ok) this.results.set(device.id, results);
    this.recordEvents(device, results, before, health);
    if (ok)
      for (const listener of this.resultListeners) {
        try {
          listener(device.id, results, at);
        } catch {
          // A listener's failure is its own; polling goes on.
        }
      }
    if (ok && this.deps.metrics) {
      const points = pointsOf(device, results, at);
      // The metric store is the history; a full or failing queue must not fail the poll.
      if (points.length > 0) await this.deps.metrics.enqueue(points).catch(() => undefined);
    }
    return { at, ok, varbinds, results: ok ? results : this.latest(device.id), health };
  }

  private recordEvents(
    device: DeviceDef,
    results: readonly ProfileResult[],
    before: DeviceHealth,
    after: DeviceHealth,
  ): void {
    const events: EquipmentEvent[] = [];
    for (const r of results)
      for (const e of r.events) {
        if (e.kind === 'reboot')
          events.push({ kind: 'reboot', device: device.id, at: e.at, uptimeSeconds: e.uptimeSeconds });
        else
          events.push({
            kind: 'counterDiscontinuity',
            device: device.id,
            at: e.at,
            metric: e.metric,
            instance: e.instance,
            labels: e.labels,
          });
      }
    const at = after.lastAttemptAt ?? 0;
    // Unreachable once when it starts (not on every failed poll), reachable again when it ends.
    if (after.consecutiveFailures === 1 && after.lastError)
      events.push({
        kind: 'unreachable',
        device: device.id,
        at,
        code: after.lastError.code,
        message: after.lastError.message,
      });
    if (after.consecutiveFailures === 0 && before.consecutiveFailures > 0)
      events.push({ kind: 'reachable', device: device.id, at });
    for (const event of events) {
      this.recent.push(event);
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch {
          // A listener's failure is its own; polling goes on.
        }
      }
    }
    if (this.recent.length > EVENTS_KEPT) this.recent.splice(0, this.recent.length - EVENTS_KEPT);
  }
}

function failureOf(err: unknown, oid: string): RequestFailure {
  if (err instanceof UpstreamError) return { oid, code: err.code, message: err.message };
  return { oid, code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** One point per profile and row: numeric readings as fields, the row's labels as tags. */
export function pointsOf(device: DeviceDef, results: readonly ProfileResult[], at: number): MetricPoint[] {
  const byKey = new Map<string, { tags: Record<string, string>; fields: Record<string, number | null> }>();
  for (const result of results)
    for (const reading of result.readings) {
      if (typeof reading.value === 'string') continue;
      const key = `${result.profile}\u0000${reading.table ?? ''}\u0000${reading.instance ?? ''}`;
      let entry = byKey.get(key);
      if (!entry) {
        entry = {
          tags: {
            ...reading.labels,
            device: device.id,
            zone: device.zone,
            profile: result.profile,
            ...(reading.table ? { table: reading.table } : {}),
            ...(reading.instance ? { instance: reading.instance } : {}),
          },
          fields: {},
        };
        byKey.set(key, entry);
      }
      entry.fields[reading.metric] = reading.value;
    }
  return [...byKey.values()]
    .filter((e) => Object.values(e.fields).some((v) => v !== null))
    .map((e) => ({ measurement: EQUIPMENT_MEASUREMENT, tags: e.tags, fields: e.fields, time: at }));
}
