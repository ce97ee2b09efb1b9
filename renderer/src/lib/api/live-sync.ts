/**
 * Keeps the query cache live: push events update it (respecting revisions), and every reconnect
 * re-fetches everything, because events sent while the link was down are lost for good.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { applyAlarmsChanged, applyHandoverChanged } from './alarm-queries';
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
    const offAlarms = subscribeOptional(() =>
      transport.bridge.on('alarms.changed', (event) => applyAlarmsChanged(queryClient, guard, event)),
    );
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
