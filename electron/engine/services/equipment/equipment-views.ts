/**
 * What `equipment.inventory` and `equipment.device` answer: the inventory without secrets, each
 * device's status and poll health, and its profile results. A device that never answered, or no
 * longer answers, is `unknown`: never up, never zero.
 */
import type {
  EquipmentDevice,
  EquipmentDeviceDetail,
  EquipmentEventView,
  EquipmentInventory,
} from '../../../../shared/api/equipment';
import { VigieError } from '../../../../shared/api/envelope';
import { worstStatus } from '../../../../shared/domain/status';
import type { DeviceDef, Inventory } from '../../inventory/schema';
import { DEFAULT_PROFILES, type EquipmentEvent, type EquipmentService } from './equipment-service';

function deviceView(def: DeviceDef, equipment: EquipmentService): EquipmentDevice {
  const health = equipment.health(def.id);
  const results = equipment.latest(def.id);
  const answering = health.lastSuccessAt !== null && health.consecutiveFailures === 0;
  return {
    id: def.id,
    zone: def.zone,
    room: def.room ?? null,
    rack: def.rack ? { id: def.rack.id, positionU: def.rack.positionU, heightU: def.rack.heightU } : null,
    name: def.name,
    kind: def.kind,
    role: def.role ?? null,
    address: def.address,
    snmp:
      def.snmp.version === '2c'
        ? { version: '2c', port: def.snmp.port, user: null, level: null }
        : { version: '3', port: def.snmp.port, user: def.snmp.user, level: def.snmp.level },
    ssh: { configured: def.ssh !== undefined, templates: def.ssh?.templates ?? [] },
    profiles: [...(def.profiles ?? DEFAULT_PROFILES[def.kind])],
    status: answering && results.length > 0 ? worstStatus(results.map((r) => r.status)) : 'unknown',
    health: {
      ...health,
      lastError: health.lastError
        ? { ...health.lastError, message: health.lastError.message.slice(0, 2000) }
        : null,
    },
  };
}

export function equipmentInventoryView(
  inventory: Inventory,
  equipment: EquipmentService,
): EquipmentInventory {
  return {
    zones: inventory.zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind })),
    rooms: inventory.rooms.map((r) => ({ id: r.id, zone: r.zone, name: r.name })),
    racks: inventory.racks.map((r) => ({ id: r.id, room: r.room, name: r.name, heightU: r.heightU })),
    devices: inventory.devices.map((d) => deviceView(d, equipment)),
  };
}

function eventView(e: EquipmentEvent): EquipmentEventView {
  switch (e.kind) {
    case 'reboot':
      return {
        kind: e.kind,
        device: e.device,
        at: e.at,
        detail: `rebooted (up ${Math.round(e.uptimeSeconds)} s)`,
      };
    case 'counterDiscontinuity':
      return {
        kind: e.kind,
        device: e.device,
        at: e.at,
        detail: `counter discontinuity on ${e.metric}${e.instance ? ` [${Object.values(e.labels)[0] ?? e.instance}]` : ''}`,
      };
    case 'unreachable':
      return { kind: e.kind, device: e.device, at: e.at, detail: `${e.code}: ${e.message}`.slice(0, 2000) };
    case 'reachable':
      return { kind: e.kind, device: e.device, at: e.at, detail: 'answering again' };
  }
}

export function equipmentDeviceView(
  inventory: Inventory,
  equipment: EquipmentService,
  id: string,
): EquipmentDeviceDetail {
  const def = inventory.devices.find((d) => d.id === id);
  if (!def) throw new VigieError('NOT_FOUND', `no device "${id}"`);
  const names = new Map(equipment.profilesOf(def).map((p) => [p.id, p.name]));
  return {
    device: deviceView(def, equipment),
    profiles: equipment.latest(id).map((r) => ({
      profile: r.profile,
      name: names.get(r.profile) ?? r.profile,
      at: r.at,
      status: r.status,
      conditions: r.conditions
        .filter((c) => c.affectsProfile || c.status !== 'up')
        .map((c) => ({
          name: c.name,
          instance: c.instance,
          labels: { ...c.labels },
          status: c.status,
          detail: c.detail.slice(0, 2000),
        })),
      readings: r.readings.map((x) => ({
        metric: x.metric,
        table: x.table,
        instance: x.instance,
        labels: { ...x.labels },
        value: x.value,
        label: x.label,
        unit: x.unit,
        status: x.status,
        threshold: x.threshold,
        reason: x.reason ? { code: x.reason.code, detail: x.reason.detail.slice(0, 2000) } : null,
      })),
      tables: r.tables.map((t) => ({ name: t.name, rows: t.rows })),
    })),
    events: equipment.events(id).slice(-100).map(eventView),
  };
}
