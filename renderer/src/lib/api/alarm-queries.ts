/**
 * Alarms and the shift handover over the bridge. The open alarms are asked once (`alarms.list`)
 * and then kept live by `alarms.changed` (applied in live-sync.ts): every alarm carries its own
 * revision and the held copy is replaced only by a newer one, closed alarms leave the list, and
 * the event's counts replace the held ones unless the event is older than what is held. Operator
 * actions are mutations; their answer (the changed alarm) is applied the same way, so the list
 * does not wait for the event.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  AlarmDetail,
  AlarmList,
  Directory,
  EventPayload,
  Handover,
  HandoverDigest,
  RequestIn,
  VigieBridge,
} from '../../../../shared/api';
import type { Alarm } from '../../../../shared/domain/alarm';
import { useApi, useConnectionState } from './api-context';
import { call } from './bridge-error';
import type { RevisionGuard } from './revision-guard';

export const alarmKeys = {
  list: ['alarms.list'] as const,
  detail: (id: string) => ['alarms.get', id] as const,
  details: ['alarms.get'] as const,
  directory: ['alarms.directory'] as const,
  handoverDraft: ['handover.draft'] as const,
  handovers: ['handover.list'] as const,
};

/** The revision stream of the alarm store (see revision-guard.ts). */
const ALARMS_STREAM = 'alarms';
/** Past handovers the panel lists. */
export const HANDOVER_LIMIT = 20;

function useLinkOpen(): boolean {
  return useConnectionState().kind === 'open';
}

/**
 * `incoming` applied over `held`, alarm by alarm: a held alarm is replaced only by a copy with a
 * higher revision; a closed alarm leaves the list (it is no longer open).
 */
export function mergeAlarms(held: readonly Alarm[], incoming: readonly Alarm[]): Alarm[] {
  const byId = new Map(held.map((alarm) => [alarm.id, alarm]));
  for (const alarm of incoming) {
    const current = byId.get(alarm.id);
    if (current && current.revision >= alarm.revision) continue;
    if (alarm.state === 'closed') byId.delete(alarm.id);
    else byId.set(alarm.id, alarm);
  }
  return [...byId.values()];
}

/** Applies an `alarms.changed` event (or a mutation's answer, with `event` limited to its alarm). */
export function applyAlarmsChanged(
  queryClient: QueryClient,
  guard: RevisionGuard,
  event: EventPayload<'alarms.changed'>,
): void {
  const held = queryClient.getQueryData<AlarmList>(alarmKeys.list);
  if (held) {
    const alarms = mergeAlarms(held.alarms, event.alarms);
    const open = new Set(alarms.map((a) => a.id));
    // Counts and escalations are the store's as of the event: only a newer event replaces them.
    const newer = guard.accept(ALARMS_STREAM, event.revision);
    const escalations = { ...held.escalations };
    if (newer)
      for (const [id, status] of Object.entries(event.escalations)) {
        if (status === null) delete escalations[id];
        else escalations[id] = status;
      }
    for (const id of Object.keys(escalations)) if (!open.has(id)) delete escalations[id];
    queryClient.setQueryData<AlarmList>(alarmKeys.list, {
      ...held,
      revision: newer ? event.revision : held.revision,
      alarms,
      counts: newer ? event.counts : held.counts,
      escalations,
    });
  } else {
    // Nothing held yet: a list request in flight may predate this event, so ask again.
    void queryClient.invalidateQueries({ queryKey: alarmKeys.list });
  }
  // The detail of a changed alarm (and of its parent, whose children changed) is asked again.
  const ids = new Set(event.alarms.flatMap((a) => (a.parentId === null ? [a.id] : [a.id, a.parentId])));
  for (const id of ids) void queryClient.invalidateQueries({ queryKey: alarmKeys.detail(id) });
  // The handover draft is "as it stands now".
  void queryClient.invalidateQueries({ queryKey: alarmKeys.handoverDraft });
}

