/**
 * The equipment view: per zone (tabs), its rooms; in each room its racks drawn as elevations and
 * the devices outside racks beside them; a filter; and a device page that replaces the racks when
 * a device is opened (Escape or Back returns to the rack, focus on the device's tile).
 *
 * Keyboard: the tiles of the shown zone are one tab stop (roving tabindex); arrows move through
 * the layout (up and down a rack, left and right across racks), j/k in reading order, Home/End to
 * the first and last, Enter or Space open the device page, `/` focuses the filter. The zone tabs
 * follow the WAI-ARIA tabs pattern (arrows between tabs, the panel after them).
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { EquipmentDevice } from '../../../../shared/api';
import { worstStatus } from '../../../../shared/domain/status';
import { ApiErrorNotice } from '../../components/api-error-notice';
import { PanelBoundary } from '../../components/error-boundary';
import { StatusIcon } from '../../components/status-icon';
import { useConnectionState } from '../../lib/api/api-context';
import { errorCodeOf } from '../../lib/api/bridge-error';
import { useEquipmentInventory } from '../../lib/api/equipment-queries';
import { useOverview } from '../../lib/api/queries';
import { useI18n } from '../../lib/i18n/i18n-context';
import { isPlainShortcut } from '../../lib/keyboard';
import { DevicePage } from './device-page';
import type { DeviceState } from './device-state';
import { DeviceTile } from './device-tile';
import { buildZones, matchesFilter, readingOrder, type ZoneView } from './rack-layout';
import { moveForKey, targetIndex, type Box } from './spatial-navigation';
import { intervalsFrom, useDeviceStates } from './use-device-states';
import { ZoneRooms, type TileRenderers } from './zone-rooms';
import './equipment.css';

const NO_BOX: Box = { left: 0, top: 0, width: 0, height: 0 };
const UNKNOWN_STATE: DeviceState = { status: 'unknown', freshness: 'never', lastSuccessAt: null };
/** The tab of the devices whose zone the inventory does not list. */
const UNLISTED_ZONE = '\u0000unlisted';

function zoneKey(zone: ZoneView): string {
  return zone.zone?.id ?? UNLISTED_ZONE;
}

