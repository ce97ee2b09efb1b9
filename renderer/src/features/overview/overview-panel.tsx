/**
 * The overview: one section per zone, tiles grouped (equipment, then services), navigable from
 * the keyboard with a single tab stop (roving tabindex): arrows and j/k move, Home/End jump,
 * Enter/Space open the detail drawer, `/` focuses the filter.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ReadingKey } from '../../../../shared/api';
import { FilterBox } from '../../components/filter-box';
import { errorCodeOf } from '../../lib/api/bridge-error';
import { useConnectionState } from '../../lib/api/api-context';
import { useDashboards } from '../../lib/api/dashboard-queries';
import { useOverview } from '../../lib/api/queries';
import { useNow } from '../../lib/clock/clock-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { isPlainShortcut } from '../../lib/keyboard';
import {
  useEffectiveOverview,
  type EffectiveOverview,
  type EffectiveTile,
  type EffectiveZone,
  type TileGroup,
} from './effective-overview';
import { moveForKey, targetIndex, type Box } from './grid-navigation';
import { TileCard } from './tile-card';
import { TileDetailDrawer } from './tile-detail-drawer';
import { ZoneSection } from './zone-section';
import { worstStatus, countByStatus } from '../../../../shared/domain/status';
import './overview.css';

const NO_BOX: Box = { left: 0, top: 0, width: 0, height: 0 };

function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

interface ShownZone {
  readonly zone: EffectiveZone;
  readonly kindShown: boolean;
}

function applyFilter(zone: EffectiveZone, needle: string): EffectiveZone {
  if (needle === '') return zone;
  const matches = (entry: EffectiveTile) =>
    normalise(entry.tile.name).includes(needle) || normalise(entry.tile.id).includes(needle);
  return { ...zone, equipment: zone.equipment.filter(matches), services: zone.services.filter(matches) };
}

function shownZones(effective: EffectiveOverview, needle: string, unassignedName: string): ShownZone[] {
  const zones: ShownZone[] = effective.zones.map((zone) => ({
    zone: applyFilter(zone, needle),
    kindShown: true,
  }));
  if (effective.unassigned.length > 0) {
    const statuses = effective.unassigned.map((entry) => entry.status);
    const counts = countByStatus(statuses);
    const zone: EffectiveZone = {
      zone: {
        id: 'unassigned',
        name: unassignedName,
        kind: 'primary',
        status: worstStatus(statuses),
        counts,
      },
      status: worstStatus(statuses),
      counts,
      equipment: effective.unassigned.filter((entry) => entry.tile.kind !== 'service'),
      services: effective.unassigned.filter((entry) => entry.tile.kind === 'service'),
    };
    zones.push({ zone: applyFilter(zone, needle), kindShown: false });
  }
  return zones;
}

function NotLiveNotice({ generatedAt }: { generatedAt: number }) {
  const { t, fmt } = useI18n();
  const now = useNow();
  return (
    <p className="overview__not-live" role="alert" data-testid="not-live">
      {t('overview.notLive', { time: fmt.time(generatedAt, now) })}
    </p>
  );
}

/** What "Open in explorer" from a tile's details asks the console to show. */
export interface TileExplorerTarget {
  readonly tileId: string;
  /** The reading to chart (the tile's primary one), null when the tile has none. */
  readonly reading: ReadingKey | null;
}

export interface OverviewPanelProps {
  /** Without it, the details of a tile offer no way to the explorer. */
  readonly onOpenInExplorer?: (target: TileExplorerTarget) => void;
  /**
   * Opens a dashboard by id; with it, the details of a tile link to the built-in dashboard about
   * its device or service (one that names it among its subjects), when there is one.
   */
  readonly onOpenDashboard?: (dashboardId: string) => void;
}

