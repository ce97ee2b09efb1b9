/**
 * Where the training estate's equipment stands: per site a data hall with racks and a power room,
 * in the inventory's own terms (rooms, racks, U positions). Derived from the plan, so a device
 * added to the plan gets a place without anyone editing coordinates.
 */
import type { DeviceDef, RackDef, RoomDef } from '../inventory/schema';
import type { EstateDevice, EstatePlan } from './estate-definition';

export interface EstateLayout {
  readonly rooms: RoomDef[];
  readonly racks: RackDef[];
  /** Placement and role of each device, by device id. */
  readonly places: ReadonlyMap<string, Pick<DeviceDef, 'room' | 'rack' | 'role'>>;
}

const RACK_HEIGHT_U = 42;

export function estateLayout(plan: EstatePlan, devices: readonly EstateDevice[]): EstateLayout {
  const rooms: RoomDef[] = [];
  const racks: RackDef[] = [];
  const places = new Map<string, Pick<DeviceDef, 'room' | 'rack' | 'role'>>();
  for (const zone of plan.zones) {
    const hall = `${zone.id}-hall`;
    const power = `${zone.id}-power`;
    rooms.push({ id: hall, zone: zone.id, name: `${zone.name} data hall` });
    rooms.push({ id: power, zone: zone.id, name: `${zone.name} power room` });
    const inZone = devices.filter((d) => d.zone.id === zone.id);
    // One network rack per site; the PDUs each get a rack of their own (they feed it).
    const network = `${zone.id}-r01`;
    racks.push({ id: network, room: hall, name: 'R01 network', heightU: RACK_HEIGHT_U });
    let nextNetworkU = RACK_HEIGHT_U - 1;
    let rackNo = 2;
    for (const d of inZone) {
      switch (d.kind) {
        case 'switch':
          places.set(d.plan.id, {
            room: hall,
            rack: { id: network, positionU: nextNetworkU, heightU: 1 },
            role: 'core switch',
          });
          nextNetworkU -= 2;
          break;
        case 'pdu': {
          const rack = `${zone.id}-r${String(rackNo).padStart(2, '0')}`;
          racks.push({
            id: rack,
            room: hall,
            name: `R${String(rackNo).padStart(2, '0')} compute`,
            heightU: RACK_HEIGHT_U,
          });
          rackNo += 1;
          places.set(d.plan.id, {
            room: hall,
            rack: { id: rack, positionU: 1, heightU: 2 },
            role: 'rack PDU',
          });
          break;
        }
        case 'ups':
          places.set(d.plan.id, { room: power, role: 'UPS' });
          break;
        case 'sensor':
          places.set(d.plan.id, { room: hall, role: 'room environment sensor' });
          break;
      }
    }
  }
  return { rooms, racks, places };
}