export function EquipmentView() {
  const { t, fmt } = useI18n();
  const inventory = useEquipmentInventory();
  const overview = useOverview();
  const connection = useConnectionState();
  const live = connection.kind === 'open';
  const [filter, setFilter] = useState('');
  const [chosenZone, setChosenZone] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const tiles = useRef(new Map<string, HTMLButtonElement>());
  const tabs = useRef(new Map<string, HTMLButtonElement>());
  const filterRef = useRef<HTMLInputElement>(null);
  /** The tile to focus once the racks are back (after the device page closes). */
  const returnFocus = useRef<string | null>(null);
  const headingId = useId();
  const hintId = useId();
  const filterId = useId();
  const panelId = useId();

  const data = inventory.data;
  const devices = useMemo(() => data?.devices ?? [], [data]);
  const zones = useMemo(() => (data ? buildZones(data) : []), [data]);
  const intervals = useMemo(() => intervalsFrom(overview.data), [overview.data]);
  const states = useDeviceStates(devices, intervals);
  const stateOf = useCallback((id: string) => states.get(id) ?? UNKNOWN_STATE, [states]);

  const filtering = filter.trim() !== '';
  const isShown = useCallback((device: EquipmentDevice) => matchesFilter(device, filter), [filter]);
  const zone = zones.find((z) => zoneKey(z) === chosenZone) ?? zones[0] ?? null;
  const order = useMemo(
    () =>
      zone
        ? readingOrder(zone)
            .filter(isShown)
            .map((d) => d.id)
        : [],
    [zone, isShown],
  );
  const focusId = activeId !== null && order.includes(activeId) ? activeId : (order[0] ?? null);
  const matches = filtering ? devices.filter(isShown).length : devices.length;

  const registerTile = useCallback((id: string, element: HTMLButtonElement | null) => {
    if (element) tiles.current.set(id, element);
    else tiles.current.delete(id);
  }, []);
  const onFocusTile = useCallback((id: string) => setActiveId(id), []);
  const onOpen = useCallback((id: string) => {
    setActiveId(id);
    setOpenId(id);
  }, []);
  const focusTile = useCallback((id: string | null) => {
    if (id === null) return;
    setActiveId(id);
    tiles.current.get(id)?.focus();
  }, []);

  const openDevice = openId === null ? null : (devices.find((d) => d.id === openId) ?? null);
  const closeDevice = useCallback(() => {
    const device = devices.find((d) => d.id === openId);
    if (device) {
      const owner = zones.find((z) => z.devices.includes(device));
      if (owner) setChosenZone(zoneKey(owner));
    }
    returnFocus.current = openId;
    setOpenId(null);
  }, [devices, openId, zones]);

  // Back on the racks: focus the tile the device page was opened from.
  useEffect(() => {
    if (openId !== null || returnFocus.current === null) return;
    const id = returnFocus.current;
    returnFocus.current = null;
    tiles.current.get(id)?.focus();
  }, [openId]);

  useEffect(() => {
    if (openId !== null) return;
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
        // From anywhere but a text field, j/k land on the tiles (movement among the tiles is
        // handled by the panel, which stops the event); arrows too when nothing has focus.
        event.preventDefault();
        focusTile(focusId);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [openId, focusId, focusTile]);

  function onPanelKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const move = moveForKey(event.key);
    if (move === null || !(event.target instanceof HTMLElement)) return;
    const id = event.target.closest<HTMLElement>('[data-device-id]')?.dataset['deviceId'];
    const index = id === undefined ? -1 : order.indexOf(id);
    if (index < 0) return;
    event.preventDefault();
    event.stopPropagation();
    const boxes = order.map((deviceId) => tiles.current.get(deviceId)?.getBoundingClientRect() ?? NO_BOX);
    focusTile(order[targetIndex(index, move, boxes)] ?? null);
  }

  function onTabKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number): void {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const target =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? zones.length - 1
          : step !== 0
            ? (index + step + zones.length) % zones.length
            : null;
    if (target === null) return;
    event.preventDefault();
    const next = zones[target];
    if (!next) return;
    setChosenZone(zoneKey(next));
    tabs.current.get(zoneKey(next))?.focus();
  }

  function onFilterKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (filter !== '') setFilter('');
      else focusTile(focusId);
    } else if (event.key === 'Enter' || event.key === 'ArrowDown') {
      event.preventDefault();
      focusTile(focusId);
    }
  }

  const tileProps = (device: EquipmentDevice) => ({
    device,
    state: stateOf(device.id),
    focusable: device.id === focusId,
    dimmed: !isShown(device),
    onOpen,
    onFocusTile,
    registerTile,
  });
  const renderers: TileRenderers = {
    slot: (slot) => (
      <DeviceTile
        key={slot.device.id}
        {...tileProps(slot.device)}
        slot={{ row: slot.row, span: slot.span }}
      />
    ),
    misplaced: (m) => <DeviceTile key={m.device.id} {...tileProps(m.device)} misplaced={m.reason} />,
    loose: (device) => <DeviceTile key={device.id} {...tileProps(device)} />,
  };

  if (openId !== null) {
    const owner = openDevice ? zones.find((z) => z.devices.includes(openDevice)) : undefined;
    return (
      <section className="equipment" data-testid="equipment" data-live={live ? 'true' : 'false'}>
        <PanelBoundary>
          <DevicePage
            id={openId}
            device={openDevice}
            inventory={data ?? null}
            zoneName={owner?.zone?.name ?? null}
            state={openDevice ? stateOf(openDevice.id) : UNKNOWN_STATE}
            onBack={closeDevice}
          />
        </PanelBoundary>
      </section>
    );
  }

  let body;
  if (data && zone) {
    const key = zoneKey(zone);
    body = (
      <>
        <div className="eq-tabs" role="tablist" aria-label={t('equipment.zones')}>
          {zones.map((candidate, index) => {
            const id = zoneKey(candidate);
            const selected = id === key;
            const status = worstStatus(candidate.devices.map((d) => stateOf(d.id).status));
            const count = candidate.devices.filter(isShown).length;
            return (
              <button
                key={id}
                ref={(element) => {
                  if (element) tabs.current.set(id, element);
                  else tabs.current.delete(id);
                }}
                type="button"
                role="tab"
                id={`${panelId}-tab-${index}`}
                className={`eq-tab eq-tab--${status}`}
                aria-selected={selected}
                aria-controls={panelId}
                tabIndex={selected ? 0 : -1}
                data-testid={`equipment-zone-tab-${candidate.zone?.id ?? 'unlisted'}`}
                data-status={status}
                onClick={() => setChosenZone(id)}
                onKeyDown={(event) => onTabKeyDown(event, index)}
              >
                <StatusIcon status={status} />
                <span className="eq-tab__name">{candidate.zone?.name ?? t('equipment.zone.unlisted')}</span>
                <span className="eq-tab__status">{t(`status.${status}`)}</span>
                {filtering && (
                  <span className="eq-tab__count">
                    {t('equipment.zone.matches', { count: fmt.number(count) })}
                  </span>
                )}
              </button>
            );
          })}
        </div>
        <p id={hintId} className="visually-hidden">
          {t('equipment.keyboardHint')}
        </p>
        <div
          className="eq-zone"
          role="tabpanel"
          id={panelId}
          aria-labelledby={`${panelId}-tab-${zones.indexOf(zone)}`}
          aria-describedby={hintId}
          data-testid={`equipment-zone-${zone.zone?.id ?? 'unlisted'}`}
          onKeyDown={onPanelKeyDown}
        >
          <ZoneRooms zone={zone} renderers={renderers} isShown={isShown} filtering={filtering} />
        </div>
      </>
    );
  } else if (data) {
    body = <p className="panel-message">{t('equipment.none')}</p>;
  } else if (inventory.isError) {
    body = (
      <div className="eq-failed">
        <ApiErrorNotice error={inventory.error} title={t('equipment.failed')} testId="equipment-error" />
        <button type="button" className="button" onClick={() => void inventory.refetch()}>
          {t('action.retry')}
        </button>
      </div>
    );
  } else {
    body = <p className="panel-message">{t(live ? 'equipment.loading' : 'overview.waiting')}</p>;
  }

  return (
    <section
      className="equipment"
      aria-labelledby={headingId}
      data-testid="equipment"
      data-live={live ? 'true' : 'false'}
    >
      <div className="eq-toolbar">
        <h1 className="eq-toolbar__title" id={headingId}>
          {t('equipment.title')}
        </h1>
        <div className="eq-filter" role="search">
          <label className="eq-filter__label" htmlFor={filterId}>
            {t('equipment.filter.label')}
          </label>
          <input
            ref={filterRef}
            id={filterId}
            className="eq-filter__input"
            type="search"
            value={filter}
            placeholder={t('equipment.filter.placeholder')}
            aria-keyshortcuts="/"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setFilter(event.target.value)}
            onKeyDown={onFilterKeyDown}
            data-testid="equipment-filter"
          />
          {filter !== '' && (
            <button type="button" className="button button--small" onClick={() => setFilter('')}>
              {t('filter.clear')}
            </button>
          )}
          <span className="eq-filter__result" role="status">
            {filtering
              ? t('equipment.filter.result', {
                  shown: fmt.number(matches),
                  total: fmt.number(devices.length),
                })
              : ''}
          </span>
        </div>
        {data && inventory.isError && (
          <p className="eq-toolbar__refresh-failed" role="status" data-testid="equipment-refresh-failed">
            <StatusIcon status="degraded" />{' '}
            {t('overview.refreshFailed', { reason: t(`error.${errorCodeOf(inventory.error)}`) })}
          </p>
        )}
      </div>
      {data && !live && (
        <p className="eq-not-live" role="alert" data-testid="equipment-not-live">
          {t('equipment.notLive')}
        </p>
      )}
      {body}
    </section>
  );
}
