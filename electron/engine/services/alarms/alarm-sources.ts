/**
 * The alarm engine's sources, turned into signals: tile conditions (a device unreachable, a
 * source gone stale, an UPS on battery, a service failing), threshold rules on readings, SNMP
 * notifications, equipment events (reboot), changed SSH host keys and the console's own blind
 * spots (a metric store it cannot reach). Pure mappings; the composition root subscribes them.
 */
import type { Condition, Reading, Tile } from '../../../../shared/api';
import type { AlarmSeverity, AlarmSignal, AlarmSubject } from '../../../../shared/domain/alarm';
import { missingCase } from '../../../../shared/domain/missing-case';
import type { TrapEvent, TrapSeverity } from '../../../../shared/domain/trap-event';
import type { SubjectMatch, ThresholdRule } from '../../config/alarms-schema';

/** Keys of tile alarms start with this (the tiles are reconciled as a whole). */
export const TILE_PREFIX = 'tile:';
export const THRESHOLD_PREFIX = 'threshold:';

/**
 * The severity of a tile condition; null: no alarm (all is well), or not yet known
 * (`awaitingFirstPoll`: the first poll has not answered yet, neither raised nor cleared).
 */
export function conditionSeverity(condition: Condition): AlarmSeverity | null {
  switch (condition) {
    case 'ok':
    case 'awaitingFirstPoll':
      return null;
    case 'batteryDepleted':
    case 'batteryLow':
    case 'temperatureCritical':
    case 'failing':
      return 'critical';
    case 'onBattery':
    case 'upsAlarm':
    case 'phaseOverload':
    case 'uplinkDown':
    case 'unreachable':
      return 'major';
    case 'onBypass':
    case 'temperatureHigh':
    case 'sensorFault':
    case 'slow':
    case 'noData':
      return 'minor';
    case 'humidityOutOfRange':
    case 'phaseNearOverload':
      return 'warning';
    default:
      throw missingCase(condition);
  }
}

export function tileSubject(tile: Tile): AlarmSubject {
  return {
    kind: tile.kind === 'service' ? 'service' : 'device',
    id: tile.id,
    zoneId: tile.zoneId,
    name: tile.name,
  };
}

/**
 * What the tiles say now: a signal per tile in trouble, and the keys to leave as they are
 * (tiles awaiting their first poll).
 */
export function tileSignals(
  tiles: readonly Tile[],
  at: number,
): { signals: AlarmSignal[]; holding: Set<string> } {
  const signals: AlarmSignal[] = [];
  const holding = new Set<string>();
  for (const tile of tiles) {
    const key = `${TILE_PREFIX}${tile.id}`;
    if (tile.condition === 'awaitingFirstPoll') {
      holding.add(key);
      continue;
    }
    const severity = conditionSeverity(tile.condition);
    if (severity === null) continue;
    const params: Record<string, string | number> = {};
    if (tile.primary?.value != null) params.value = tile.primary.value;
    if (tile.primary) params.reading = tile.primary.key;
    if (tile.lastError) params.error = tile.lastError.code;
    if (tile.lastSampleAt !== null) params.lastSampleAt = tile.lastSampleAt;
    signals.push({
      key,
      origin: 'condition',
      subject: tileSubject(tile),
      cause: { code: tile.condition, params },
      severity,
      at,
    });
  }
  return { signals, holding };
}

/** Whether a subject fits a rule's or a policy's match (empty lists match anything). */
export function tileMatches(match: SubjectMatch, tile: Tile, client: string | null): boolean {
  const isService = tile.kind === 'service';
  if (match.devices.length > 0 && (isService || !match.devices.includes(tile.id))) return false;
  if (match.services.length > 0 && (!isService || !match.services.includes(tile.id))) return false;
  if (match.kinds.length > 0 && !match.kinds.includes(tile.kind)) return false;
  if (match.zones.length > 0 && !match.zones.includes(tile.zoneId)) return false;
  if (match.clients.length > 0 && (client === null || !match.clients.includes(client))) return false;
  return true;
}

interface RuleState {
  /** Since when the reading has been past `raise` (raising) or back past `clear` (clearing). */
  since: number | null;
  active: boolean;
}