export function OverviewPanel({ onOpenInExplorer, onOpenDashboard }: OverviewPanelProps = {}) {
  const { t } = useI18n();
  const query = useOverview();
  const connection = useConnectionState();
  const effective = useEffectiveOverview(query.data);
  const dashboards = useDashboards(onOpenDashboard !== undefined);
  const [filter, setFilter] = useState('');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const tiles = useRef(new Map<string, HTMLButtonElement>());
  const filterRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const hintId = useId();

  const needle = normalise(filter);
  const zones = useMemo(
    () => (effective ? shownZones(effective, needle, t('zone.unassigned')) : []),
    [effective, needle, t],
  );
  const order = useMemo(
    () => zones.flatMap(({ zone }) => [...zone.equipment, ...zone.services].map((entry) => entry.tile.id)),
    [zones],
  );
  const total = effective?.overview.tiles.length ?? 0;
  const focusId = activeId !== null && order.includes(activeId) ? activeId : (order[0] ?? null);

  const registerTile = useCallback((id: string, element: HTMLButtonElement | null) => {
    if (element) tiles.current.set(id, element);
    else tiles.current.delete(id);
  }, []);
  const onOpen = useCallback((id: string) => {
    setActiveId(id);
    setOpenId(id);
  }, []);
  const onFocusTile = useCallback((id: string) => setActiveId(id), []);

  const focusTile = useCallback((id: string | null) => {
    if (id === null) return;
    setActiveId(id);
    tiles.current.get(id)?.focus();
  }, []);

  useEffect(() => {
    function onKey(event: globalThis.KeyboardEvent): void {
      if (!isPlainShortcut(event)) return;
      if (event.key === '/') {
        event.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (
        event.key === 'j' ||
        event.key === 'k' ||
        (event.target === document.body && moveForKey(event.key) !== null)
      ) {
        // j/k work from anywhere but a text field, arrows when nothing has focus: both land on
        // the tiles (movement within the tiles is handled by the grid, which stops this event).
        event.preventDefault();
        focusTile(focusId);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [focusId, focusTile]);

  function onGridKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const move = moveForKey(event.key);
    if (move === null || !(event.target instanceof HTMLElement)) return;
    const id = event.target.closest<HTMLElement>('[data-tile-id]')?.dataset['tileId'];
    const index = id === undefined ? -1 : order.indexOf(id);
    if (index < 0) return;
    event.preventDefault();
    const boxes = order.map((tileId) => tiles.current.get(tileId)?.getBoundingClientRect() ?? NO_BOX);
    focusTile(order[targetIndex(index, move, boxes)] ?? null);
  }

  const renderGroup = (group: TileGroup, zone: EffectiveZone) => {
    const entries = group === 'equipment' ? zone.equipment : zone.services;
    return (
      <div className={`tile-group tile-group--${group}`}>
        <h3 className="tile-group__title">{t(`zone.group.${group}`)}</h3>
        <ul className="tile-grid">
          {entries.map((entry) => (
            <TileCard
              key={entry.tile.id}
              entry={entry}
              focusable={entry.tile.id === focusId}
              onOpen={onOpen}
              onFocusTile={onFocusTile}
              registerTile={registerTile}
            />
          ))}
        </ul>
      </div>
    );
  };

  const openEntry =
    openId === null
      ? null
      : (effective?.zones.flatMap((z) => [...z.equipment, ...z.services]).find((e) => e.tile.id === openId) ??
        effective?.unassigned.find((e) => e.tile.id === openId) ??
        null);
  const openZoneName = openEntry
    ? (effective?.zones.find((z) => z.zone.id === openEntry.tile.zoneId)?.zone.name ?? null)
    : null;
  // The first built-in dashboard about the open tile's device or service (its own before its zone's).
  const tileDashboard =
    openId === null
      ? undefined
      : dashboards.data?.dashboards.find((d) => d.origin === 'auto' && (d.subjects ?? []).includes(openId));
  const live = connection.kind === 'open';

  let body;
  if (effective) {
    body = (
      <>
        <p id={hintId} className="visually-hidden">
          {t('overview.keyboardHint')}
        </p>
        <div className="zones" onKeyDown={onGridKeyDown} aria-describedby={hintId}>
          {zones.map(({ zone, kindShown }) => (
            <ZoneSection
              key={zone.zone.id}
              zone={zone}
              showKind={kindShown}
              filtering={needle !== ''}
              renderGroup={renderGroup}
            />
          ))}
        </div>
      </>
    );
  } else if (query.isError) {
    body = (
      <div className="panel-message panel-message--error" role="alert">
        <p>{t('overview.failed')}</p>
        <p>{t(`error.${errorCodeOf(query.error)}`)}</p>
        <button type="button" className="button" onClick={() => void query.refetch()}>
          {t('action.retry')}
        </button>
      </div>
    );
  } else {
    body = <p className="panel-message">{t(live ? 'overview.loading' : 'overview.waiting')}</p>;
  }

  return (
    <section
      className="overview"
      aria-labelledby={headingId}
      data-live={live ? 'true' : 'false'}
      data-testid="overview"
    >
      <div className="overview__toolbar">
        <h1 className="visually-hidden" id={headingId}>
          {t('overview.title')}
        </h1>
        <FilterBox
          ref={filterRef}
          value={filter}
          shown={order.length}
          total={total}
          onChange={setFilter}
          onLeave={() => focusTile(focusId)}
        />
        {effective && query.isError && (
          <p className="overview__refresh-failed" role="status">
            {t('overview.refreshFailed', { reason: t(`error.${errorCodeOf(query.error)}`) })}
          </p>
        )}
      </div>
      {effective && !live && <NotLiveNotice generatedAt={effective.overview.generatedAt} />}
      {body}
      {openId !== null && (
        <TileDetailDrawer
          entry={openEntry}
          zoneName={openZoneName}
          onClose={() => setOpenId(null)}
          {...(onOpenDashboard && tileDashboard
            ? {
                dashboardTitle: tileDashboard.title,
                onOpenDashboard: () => {
                  setOpenId(null);
                  onOpenDashboard(tileDashboard.id);
                },
              }
            : {})}
          {...(onOpenInExplorer && openEntry
            ? {
                onOpenInExplorer: () => {
                  const { tile } = openEntry;
                  setOpenId(null);
                  onOpenInExplorer({
                    tileId: tile.id,
                    reading: tile.primary?.key ?? tile.readings[0]?.key ?? null,
                  });
                },
              }
            : {})}
        />
      )}
    </section>
  );
}
