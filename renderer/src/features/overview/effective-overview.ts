/**
 * What the overview shows is derived, not copied: a tile whose data is stale is `unknown` (grey)
 * whatever it last said, and zones and counts are computed from what the tiles show, so a
 * summary can never be greener than the tiles under it (DESIGN.md section 3: no data is never up).
 *
 * Besides the engine's own `stale` flag, the console applies a looser local rule: a sample older
 * than LOCAL_STALE_INTERVALS polling intervals plus LOCAL_STALE_SLACK_MS is stale too. This
 * catches what the engine cannot tell us (a frozen link, a lost event, a stuck engine).
 */
import { useMemo } from 'react';
import type { Overview, Tile, TileKind, ZoneSummary } from '../../../../shared/api';
import { missingCase } from '../../../../shared/domain/missing-case';
import { countByStatus, worstStatus, type Status } from '../../../../shared/domain/status';
import { useClockDerived } from '../../lib/clock/clock-context';

export const LOCAL_STALE_INTERVALS = 3;
/** Absorbs clock skew between this seat and the engine, and the polling jitter. */
export const LOCAL_STALE_SLACK_MS = 15_000;

export interface EffectiveTile {
  readonly tile: Tile;
  /** The status shown: `unknown` when stale. */
  readonly status: Status;
  readonly stale: boolean;
}

export type TileGroup = 'equipment' | 'services';

export interface EffectiveZone {
  readonly zone: ZoneSummary;
  readonly status: Status;
  readonly counts: Record<Status, number>;
  readonly equipment: readonly EffectiveTile[];
  readonly services: readonly EffectiveTile[];
}

export interface EffectiveOverview {
  readonly overview: Overview;
  readonly status: Status;
  readonly counts: Record<Status, number>;
  readonly zones: readonly EffectiveZone[];
  /** Tiles whose zone is not in the zone list (a contract slip): shown, never hidden. */
  readonly unassigned: readonly EffectiveTile[];
}

export function tileGroup(kind: TileKind): TileGroup {
  switch (kind) {
    case 'ups':
    case 'pdu':
    case 'sensor':
    case 'switch':
      return 'equipment';
    case 'service':
      return 'services';
    default:
      throw missingCase(kind);
  }
}

/** When the console itself will call the tile stale (null: never from this rule). */
export function localStaleDeadline(tile: Tile): number | null {
  if (tile.lastSampleAt === null) return null;
  return tile.lastSampleAt + tile.intervalMs * LOCAL_STALE_INTERVALS + LOCAL_STALE_SLACK_MS;
}

/** The tile as shown, given that every local deadline at or before `cutoff` has passed. */
export function effectiveTile(tile: Tile, cutoff: number): EffectiveTile {
  const deadline = localStaleDeadline(tile);
  const stale = tile.stale || tile.lastSampleAt === null || (deadline !== null && deadline <= cutoff);
  return { tile, stale, status: stale ? 'unknown' : tile.status };
}

/** Builds the shown overview; `cutoff` is the latest local stale deadline already passed. */
export function buildEffectiveOverview(overview: Overview, cutoff: number): EffectiveOverview {
  const byZone = new Map<string, EffectiveTile[]>(overview.zones.map((zone) => [zone.id, []]));
  const unassigned: EffectiveTile[] = [];
  const all: EffectiveTile[] = [];
  for (const tile of overview.tiles) {
    const entry = effectiveTile(tile, cutoff);
    all.push(entry);
    (byZone.get(tile.zoneId) ?? unassigned).push(entry);
  }
  const zones = overview.zones.map((zone): EffectiveZone => {
    const tiles = byZone.get(zone.id) ?? [];
    const statuses = tiles.map((entry) => entry.status);
    return {
      zone,
      status: worstStatus([zone.status, ...statuses]),
      counts: countByStatus(statuses),
      equipment: tiles.filter((entry) => tileGroup(entry.tile.kind) === 'equipment'),
      services: tiles.filter((entry) => tileGroup(entry.tile.kind) === 'services'),
    };
  });
  const statuses = all.map((entry) => entry.status);
  return {
    overview,
    status: worstStatus([overview.status, ...statuses]),
    counts: countByStatus(statuses),
    zones,
    unassigned,
  };
}

/** How many of the ascending `deadlines` are strictly before `now`. */
export function countPassed(deadlines: readonly number[], now: number): number {
  let low = 0;
  let high = deadlines.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((deadlines[middle] ?? Infinity) < now) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The shown overview, recomputed only when the overview changes or a tile's local deadline
 * passes (not on every clock tick).
 */
export function useEffectiveOverview(overview: Overview | undefined): EffectiveOverview | null {
  const deadlines = useMemo(() => {
    const list: number[] = [];
    for (const tile of overview?.tiles ?? []) {
      const deadline = localStaleDeadline(tile);
      if (deadline !== null) list.push(deadline);
    }
    return list.sort((a, b) => a - b);
  }, [overview]);
  const passed = useClockDerived((now) => countPassed(deadlines, now));
  return useMemo(() => {
    if (!overview) return null;
    const cutoff = passed === 0 ? -Infinity : (deadlines[passed - 1] ?? -Infinity);
    return buildEffectiveOverview(overview, cutoff);
  }, [overview, deadlines, passed]);
}
