/**
 * The overview an operator sees: every zone with its device and service tiles. Pure: the same
 * inventory, states and time give the same overview. Staleness is decided here, against the
 * last good sample's age, so a source that went silent turns grey even if nothing polled it.
 */
import type { Overview, Tile, TileKind } from '../../../../shared/api';
import { countByStatus, isStale, worstStatus } from '../../../../shared/domain/status';
import type { Inventory, VigieConfig } from '../../config/schema';
import type { SourceState } from '../../ports/state-store';

export interface OverviewInput {
  readonly inventory: Inventory;
  readonly states: ReadonlyMap<string, SourceState>;
  readonly now: number;
  readonly polling: VigieConfig['polling'];
  readonly training: boolean;
  readonly revision: number;
}

function tileFor(
  id: string,
  zoneId: string,
  kind: TileKind,
  name: string,
  intervalMs: number,
  state: SourceState | undefined,
  now: number,
  staleAfterIntervals: number,
): Tile {
  if (!state) {
    return {
      id,
      zoneId,
      kind,
      name,
      intervalMs,
      status: 'unknown',
      condition: 'awaitingFirstPoll',
      primary: null,
      readings: [],
      lastSampleAt: null,
      lastAttemptAt: null,
      lastError: null,
      stale: true,
    };
  }
  const stale = isStale(state.lastSampleAt, now, intervalMs, staleAfterIntervals);
  const silent = state.condition === 'unreachable';
  return {
    id,
    zoneId,
    kind,
    name,
    intervalMs,
    // No data is never up: stale or silent sources are unknown whatever they last said.
    status: stale || silent ? 'unknown' : state.status,
    condition: silent
      ? 'unreachable'
      : stale
        ? state.lastSampleAt === null
          ? 'awaitingFirstPoll'
          : 'noData'
        : state.condition,
    primary: state.readings[0] ?? null,
    readings: [...state.readings],
    lastSampleAt: state.lastSampleAt,
    lastAttemptAt: state.lastAttemptAt,
    lastError: state.lastError ? { ...state.lastError } : null,
    stale,
  };
}

export function buildOverview(input: OverviewInput): Overview {
  const { inventory, states, now, polling } = input;
  const tiles: Tile[] = [
    ...inventory.devices.map((d) =>
      tileFor(
        d.id,
        d.zone,
        d.kind,
        d.name,
        (d.intervalSeconds ?? polling.deviceIntervalSeconds) * 1000,
        states.get(d.id),
        now,
        polling.staleAfterIntervals,
      ),
    ),
    ...inventory.services.map((s) =>
      tileFor(
        s.id,
        s.zone,
        'service',
        s.name,
        (s.intervalSeconds ?? polling.serviceIntervalSeconds) * 1000,
        states.get(s.id),
        now,
        polling.staleAfterIntervals,
      ),
    ),
  ];
  const zones = inventory.zones.map((z) => {
    const statuses = tiles.filter((t) => t.zoneId === z.id).map((t) => t.status);
    return {
      id: z.id,
      name: z.name,
      kind: z.kind,
      status: worstStatus(statuses),
      counts: countByStatus(statuses),
    };
  });
  const statuses = tiles.map((t) => t.status);
  return {
    revision: input.revision,
    generatedAt: now,
    training: input.training,
    zones,
    tiles,
    counts: countByStatus(statuses),
    status: worstStatus(statuses),
  };
}

/** What changed for an operator: everything but the generation time and revision. */
export function overviewSignature(overview: Overview): string {
  return JSON.stringify([overview.zones, overview.tiles]);
}
