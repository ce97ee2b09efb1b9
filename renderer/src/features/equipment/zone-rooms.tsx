/** One zone's rooms: each room's racks side by side, and its devices outside racks listed beside them. */
import { useId, type ReactNode } from 'react';
import type { EquipmentDevice } from '../../../../shared/api';
import { useI18n } from '../../lib/i18n/i18n-context';
import { roomLabel } from './device-labels';
import { RackElevation } from './rack-elevation';
import type { Misplaced, RackSlot, RoomView, ZoneView } from './rack-layout';

export interface TileRenderers {
  readonly slot: (slot: RackSlot) => ReactNode;
  readonly misplaced: (misplaced: Misplaced) => ReactNode;
  readonly loose: (device: EquipmentDevice) => ReactNode;
}

function RoomSection({
  room,
  renderers,
  isShown,
}: {
  room: RoomView;
  renderers: TileRenderers;
  isShown: (device: EquipmentDevice) => boolean;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const loose = room.loose.filter(isShown);
  return (
    <section className="eq-room" aria-labelledby={headingId} data-testid={`room-${room.id ?? 'none'}`}>
      <h2 className="eq-room__title" id={headingId}>
        {roomLabel(t, room)}
      </h2>
      <div className="eq-room__body">
        {room.racks.length > 0 && (
          <div className="eq-room__racks">
            {room.racks.map((rack) => (
              <RackElevation
                key={rack.rack.id}
                view={rack}
                renderSlot={renderers.slot}
                renderMisplaced={renderers.misplaced}
              />
            ))}
          </div>
        )}
        {loose.length > 0 && (
          <div className="eq-room__loose" data-testid={`room-loose-${room.id ?? 'none'}`}>
            <h3 className="eq-room__loose-title">
              {t(room.racks.length > 0 ? 'equipment.room.outsideRacks' : 'equipment.room.devices')}
            </h3>
            <ul className="eq-tile-list">{loose.map((device) => renderers.loose(device))}</ul>
          </div>
        )}
      </div>
    </section>
  );
}

export interface ZoneRoomsProps {
  readonly zone: ZoneView;
  readonly renderers: TileRenderers;
  /** Whether a device matches the filter (racks keep all their devices, dimmed when not). */
  readonly isShown: (device: EquipmentDevice) => boolean;
  readonly filtering: boolean;
}

export function ZoneRooms({ zone, renderers, isShown, filtering }: ZoneRoomsProps) {
  const { t } = useI18n();
  const rooms = filtering
    ? zone.rooms.filter(
        (room) =>
          room.loose.some(isShown) ||
          room.racks.some(
            (rack) =>
              rack.slots.some((s) => isShown(s.device)) || rack.misplaced.some((m) => isShown(m.device)),
          ),
      )
    : zone.rooms;
  if (rooms.length === 0)
    return <p className="eq-zone__empty">{t(filtering ? 'equipment.noMatch' : 'equipment.zoneEmpty')}</p>;
  return (
    <div className="eq-zone__rooms">
      {rooms.map((room) => (
        <RoomSection key={room.id ?? ''} room={room} renderers={renderers} isShown={isShown} />
      ))}
    </div>
  );
}
