/**
 * The alarm channels as a person scoped to some clients may use them: lists and details cut to
 * their services' alarms, actions on any other alarm answered NOT_FOUND (as if it did not exist:
 * an id must not confirm what another institution has), handovers withheld (a handover covers
 * the whole room). Unrestricted principals go straight through.
 */
import { VigieError } from '../../../shared/api';
import type { Alarm } from '../../../shared/domain/alarm';
import type { AlarmsChannel } from '../alarms-setup';
import type { Handlers } from './dispatch';
import type { Scope } from './scope';

type AlarmHandlers = Pick<Handlers, AlarmsChannel>;

const ACTIONS = [
  'alarms.acknowledge',
  'alarms.snooze',
  'alarms.unacknowledge',
  'alarms.resolve',
  'alarms.close',
  'alarms.assign',
  'alarms.setSeverity',
  'alarms.escalate',
] as const satisfies readonly AlarmsChannel[];

export function scopedAlarmHandlers(
  base: AlarmHandlers,
  service: { snapshot(): Alarm[] },
  scope: Scope,
): AlarmHandlers {
  const notFound = (id: string): VigieError => new VigieError('NOT_FOUND', `no alarm "${id}"`);
  const visibleId = (id: string, p: Parameters<Scope['alarmVisible']>[1]): boolean => {
    const alarm = service.snapshot().find((a) => a.id === id);
    return alarm !== undefined && scope.alarmVisible(alarm, p);
  };
  const wrapped: AlarmHandlers = {
    ...base,
    'alarms.list': async (req, ctx) => scope.alarmList(await base['alarms.list'](req, ctx), ctx.principal),
    'alarms.get': async (req, ctx) => {
      if (!scope.unrestricted(ctx.principal) && !visibleId(req.id, ctx.principal)) throw notFound(req.id);
      const detail = scope.alarmDetail(await base['alarms.get'](req, ctx), ctx.principal);
      if (detail === null) throw notFound(req.id);
      return detail;
    },
    'alarms.history': async (req, ctx) => {
      const all = await base['alarms.history'](req, ctx);
      if (scope.unrestricted(ctx.principal)) return all;
      const alarms = all.alarms.filter((a) => scope.alarmVisible(a, ctx.principal));
      const ids = new Set(alarms.map((a) => a.id));
      return { alarms, entries: all.entries.filter((e) => ids.has(e.alarmId)) };
    },
  };
  for (const channel of [
    'handover.draft',
    'handover.list',
    'handover.submit',
    'handover.acknowledge',
  ] as const) {
    const inner = base[channel] as (
      req: unknown,
      ctx: Parameters<AlarmHandlers[typeof channel]>[1],
    ) => Promise<unknown>;
    (wrapped as Record<string, unknown>)[channel] = (
      req: unknown,
      ctx: Parameters<AlarmHandlers[typeof channel]>[1],
    ) => {
      if (!scope.unrestricted(ctx.principal))
        return Promise.reject(
          new VigieError('FORBIDDEN', 'handovers cover the whole supervision room, not one client'),
        );
      return inner(req, ctx);
    };
  }
  for (const channel of ACTIONS) {
    const inner = base[channel] as (
      req: { id: string },
      ctx: Parameters<AlarmHandlers[typeof channel]>[1],
    ) => Promise<Alarm>;
    (wrapped as Record<string, unknown>)[channel] = (
      req: { id: string },
      ctx: Parameters<AlarmHandlers[typeof channel]>[1],
    ) => {
      if (!scope.unrestricted(ctx.principal) && !visibleId(req.id, ctx.principal))
        return Promise.reject(notFound(req.id));
      return inner(req, ctx);
    };
  }
  return wrapped;
}
