/**
 * Server state over the bridge. Data is pushed by events, so queries never go stale on their own
 * (staleTime: Infinity); they fetch when the link opens, again after every reconnect (see
 * live-sync.ts), and the overview once a minute as a safety net against a lost event.
 */
import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Overview, ResponseOf } from '../../../../shared/api';
import { useApi, useConnectionState } from './api-context';
import { call, isTransient } from './bridge-error';
import type { RevisionGuard } from './revision-guard';

export type AppInfo = ResponseOf<'app.info'>;
export type ScenarioState = ResponseOf<'estate.scenarios'>;

export const queryKeys = {
  appInfo: ['app.info'],
  overview: ['overview'],
  scenarios: ['estate.scenarios'],
} as const;

const OVERVIEW_STREAM = 'overview';
const OVERVIEW_SAFETY_REFETCH_MS = 60_000;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        retry: (failures, err) => failures < 3 && isTransient(err),
        retryDelay: (attempt) => Math.min(1_000 * 2 ** attempt, 10_000),
      },
      mutations: { retry: false },
    },
  });
}

/** Applies an overview unless an equal or newer one of this epoch is already held. */
export function applyOverview(queryClient: QueryClient, guard: RevisionGuard, overview: Overview): void {
  if (guard.accept(OVERVIEW_STREAM, overview.revision))
    queryClient.setQueryData(queryKeys.overview, overview);
}

function useLinkOpen(): boolean {
  return useConnectionState().kind === 'open';
}

export function useAppInfo() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery({
    queryKey: queryKeys.appInfo,
    queryFn: () => call(transport.bridge, 'app.info', {}),
    enabled: open,
  });
}

export function useOverview() {
  const { transport, guard } = useApi();
  const queryClient = useQueryClient();
  const open = useLinkOpen();
  return useQuery({
    queryKey: queryKeys.overview,
    queryFn: async (): Promise<Overview> => {
      const fresh = await call(transport.bridge, 'overview.get', {});
      if (guard.accept(OVERVIEW_STREAM, fresh.revision)) return fresh;
      // An event overtook this response: keep the newer overview already held.
      return queryClient.getQueryData<Overview>(queryKeys.overview) ?? fresh;
    },
    enabled: open,
    refetchInterval: OVERVIEW_SAFETY_REFETCH_MS,
  });
}

export function useScenarios() {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery({
    queryKey: queryKeys.scenarios,
    queryFn: () => call(transport.bridge, 'estate.scenarios', {}),
    enabled: open,
  });
}

export function useRunScenario() {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(transport.bridge, 'estate.runScenario', { id }),
    onSuccess: (state) => queryClient.setQueryData(queryKeys.scenarios, state),
  });
}
