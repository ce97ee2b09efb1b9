import { describe, expect, it } from 'vitest';
import { device, fixtureDevices, fixtureInventory } from '../../lib/testing/equipment-fixtures';
import { buildZones, matchesFilter, placeInRack, readingOrder } from './rack-layout';

const RACK = { id: 'r', room: 'hall', name: 'R', heightU: 42 };
const inRack = (id: string, positionU: number, heightU: number) =>
  device({ id, name: id, rack: { id: 'r', positionU, heightU } });

describe('placeInRack', () => {
  it('puts U1 at the bottom: a device spans its U from its top U down, top of the rack first', () => {
    const view = placeInRack(RACK, [inRack('pdu', 1, 2), inRack('switch', 41, 1), inRack('server', 20, 4)]);
    expect(view.slots.map((s) => [s.device.id, s.bottomU, s.topU, s.row, s.span])).toEqual([
      ['switch', 41, 41, 2, 1],
      ['server', 20, 23, 20, 4],
      ['pdu', 1, 2, 41, 2],
    ]);
    expect(view.misplaced).toEqual([]);
  });

  it('puts the top U of a full-height device on the first row and U1 on the last', () => {
    const [slot] = placeInRack(RACK, [inRack('chassis', 1, 42)]).slots;
    expect(slot).toMatchObject({ row: 1, span: 42, bottomU: 1, topU: 42 });
  });

  it('never drops a device that does not fit: overlapping or outside the rack, it is listed with the reason', () => {
    const view = placeInRack(RACK, [
      inRack('b-second', 10, 2),
      inRack('a-first', 10, 1),
      inRack('too-high', 42, 2),
      inRack('below', 0, 1),
      inRack('no-height', 5, 0),
    ]);
    expect(view.slots.map((s) => s.device.id)).toEqual(['a-first']);
    expect(view.misplaced.map((m) => [m.device.id, m.reason])).toEqual([
      ['below', 'outOfRack'],
      ['no-height', 'outOfRack'],
      ['b-second', 'overlap'],
      ['too-high', 'outOfRack'],
    ]);
  });
});

describe('buildZones', () => {
  it('lays out each zone: its rooms in inventory order, every rack (empty ones too), devices outside racks', () => {
    const zones = buildZones(fixtureInventory());
    expect(zones.map((z) => z.zone?.id)).toEqual(['zone-a', 'zone-b']);
    const [a] = zones;
    expect(a?.rooms.map((r) => [r.id, r.name])).toEqual([
      ['zone-a-hall', 'Zone A data hall'],
      ['zone-a-power', 'Zone A power room'],
    ]);
    const hall = a?.rooms[0];
    expect(hall?.racks.map((r) => r.rack.id)).toEqual(['zone-a-r01', 'zone-a-r02']);
    expect(hall?.racks[0]?.slots.map((s) => s.device.id)).toEqual(['a-core-sw']);
    expect(hall?.racks[0]?.misplaced.map((m) => [m.device.id, m.reason])).toEqual([
      ['a-server-9', 'overlap'],
    ]);
    expect(hall?.racks[1]?.slots.map((s) => [s.device.id, s.row, s.span])).toEqual([['a-pdu-1', 41, 2]]);
    expect(a?.rooms[1]?.racks).toEqual([]);
    expect(a?.rooms[1]?.loose.map((d) => d.id)).toEqual(['a-ups-1', 'a-ups-2']);
  });

  it('keeps devices of an unlisted room, rack or zone, and those in no room, rather than hiding them', () => {
    const inventory = fixtureInventory([
      ...fixtureDevices,
      device({
        id: 'ghost-rack',
        name: 'In a ghost rack',
        rack: { id: 'nowhere', positionU: 3, heightU: 1 },
      }),
      device({ id: 'cellar', name: 'In the cellar', room: 'cellar' }),
      device({ id: 'roomless', name: 'No room', room: null }),
      device({ id: 'elsewhere', name: 'Other zone', zone: 'zone-z', room: null }),
    ]);
    const zones = buildZones(inventory);
    const a = zones[0];
    expect(a?.rooms.map((r) => r.id)).toEqual(['zone-a-hall', 'zone-a-power', 'cellar', null]);
    expect(a?.rooms[0]?.loose.map((d) => d.id)).toEqual(['ghost-rack']);
    expect(a?.rooms[2]).toMatchObject({ id: 'cellar', name: null });
    expect(a?.rooms[3]?.loose.map((d) => d.id)).toEqual(['roomless']);
    expect(zones.map((z) => z.zone?.id ?? null)).toEqual(['zone-a', 'zone-b', null]);
    expect(zones[2]?.devices.map((d) => d.id)).toEqual(['elsewhere']);
    const shown = zones.flatMap((z) => readingOrder(z).map((d) => d.id));
    expect([...shown].sort()).toEqual(inventory.devices.map((d) => d.id).sort());
  });
});

describe('readingOrder', () => {
  it('goes room by room, each rack from its top U down with its misplaced devices, then devices outside racks', () => {
    const [a] = buildZones(fixtureInventory());
    expect(a && readingOrder(a).map((d) => d.id)).toEqual([
      'a-core-sw',
      'a-server-9',
      'a-pdu-1',
      'a-ups-1',
      'a-ups-2',
    ]);
  });
});

describe('matchesFilter', () => {
  it('matches name, id, role, kind and address, ignoring case and accents', () => {
    const ups = device({
      id: 'a-ups-1',
      name: 'Onduleur Été',
      kind: 'ups',
      role: 'UPS',
      address: '10.1.2.3',
    });
    expect(matchesFilter(ups, '')).toBe(true);
    expect(matchesFilter(ups, 'ete')).toBe(true);
    expect(matchesFilter(ups, 'A-UPS')).toBe(true);
    expect(matchesFilter(ups, '10.1.2')).toBe(true);
    expect(matchesFilter(ups, 'switch')).toBe(false);
  });
});
