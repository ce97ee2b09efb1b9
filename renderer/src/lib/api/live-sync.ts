/**
 * Keeps the query cache live: push events update it (respecting revisions), and every reconnect
 * re-fetches everything, because events sent while the link was down are lost for good.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { EventPayload } from '../../../../shared/api';
import { applyAlarmsChangedBatch, applyHandoverChanged } from './alarm-queries';
import { useApi } from './api-context';
import { applyDashboardsChanged } from './dashboard-queries';
import { applyHostKeyChanged, applyTrapReceived } from './diagnostics-queries';
import { applyMaintenanceChanged } from './maintenance-queries';
import { metricKeys } from './metric-queries';
import { applyOverview, queryKeys } from './queries';

/**
 * Subscribes to an event the console can live without: a bridge that refuses it (a preload whose
 * allow-list predates the event) costs that live update, not the whole console. Metric sources
 * are also polled (metric-queries.ts).
 */
function subscribeOptional(subscribe: () => () => void): () => void {
  try {
    return subscribe();
  } catch (err: unknown) {
    console.warn('[vigie] an optional event subscription was refused', err);
    return () => undefined;
  }
}

/** The shortest time between two applications of `alarms.changed` (see coalesceAlarmChanges). */
export const ALARMS_APPLY_INTERVAL_MS = 100;

/**
 * `alarms.changed` events applied at most once per ALARMS_APPLY_INTERVAL_MS: an event after a
 * quiet spell is applied at once; those that follow within the interval wait for its end and are
 * applied together (one merge of the list, one render), so a burst of changes to 10,000 alarms
 * costs a few renders a second rather than one per event. A timer rather than an animation frame:
 * a hidden or minimised console must still take its alarms in (counts, sound).
 */
export function coalesceAlarmChanges(
  apply: (events: readonly EventPayload<'alarms.changed'>[]) => void,
  intervalMs = ALARMS_APPLY_INTERVAL_MS,
): {
  push: (event: EventPayload<'alarms.changed'>) => void;
  /** Applies what waits now (before a new epoch of the revision guard starts). */
  flush: () => void;
  dispose: () => void;
} {
  let pending: EventPayload<'alarms.changed'>[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastApplied = -Infinity;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    lastApplied = performance.now();
    apply(events);
  };
  return {
    push(event) {
      pending.push(event);
      if (timer !== null) return;
      const wait = lastApplied + intervalMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    flush,
    dispose() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = [];
    },
  };
}

export function useLiveSync(): void {
  const { transport, guard } = useApi();
  const queryClient = useQueryClient();
  useEffect(() => {
    const offOverview = transport.bridge.on('overview.changed', (overview) =>
      applyOverview(queryClient, guard, overview),
    );
    const offScenarios = transport.bridge.on('estate.scenarioChanged', (state) => {
      queryClient.setQueryData(queryKeys.scenarios, state);
    });
    const offSources = subscribeOptional(() =>
      transport.bridge.on('metrics.sourcesChanged', (sources) => {
        queryClient.setQueryData(metricKeys.sources, sources);
      }),
    );
    const offDashboards = subscribeOptional(() =>
      transport.bridge.on('dashboards.changed', (payload) => applyDashboardsChanged(queryClient, payload)),
    );
    const offTraps = subscribeOptional(() =>
      transport.bridge.on('traps.received', (event) => applyTrapReceived(queryClient, event)),
    );
    const offHostKeys = subscribeOptional(() =>
      transport.bridge.on('diagnostics.hostKeyChanged', (event) => applyHostKeyChanged(queryClient, event)),
    );
    const alarmChanges = coalesceAlarmChanges((events) =>
      applyAlarmsChangedBatch(queryClient, guard, events),
    );
    const offAlarmEvents = subscribeOptional(() => transport.bridge.on('alarms.changed', alarmChanges.push));
    const offAlarms = () => {
      offAlarmEvents();
      alarmChanges.dispose();
    };
    const offHandovers = subscribeOptional(() =>
      transport.bridge.on('handover.changed', (handover) => applyHandoverChanged(queryClient, handover)),
    );
    const offMaintenance = subscribeOptional(() =>
      transport.bridge.on('maintenance.changed', (list) => applyMaintenanceChanged(queryClient, list)),
    );
    let wasOpen = transport.getState().kind === 'open';
    let openedBefore = wasOpen;
    const offState = transport.subscribe(() => {
      const isOpen = transport.getState().kind === 'open';
      // Events of the link that was are applied within its epoch.
      if (isOpen !== wasOpen) alarmChanges.flush();
      if (isOpen && !wasOpen) {
        guard.newEpoch();
        // The first open fetches through `enabled`; a re-open must re-fetch what is already held.
        if (openedBefore) void queryClient.invalidateQueries();
        openedBefore = true;
      }
      wasOpen = isOpen;
    });
    return () => {
      offOverview();
      offScenarios();
      offSources();
      offDashboards();
      offTraps();
      offHostKeys();
      offAlarms();
      offHandovers();
      offMaintenance();
      offState();
    };
  }, [transport, guard, queryClient]);
}
