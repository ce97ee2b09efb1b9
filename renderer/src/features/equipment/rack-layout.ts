/**
 * Where each device goes on screen: per zone its rooms, per room its racks drawn as elevations
 * (U1 at the bottom) and the devices outside any rack. Pure. Nothing is ever dropped: a device
 * whose room, rack or zone the inventory does not list, or whose position does not fit its rack
 * (beyond its height, or on U already taken), is still shown, with the reason, so an inventory
 * slip can never hide a device that is down.
 */
import type { EquipmentDevice, EquipmentInventory } from '../../../../shared/api';

export type Zone = EquipmentInventory['zones'][number];
export type Rack = EquipmentInventory['racks'][number];

/** A device in its rack: `row` is the CSS grid row of its top U (row 1 is the rack's top U). */
export interface RackSlot {
  readonly device: EquipmentDevice;
  /** The lowest U it occupies (its `positionU`). */
  readonly bottomU: number;
  readonly topU: number;
  readonly row: number;
  readonly span: number;
}

/** `overlap`: a U it needs is taken by another device. `outOfRack`: its U are not all in the rack. */
export type MisplacedReason = 'overlap' | 'outOfRack';

export interface Misplaced {
  readonly device: EquipmentDevice;
  readonly reason: MisplacedReason;
}

export interface RackView {
  readonly rack: Rack;
  /** Top of the rack first. */
  readonly slots: readonly RackSlot[];
  readonly misplaced: readonly Misplaced[];
}

export interface RoomView {
  /** Null for the devices of the zone that name no room. */
  readonly id: string | null;
  /** The room's name; null when the inventory does not list it (or there is none). */
  readonly name: string | null;
  readonly racks: readonly RackView[];
  /** Devices of the room outside any rack (or in a rack the inventory does not list). */
  readonly loose: readonly EquipmentDevice[];
}

export interface ZoneView {
  /** Null for the devices whose zone the inventory does not list. */
  readonly zone: Zone | null;
  readonly devices: readonly EquipmentDevice[];
  readonly rooms: readonly RoomView[];
}

function byPosition(a: EquipmentDevice, b: EquipmentDevice): number {
  const pa = a.rack?.positionU ?? 0;
  const pb = b.rack?.positionU ?? 0;
  return pa - pb || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Places `devices` (all in `rack`) on its U. Lower devices are placed first, so of two devices
 * claiming the same U the lower one keeps it and the other is misplaced.
 */
export function placeInRack(rack: Rack, devices: readonly EquipmentDevice[]): RackView {
  const taken = new Set<number>();
  const slots: RackSlot[] = [];
  const misplaced: Misplaced[] = [];
  for (const device of [...devices].sort(byPosition)) {
    const position = device.rack?.positionU ?? 0;
    const height = device.rack?.heightU ?? 0;
    const top = position + height - 1;
    if (position < 1 || height < 1 || top > rack.heightU) {
      misplaced.push({ device, reason: 'outOfRack' });
      continue;
    }
    const units = Array.from({ length: height }, (_, i) => position + i);
    if (units.some((u) => taken.has(u))) {
      misplaced.push({ device, reason: 'overlap' });
      continue;
    }
    for (const u of units) taken.add(u);
    slots.push({ device, bottomU: position, topU: top, row: rack.heightU - top + 1, span: height });
  }
  slots.sort((a, b) => b.topU - a.topU);
  return { rack, slots, misplaced };
}

interface RoomDraft {
  readonly id: string | null;
  readonly name: string | null;
  readonly racks: RackView[];
  readonly loose: EquipmentDevice[];
}

/**
 * The rooms of one zone's `devices`: the zone's listed rooms in inventory order with all their
 * racks (an empty rack is information too), then any other room its devices name, then the
 * devices that name none. A device in a listed rack is drawn in that rack, in the rack's room.
 */
function roomsOf(
  inventory: EquipmentInventory,
  zoneId: string | null,
  devices: readonly EquipmentDevice[],
): RoomView[] {
  const names = new Map(inventory.rooms.map((r) => [r.id, r.name]));
  const racks = new Map(inventory.racks.map((r) => [r.id, r]));
  const rooms: RoomDraft[] = [];
  const placed = new Set<EquipmentDevice>();
  const room = (id: string | null): RoomDraft => {
    let draft = rooms.find((r) => r.id === id);
    if (!draft) {
      draft = { id, name: id === null ? null : (names.get(id) ?? null), racks: [], loose: [] };
      rooms.push(draft);
    }
    return draft;
  };
  const addRack = (draft: RoomDraft, rack: Rack): void => {
    const inRack = devices.filter((d) => d.rack?.id === rack.id);
    for (const device of inRack) placed.add(device);
    draft.racks.push(placeInRack(rack, inRack));
  };
  if (zoneId !== null)
    for (const listed of inventory.rooms.filter((r) => r.zone === zoneId)) {
      const draft = room(listed.id);
      for (const rack of inventory.racks.filter((r) => r.room === listed.id)) addRack(draft, rack);
    }
  for (const device of devices) {
    if (placed.has(device)) continue;
    const rack = device.rack ? racks.get(device.rack.id) : undefined;
    if (rack) addRack(room(rack.room), rack);
    else room(device.room).loose.push(device);
  }
  return [...rooms.filter((r) => r.id !== null), ...rooms.filter((r) => r.id === null)];
}

/** Every zone of the inventory in order, then a pseudo-zone for devices of an unlisted zone. */
export function buildZones(inventory: EquipmentInventory): ZoneView[] {
  const listed = new Set(inventory.zones.map((z) => z.id));
  const zones: ZoneView[] = inventory.zones.map((zone) => {
    const devices = inventory.devices.filter((d) => d.zone === zone.id);
    return { zone, devices, rooms: roomsOf(inventory, zone.id, devices) };
  });
  const orphans = inventory.devices.filter((d) => !listed.has(d.zone));
  if (orphans.length > 0)
    zones.push({ zone: null, devices: orphans, rooms: roomsOf(inventory, null, orphans) });
  return zones;
}

/** Devices in reading order: per room, each rack from its top U down and its misplaced, then the loose. */
export function readingOrder(zone: ZoneView): EquipmentDevice[] {
  return zone.rooms.flatMap((room) => [
    ...room.racks.flatMap((rack) => [
      ...rack.slots.map((s) => s.device),
      ...rack.misplaced.map((m) => m.device),
    ]),
    ...room.loose,
  ]);
}

function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** Whether `device` matches the filter text (name, id, role, kind, address); empty matches all. */
export function matchesFilter(device: EquipmentDevice, filter: string): boolean {
  const needle = normalise(filter);
  if (needle === '') return true;
  return [device.name, device.id, device.role ?? '', device.kind, device.address].some((field) =>
    normalise(field).includes(needle),
  );
}
