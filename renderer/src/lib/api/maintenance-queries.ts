/**
 * Maintenance windows over the bridge: the list is asked once (`maintenance.list`) and replaced
 * whole by every `maintenance.changed` (the engine sends the full list, and every seat gets it,
 * so a window planned on another seat shows at once). A save or delete answered to this seat is
 * applied to the held list straight away, so the panel does not wait for the event.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { EventPayload, MaintenanceEntry, RequestIn } from '../../../../shared/api';
import { useApi, useConnectionState } from './api-context';
import { call } from './bridge-error';

export type MaintenanceList = EventPayload<'maintenance.changed'>;
export type MaintenanceSaveRequest = RequestIn<'maintenance.save'>;

export const maintenanceKeys = {
  list: ['maintenance.list'] as const,
};

function useLinkOpen(): boolean {
  return useConnectionState().kind === 'open';
}

/** Applies a `maintenance.changed` event: the engine's whole list, as it stands. */
export function applyMaintenanceChanged(queryClient: QueryClient, list: MaintenanceList): void {
  queryClient.setQueryData<MaintenanceList>(maintenanceKeys.list, list);
}

export function useMaintenanceList() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<MaintenanceList>({
    queryKey: maintenanceKeys.list,
    queryFn: () => call(transport.bridge, 'maintenance.list', {}),
    enabled: open,
  });
}

export function useSaveMaintenance() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: MaintenanceSaveRequest) => call(transport.bridge, 'maintenance.save', request),
    onSuccess: (entry: MaintenanceEntry) =>
      queryClient.setQueryData<MaintenanceList>(maintenanceKeys.list, (held) => {
        if (!held) return held;
        const others = held.windows.filter((e) => e.window.id !== entry.window.id);
        // The engine lists by id: keep its order so the event that follows changes nothing.
        const windows = [...others, entry].sort((a, b) => a.window.id.localeCompare(b.window.id));
        return { windows };
      }),
  });
}

export function useDeleteMaintenance() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: RequestIn<'maintenance.delete'>) =>
      call(transport.bridge, 'maintenance.delete', request),
    onSuccess: ({ id }) =>
      queryClient.setQueryData<MaintenanceList>(maintenanceKeys.list, (held) =>
        held ? { windows: held.windows.filter((e) => e.window.id !== id) } : held,
      ),
  });
}
