/**
 * Keeps the query cache live: push events update it (respecting revisions), and every reconnect
 * re-fetches everything, because events sent while the link was down are lost for good.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useApi } from './api-context';
import { applyOverview, queryKeys } from './queries';

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
      offState();
    };
  }, [transport, guard, queryClient]);
}
