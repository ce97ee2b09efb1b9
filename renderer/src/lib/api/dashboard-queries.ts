/**
 * Dashboards over the bridge: the list (pushed by `dashboards.changed`, see live-sync.ts), one
 * dashboard with its summary, and the save, delete, import and export calls. A save names the
 * revision the editor started from, so the engine refuses (CONFLICT) to overwrite a newer one.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { EventPayload, ResponseOf } from '../../../../shared/api';
import type { Dashboard } from '../../../../shared/domain/dashboard';
import { useApi, useConnectionState } from './api-context';
import { call } from './bridge-error';

export type DashboardEntry = ResponseOf<'dashboards.get'>;
export type DashboardList = ResponseOf<'dashboards.list'>;
export type DashboardImport = ResponseOf<'dashboards.import'>;

export const dashboardKeys = {
  list: ['dashboards.list'] as const,
  get: (id: string) => ['dashboards.get', id] as const,
};

/** A safety net against a lost `dashboards.changed` event. */
const LIST_SAFETY_REFETCH_MS = 60_000;

/** Puts a pushed list in the cache and re-reads every held dashboard whose revision moved. */
export function applyDashboardsChanged(
  queryClient: QueryClient,
  payload: EventPayload<'dashboards.changed'>,
): void {
  queryClient.setQueryData(dashboardKeys.list, payload);
  for (const summary of payload.dashboards) {
    const held = queryClient.getQueryData<DashboardEntry>(dashboardKeys.get(summary.id));
    if (held && held.summary.revision !== summary.revision)
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.get(summary.id) });
  }
}

function useLinkOpen(): boolean {
  return useConnectionState().kind === 'open';
}

/** The list of dashboards; `wanted` false: not asked (a view that may not need it). */
export function useDashboards(wanted = true) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery({
    queryKey: dashboardKeys.list,
    queryFn: () => call(transport.bridge, 'dashboards.list', {}),
    enabled: open && wanted,
    refetchInterval: LIST_SAFETY_REFETCH_MS,
  });
}

export function useDashboard(id: string | null) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery({
    queryKey: dashboardKeys.get(id ?? ''),
    queryFn: () => call(transport.bridge, 'dashboards.get', { id: id ?? '' }),
    enabled: open && id !== null && id !== '',
  });
}

export interface SaveDashboardRequest {
  readonly dashboard: Dashboard;
  /** The revision the editor started from; absent for a new dashboard. */
  readonly baseRevision?: number;
}

export function useSaveDashboard() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: SaveDashboardRequest) =>
      call(
        transport.bridge,
        'dashboards.save',
        request.baseRevision === undefined
          ? { dashboard: request.dashboard }
          : { dashboard: request.dashboard, baseRevision: request.baseRevision },
      ),
    onSuccess: (entry) => {
      queryClient.setQueryData(dashboardKeys.get(entry.summary.id), entry);
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.list });
    },
  });
}

export function useDeleteDashboard() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(transport.bridge, 'dashboards.delete', { id }),
    onSuccess: ({ id }) => {
      queryClient.removeQueries({ queryKey: dashboardKeys.get(id) });
      void queryClient.invalidateQueries({ queryKey: dashboardKeys.list });
    },
  });
}

export function useImportDashboard() {
  const { transport } = useApi();
  return useMutation({
    mutationFn: (json: string) => call(transport.bridge, 'dashboards.import', { json }),
  });
}

export function useExportDashboard() {
  const { transport } = useApi();
  return useMutation({
    mutationFn: (id: string) => call(transport.bridge, 'dashboards.export', { id }),
  });
}
