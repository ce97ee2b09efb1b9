/**
 * One device as a tile, in a rack (spanning its U) or in the list beside the racks: name, status
 * icon, word and colour, its place (U41, U1–U2), and when its data is not current "no data since
 * 14:02" on a grey hatched tile, never green. A button: Enter or Space opens the device page.
 */
import { memo, useId, type CSSProperties } from 'react';
import type { EquipmentDevice } from '../../../../shared/api';
import { StatusIcon } from '../../components/status-icon';
import { useI18n, type Translate } from '../../lib/i18n/i18n-context';
import { NoDataSince } from './device-age';
import type { DeviceState } from './device-state';
import type { MisplacedReason } from './rack-layout';
import { kindLabel } from './device-labels';

/** `U41`, or `U1–U2` for a device taller than one U. */
export function unitsLabel(t: Translate, bottomU: number, heightU: number): string {
  return heightU <= 1
    ? t('equipment.rack.unit', { u: bottomU })
    : t('equipment.rack.units', { from: bottomU, to: bottomU + heightU - 1 });
}

export interface DeviceTileProps {
  readonly device: EquipmentDevice;
  readonly state: DeviceState;
  /** The one tile of the view with tabIndex 0 (roving tab stop). */
  readonly focusable: boolean;
  /** Not matching the filter: drawn faint in its rack, skipped by the keyboard. */
  readonly dimmed: boolean;
  /** The tile spans its U in a rack; absent in the list beside the racks. */
  readonly slot?: { readonly row: number; readonly span: number } | undefined;
  readonly misplaced?: MisplacedReason | undefined;
  readonly onOpen: (id: string) => void;
  readonly onFocusTile: (id: string) => void;
  readonly registerTile: (id: string, element: HTMLButtonElement | null) => void;
}

export const DeviceTile = memo(function DeviceTile({
  device,
  state,
  focusable,
  dimmed,
  slot,
  misplaced,
  onOpen,
  onFocusTile,
  registerTile,
}: DeviceTileProps) {
  const { t } = useI18n();
  const domId = useId();
  const ids = {
    name: `${domId}-name`,
    status: `${domId}-status`,
    place: `${domId}-place`,
    age: `${domId}-age`,
  };
  const { status } = state;
  const stale = state.freshness !== 'fresh';
  const place = device.rack ? unitsLabel(t, device.rack.positionU, device.rack.heightU) : null;
  const style: CSSProperties | undefined = slot
    ? { gridRow: `${slot.row} / span ${slot.span}`, gridColumn: 2 }
    : undefined;
  return (
    <li
      className={`eq-tile-item${slot ? ' eq-tile-item--racked' : ''}${slot && slot.span > 1 ? ' eq-tile-item--tall' : ''}`}
      style={style}
    >
      <button
        type="button"
        ref={(element) => registerTile(device.id, element)}
        className={`eq-tile eq-tile--${status}${stale ? ' eq-tile--stale' : ''}${dimmed ? ' eq-tile--dimmed' : ''}`}
        data-testid={`device-tile-${device.id}`}
        data-device-id={device.id}
        data-status={status}
        data-freshness={state.freshness}
        data-stale={stale ? 'true' : 'false'}
        data-dimmed={dimmed ? 'true' : 'false'}
        tabIndex={focusable && !dimmed ? 0 : -1}
        aria-labelledby={`${ids.name} ${ids.status}`}
        aria-describedby={
          [place !== null ? ids.place : null, stale ? ids.age : null].filter(Boolean).join(' ') || undefined
        }
        onClick={() => onOpen(device.id)}
        onFocus={() => onFocusTile(device.id)}
      >
        <span className="eq-tile__head">
          <StatusIcon status={status} className="eq-tile__icon" />
          <span className="eq-tile__name" id={ids.name} title={device.name}>
            {device.name}
          </span>
        </span>
        <span className="eq-tile__line">
          <span className="eq-tile__status" id={ids.status}>
            {t(`status.${status}`)}
          </span>
          {place !== null && (
            <span className="eq-tile__place" id={ids.place}>
              {place}
            </span>
          )}
          {!slot && <span className="eq-tile__kind">{kindLabel(t, device.kind)}</span>}
        </span>
        {misplaced && (
          <span className="eq-tile__warning" data-testid="device-misplaced">
            <span aria-hidden="true">⚠ </span>
            {t(`equipment.rack.misplaced.${misplaced}`)}
          </span>
        )}
        <NoDataSince state={state} id={ids.age} className="eq-tile__no-data" />
      </button>
    </li>
  );
});
