/**
 * Alarms and the shift handover over the bridge. The open alarms are asked once (`alarms.list`)
 * and then kept live by `alarms.changed` (coalesced and applied in live-sync.ts): every alarm carries its own
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
 * Where each alarm of a held list sits, kept beside the list (never copied into the cache): a
 * change that only replaces alarms reuses it, so applying a change costs what changed, not the
 * 10,000 alarms held.
 */
const positions = new WeakMap<readonly Alarm[], ReadonlyMap<string, number>>();

function positionsOf(alarms: readonly Alarm[]): ReadonlyMap<string, number> {
  let index = positions.get(alarms);
  if (!index) {
    index = new Map(alarms.map((alarm, at) => [alarm.id, at]));
    positions.set(alarms, index);
  }
  return index;
}

/** `incoming` over `held` (see mergeAlarms), or null when it changes nothing. */
function mergeChanges(held: readonly Alarm[], incoming: readonly Alarm[]): Alarm[] | null {
  // The newest copy of each alarm the changes name (a batch may name one several times).
  const newest = new Map<string, Alarm>();
  for (const alarm of incoming) {
    const seen = newest.get(alarm.id);
    if (!seen || alarm.revision > seen.revision) newest.set(alarm.id, alarm);
  }
  const index = positionsOf(held);
  const replaced = new Map<number, Alarm>();
  const removed = new Set<number>();
  const added: Alarm[] = [];
  for (const alarm of newest.values()) {
    const at = index.get(alarm.id);
    const current = at === undefined ? undefined : held[at];
    if (current && current.revision >= alarm.revision) continue;
    if (alarm.state === 'closed') {
      if (at !== undefined) removed.add(at);
    } else if (at !== undefined) replaced.set(at, alarm);
    else added.push(alarm);
  }
  if (replaced.size === 0 && removed.size === 0 && added.length === 0) return null;
  if (removed.size === 0) {
    const next = held.slice();
    for (const [at, alarm] of replaced) next[at] = alarm;
    next.push(...added);
    // Same places for the same alarms: the index carries over (new ones are indexed when asked).
    if (added.length === 0) positions.set(next, index);
    return next;
  }
  const next: Alarm[] = [];
  held.forEach((alarm, at) => {
    if (!removed.has(at)) next.push(replaced.get(at) ?? alarm);
  });
  next.push(...added);
  return next;
}

/**
 * `incoming` applied over `held`, alarm by alarm: a held alarm is replaced only by a copy with a
 * higher revision; a closed alarm leaves the list (it is no longer open). The held order is kept
 * (new alarms at the end); the list sorts for itself.
 */
export function mergeAlarms(held: readonly Alarm[], incoming: readonly Alarm[]): Alarm[] {
  return mergeChanges(held, incoming) ?? held.slice();
}

/**
 * Applies `alarms.changed` events (several at once when live-sync coalesced them, in the order
 * they came; or a mutation's answer, with `event` limited to its alarm): the list once, whatever
 * the number of events.
 */
export function applyAlarmsChangedBatch(
  queryClient: QueryClient,
  guard: RevisionGuard,
  events: readonly EventPayload<'alarms.changed'>[],
): void {
  if (events.length === 0) return;
  const held = queryClient.getQueryData<AlarmList>(alarmKeys.list);
  if (held) {
    let { revision, counts } = held;
    let escalations: AlarmList['escalations'] | null = null;
    const incoming: Alarm[] = [];
    for (const event of events) {
      for (const alarm of event.alarms) incoming.push(alarm);
      // Counts and escalations are the store's as of the event: only a newer event replaces them.
      if (!guard.accept(ALARMS_STREAM, event.revision)) continue;
      revision = event.revision;
      counts = event.counts;
      escalations ??= { ...held.escalations };
      for (const [id, status] of Object.entries(event.escalations)) {
        if (status === null) delete escalations[id];
        else escalations[id] = status;
      }
    }
    const alarms = mergeChanges(held.alarms, incoming) ?? held.alarms;
    // An escalation of an alarm no longer open goes with it.
    const kept = escalations ?? held.escalations;
    const gone = Object.keys(kept).filter((id) => !positionsOf(alarms).has(id));
    if (gone.length > 0) {
      escalations ??= { ...held.escalations };
      for (const id of gone) delete escalations[id];
    }
    if (alarms !== held.alarms || escalations !== null || revision !== held.revision)
      queryClient.setQueryData<AlarmList>(alarmKeys.list, {
        ...held,
        revision,
        alarms,
        counts,
        escalations: escalations ?? held.escalations,
      });
  } else {
    // Nothing held yet: a list request in flight may predate these events, so ask again.
    void queryClient.invalidateQueries({ queryKey: alarmKeys.list });
  }
  // The detail of a changed alarm (and of its parent, whose children changed) is asked again.
  const ids = new Set<string>();
  for (const event of events)
    for (const alarm of event.alarms) {
      ids.add(alarm.id);
      if (alarm.parentId !== null) ids.add(alarm.parentId);
    }
  for (const id of ids) void queryClient.invalidateQueries({ queryKey: alarmKeys.detail(id) });
  // The handover draft is "as it stands now".
  void queryClient.invalidateQueries({ queryKey: alarmKeys.handoverDraft });
}

/** Applies one `alarms.changed` event (or a mutation's answer, with `event` limited to its alarm). */
export function applyAlarmsChanged(
  queryClient: QueryClient,
  guard: RevisionGuard,
  event: EventPayload<'alarms.changed'>,
): void {
  applyAlarmsChangedBatch(queryClient, guard, [event]);
}

/** An alarm one of this seat's actions changed: applied like an event, counts left to the event. */
function applyChangedAlarm(queryClient: QueryClient, alarm: Alarm): void {
  queryClient.setQueryData<AlarmList>(alarmKeys.list, (held) => {
    const alarms = held ? mergeChanges(held.alarms, [alarm]) : null;
    return held && alarms ? { ...held, alarms } : held;
  });
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