/**
 * Threshold rules on tile readings, with hysteresis (raised at `raise`, cleared only back past
 * `clear`) and a minimum duration both ways (`forSeconds`). A missing reading (the source did
 * not answer) neither raises nor clears: the tile's own condition says the source is blind.
 */
export class ThresholdEvaluator {
  private readonly states = new Map<string, RuleState>();

  constructor(
    private readonly rules: readonly ThresholdRule[],
    private readonly clientOf: (serviceId: string) => string | null,
  ) {}

  /** Signals raised now, and every threshold key whose condition still holds or is undecided. */
  evaluate(tiles: readonly Tile[], at: number): { signals: AlarmSignal[]; holding: Set<string> } {
    const signals: AlarmSignal[] = [];
    const holding = new Set<string>();
    for (const rule of this.rules) {
      for (const tile of tiles) {
        if (!tileMatches(rule.match, tile, tile.kind === 'service' ? this.clientOf(tile.id) : null)) continue;
        const reading: Reading | undefined = tile.readings.find((r) => r.key === rule.reading);
        if (!reading) continue;
        const key = `${THRESHOLD_PREFIX}${rule.id}/${tile.id}`;
        const state = this.states.get(key) ?? { since: null, active: false };
        if (reading.value === null || tile.stale) {
          // Blind: an active alarm holds; a pending raise (or clear) starts over once data is back.
          if (state.active) holding.add(key);
          this.states.set(key, { since: null, active: state.active });
          continue;
        }
        const v = reading.value;
        const past = rule.direction === 'above' ? v >= rule.raise : v <= rule.raise;
        const clearAt = rule.clear ?? rule.raise;
        const back = rule.direction === 'above' ? v < clearAt : v > clearAt;
        const minMs = rule.forSeconds * 1000;
        let next: RuleState = state;
        if (!state.active) {
          if (!past) next = { since: null, active: false };
          else {
            const since = state.since ?? at;
            next = at - since >= minMs ? { since: null, active: true } : { since, active: false };
          }
        } else if (back) {
          const since = state.since ?? at;
          next = at - since >= minMs ? { since: null, active: false } : { since, active: true };
        } else next = { since: null, active: true };
        this.states.set(key, next);
        if (next.active)
          signals.push({
            key,
            origin: 'threshold',
            subject: tileSubject(tile),
            cause: {
              code: 'threshold',
              params: {
                rule: rule.name,
                reading: rule.reading,
                value: v,
                limit: rule.raise,
                direction: rule.direction,
              },
            },
            severity: rule.severity,
            at,
          });
      }
    }
    return { signals, holding };
  }
}

function trapSeverity(severity: TrapSeverity): AlarmSeverity | null {
  switch (severity) {
    case 'critical':
    case 'major':
    case 'minor':
    case 'warning':
      return severity;
    case 'indeterminate':
      return 'warning';
    case 'info':
    case 'cleared':
      return null;
    default:
      throw missingCase(severity);
  }
}

export const TRAP_PREFIX = 'trap:';

/** A notification as alarm signals: what it raises (if anything) and the keys it clears. */
export function trapSignals(
  event: TrapEvent,
  subjectOf: (deviceId: string) => AlarmSubject | null,
): { raise: AlarmSignal | null; clears: string[] } {
  const clears = event.clears.map((k) => `${TRAP_PREFIX}${k}`);
  const severity = trapSeverity(event.severity);
  if (severity === null) return { raise: null, clears };
  const subject: AlarmSubject = (event.deviceId === null ? null : subjectOf(event.deviceId)) ?? {
    kind: 'source',
    id: event.source.address,
    zoneId: null,
    name: event.agentAddress ?? event.source.address,
  };
  const params: Record<string, string | number> = {
    instance: event.instance,
    name: event.name || event.trapOid,
  };
  for (const [k, v] of Object.entries(event.attributes)) if (Object.keys(params).length < 16) params[k] = v;
  return {
    raise: {
      key: `${TRAP_PREFIX}${event.key}`,
      origin: 'trap',
      subject,
      cause: { code: `trap.${event.kind}`, params },
      severity,
      at: event.at,
    },
    clears,
  };
}
