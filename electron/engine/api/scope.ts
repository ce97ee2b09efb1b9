/**
 * What a principal may see of what the engine pushes and answers (issue 6, "per client scoping
 * of what a person sees"). Two rules:
 *
 * - every push event needs a capability, like the channel that reads the same data: a seat
 *   without it (an anonymous seat where anonymous viewing is off, a locked seat) gets nothing;
 * - a person scoped to some clients sees the services run for those clients, and the alarms
 *   about them: shared infrastructure (devices, zones, sources) stays hidden, and counts are
 *   those of what they see, so nothing leaks through a number.
 */
import {
  ALL_CLIENTS,
  type AlarmDetail,
  type AlarmList,
  type AlarmsChanged,
  type Capability,
  type EventName,
  type EventPayload,
  type Overview,
} from '../../../shared/api';
import { countAlarms, type Alarm } from '../../../shared/domain/alarm';
import { countByStatus, worstStatus } from '../../../shared/domain/status';
import type { Principal } from '../ports/principal';

/** The capability each push event needs (the one of the channel that reads the same data). */
export const EVENT_ACCESS: Readonly<Record<EventName, Capability>> = {
  'overview.changed': 'view',
  'estate.scenarioChanged': 'view',
  'metrics.sourcesChanged': 'view.infrastructure',
  'dashboards.changed': 'view.infrastructure',
  'traps.received': 'view.infrastructure',
  'diagnostics.hostKeyChanged': 'view.infrastructure',
  'alarms.changed': 'view',
  'alarms.notified': 'view',
  'handover.changed': 'view',
  'maintenance.changed': 'view',
};

export interface Scope {
  /** Whether the principal sees everything (no client restriction). */
  unrestricted(p: Principal): boolean;
  overview(o: Overview, p: Principal): Overview;
  alarmVisible(a: Alarm, p: Principal): boolean;
  alarmList(list: AlarmList, p: Principal): AlarmList;
  alarmDetail(detail: AlarmDetail, p: Principal): AlarmDetail | null;
  /** The event as this principal may receive it, or null when it may not. */
  event<E extends EventName>(event: E, payload: EventPayload<E>, p: Principal): EventPayload<E> | null;
}

/**
 * `clientOf(serviceId)`: the client the service is run for, or null (none, or not a service);
 * `alarms()`: every alarm the engine holds, for a scoped person's counts.
 */
export function createScope(
  clientOf: (serviceId: string) => string | null,
  alarms: () => readonly Alarm[],
): Scope {
  const unrestricted = (p: Principal): boolean => p.clients.includes(ALL_CLIENTS);
  const serviceVisible = (id: string, p: Principal): boolean => {
    const client = clientOf(id);
    return client !== null && p.clients.includes(client);
  };
  const alarmVisible = (a: Alarm, p: Principal): boolean =>
    unrestricted(p) || (a.subject.kind === 'service' && serviceVisible(a.subject.id, p));

  function overview(o: Overview, p: Principal): Overview {
    if (unrestricted(p)) return o;
    const tiles = o.tiles.filter((t) => t.kind === 'service' && serviceVisible(t.id, p));
    const zones = o.zones
      .map((z) => {
        const mine = tiles.filter((t) => t.zoneId === z.id).map((t) => t.status);
        return { ...z, status: worstStatus(mine), counts: countByStatus(mine) };
      })
      .filter((z) => tiles.some((t) => t.zoneId === z.id));
    const statuses = tiles.map((t) => t.status);
    return { ...o, tiles, zones, counts: countByStatus(statuses), status: worstStatus(statuses) };
  }

  function alarmList(list: AlarmList, p: Principal): AlarmList {
    if (unrestricted(p)) return list;
    const visible = list.alarms.filter((a) => alarmVisible(a, p));
    const ids = new Set(visible.map((a) => a.id));
    return {
      ...list,
      alarms: visible,
      counts: countAlarms(alarms().filter((a) => alarmVisible(a, p))),
      escalations: Object.fromEntries(Object.entries(list.escalations).filter(([id]) => ids.has(id))),
    };
  }

  function alarmDetail(detail: AlarmDetail, p: Principal): AlarmDetail | null {
    if (unrestricted(p)) return detail;
    if (!alarmVisible(detail.alarm, p)) return null;
    return {
      ...detail,
      children: detail.children.filter((a) => alarmVisible(a, p)),
      related: detail.related.filter((a) => alarmVisible(a, p)),
    };
  }

  function event<E extends EventName>(
    name: E,
    payload: EventPayload<E>,
    p: Principal,
  ): EventPayload<E> | null {
    if (!p.capabilities.includes(EVENT_ACCESS[name])) return null;
    if (unrestricted(p)) return payload;
    switch (name) {
      case 'overview.changed':
        return overview(payload as Overview, p) as EventPayload<E>;
      case 'alarms.changed': {
        const changed = payload as AlarmsChanged;
        const visible = changed.alarms.filter((a) => alarmVisible(a, p));
        const ids = new Set(visible.map((a) => a.id));
        // The store's counts would tell a scoped person about alarms they cannot see.
        return {
          ...changed,
          alarms: visible,
          counts: countAlarms(alarms().filter((a) => alarmVisible(a, p))),
          escalations: Object.fromEntries(Object.entries(changed.escalations).filter(([id]) => ids.has(id))),
        } as EventPayload<E>;
      }
      case 'alarms.notified': {
        const n = payload as EventPayload<'alarms.notified'>;
        return (alarmVisible(n.alarm, p) ? n : null) as EventPayload<E> | null;
      }
      case 'handover.changed':
        // A handover digest covers the whole room's alarms: for the room's operators only.
        return null;
      case 'estate.scenarioChanged':
      case 'maintenance.changed':
      case 'metrics.sourcesChanged':
      case 'dashboards.changed':
      case 'traps.received':
      case 'diagnostics.hostKeyChanged':
        return payload;
    }
  }

  return { unrestricted, overview, alarmVisible, alarmList, alarmDetail, event };
}