/** An alarm one of this seat's actions changed: applied like an event, counts left to the event. */
function applyChangedAlarm(queryClient: QueryClient, alarm: Alarm): void {
  queryClient.setQueryData<AlarmList>(alarmKeys.list, (held) =>
    held ? { ...held, alarms: mergeAlarms(held.alarms, [alarm]) } : held,
  );
  void queryClient.invalidateQueries({ queryKey: alarmKeys.detail(alarm.id) });
}

export function useAlarmList() {
  const { transport, guard } = useApi();
  const queryClient = useQueryClient();
  const open = useLinkOpen();
  return useQuery<AlarmList>({
    queryKey: alarmKeys.list,
    queryFn: async () => {
      const fresh = await call(transport.bridge, 'alarms.list', {});
      if (guard.accept(ALARMS_STREAM, fresh.revision)) return fresh;
      // An event overtook this answer: the list it updated is newer.
      return queryClient.getQueryData<AlarmList>(alarmKeys.list) ?? fresh;
    },
    enabled: open,
  });
}

export function useAlarmDetail(id: string | null) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<AlarmDetail>({
    queryKey: alarmKeys.detail(id ?? ''),
    queryFn: () => call(transport.bridge, 'alarms.get', { id: id ?? '' }),
    enabled: open && id !== null,
  });
}

export function useDirectory() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<Directory>({
    queryKey: alarmKeys.directory,
    queryFn: () => call(transport.bridge, 'alarms.directory', {}),
    enabled: open,
  });
}

/** The operator actions on one alarm, each a channel whose answer is the changed alarm. */
export type AlarmActionChannel =
  | 'alarms.acknowledge'
  | 'alarms.snooze'
  | 'alarms.unacknowledge'
  | 'alarms.resolve'
  | 'alarms.close'
  | 'alarms.assign'
  | 'alarms.setSeverity'
  | 'alarms.escalate';

export type AlarmActionRequest = {
  [C in AlarmActionChannel]: { readonly channel: C; readonly request: RequestIn<C> };
}[AlarmActionChannel];

/** One call for every action: they differ by channel and request, and all answer the changed alarm. */
function invokeAction<C extends AlarmActionChannel>(
  bridge: VigieBridge,
  action: { readonly channel: C; readonly request: RequestIn<C> },
): Promise<Alarm> {
  return call(bridge, action.channel, action.request);
}

export function useAlarmAction() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: AlarmActionRequest) => invokeAction(transport.bridge, action),
    onSuccess: (alarm) => applyChangedAlarm(queryClient, alarm),
  });
}

// ------------------------------------------------------------------------------------------
// Shift handover

export function useHandoverDraft() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<HandoverDigest>({
    queryKey: alarmKeys.handoverDraft,
    queryFn: () => call(transport.bridge, 'handover.draft', {}),
    enabled: open,
  });
}

export function useHandovers() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<{ handovers: Handover[] }>({
    queryKey: alarmKeys.handovers,
    queryFn: () => call(transport.bridge, 'handover.list', { limit: HANDOVER_LIMIT }),
    enabled: open,
  });
}

/** A new or taken handover, pushed to every seat (or answered to this one): newest first, no duplicate. */
export function applyHandoverChanged(
  queryClient: QueryClient,
  handover: EventPayload<'handover.changed'>,
): void {
  queryClient.setQueryData<{ handovers: Handover[] }>(alarmKeys.handovers, (held) => {
    if (!held) return held;
    const others = held.handovers.filter((h) => h.id !== handover.id);
    const handovers = [...others, handover]
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, HANDOVER_LIMIT);
    return { handovers };
  });
  void queryClient.invalidateQueries({ queryKey: alarmKeys.handoverDraft });
}

export function useSubmitHandover() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notes: string) => call(transport.bridge, 'handover.submit', { notes }),
    onSuccess: (handover) => applyHandoverChanged(queryClient, handover),
  });
}

export function useAcknowledgeHandover() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { id: string; comment: string }) =>
      call(transport.bridge, 'handover.acknowledge', request),
    onSuccess: (handover) => applyHandoverChanged(queryClient, handover),
  });
}
