/**
 * A device's SNMP traps and SSH diagnostics over the bridge. The trap list is asked once and then
 * kept live by `traps.received` (applied in live-sync.ts); the host key state by
 * `diagnostics.hostKeyChanged`. Probing, confirming and running are operator actions (mutations).
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { EventPayload, RequestIn, ResponseOf } from '../../../../shared/api';
import { useApi, useConnectionState } from './api-context';
import { call } from './bridge-error';

export type TrapList = ResponseOf<'traps.list'>;
export type HostKeyState = ResponseOf<'diagnostics.hostKey'>;
export type DiagnosticTemplates = ResponseOf<'diagnostics.templates'>;
export type DiagnosticRunResult = ResponseOf<'diagnostics.run'>;

/** Events a device page lists (the newest). */
export const DEVICE_TRAP_LIMIT = 50;

export const diagnosticsKeys = {
  traps: (deviceId: string) => ['traps.list', deviceId] as const,
  templates: (deviceId: string) => ['diagnostics.templates', deviceId] as const,
  hostKey: (deviceId: string) => ['diagnostics.hostKey', deviceId] as const,
};

function useLinkOpen(): boolean {
  return useConnectionState().kind === 'open';
}

export function useDeviceTraps(deviceId: string) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<TrapList>({
    queryKey: diagnosticsKeys.traps(deviceId),
    queryFn: () => call(transport.bridge, 'traps.list', { deviceId, limit: DEVICE_TRAP_LIMIT }),
    enabled: open && deviceId !== '',
  });
}

/** Adds a received trap to the list held for its device (newest first, no duplicate, capped). */
export function applyTrapReceived(queryClient: QueryClient, event: EventPayload<'traps.received'>): void {
  if (event.deviceId === null) return;
  queryClient.setQueryData<TrapList>(diagnosticsKeys.traps(event.deviceId), (held) => {
    if (!held || held.events.some((e) => e.id === event.id)) return held;
    const events = [event, ...held.events].sort((a, b) => b.at - a.at).slice(0, DEVICE_TRAP_LIMIT);
    return { ...held, events };
  });
}

/** A changed host key: ask the device's state again (it holds who pinned what, and when). */
export function applyHostKeyChanged(
  queryClient: QueryClient,
  event: EventPayload<'diagnostics.hostKeyChanged'>,
): void {
  void queryClient.invalidateQueries({ queryKey: diagnosticsKeys.hostKey(event.deviceId) });
}

export function useDiagnosticTemplates(deviceId: string, enabled: boolean) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<DiagnosticTemplates>({
    queryKey: diagnosticsKeys.templates(deviceId),
    queryFn: () => call(transport.bridge, 'diagnostics.templates', { deviceId }),
    enabled: open && enabled && deviceId !== '',
  });
}

export function useHostKey(deviceId: string, enabled: boolean) {
  const { transport } = useApi();
  const open = useLinkOpen();
  return useQuery<HostKeyState>({
    queryKey: diagnosticsKeys.hostKey(deviceId),
    queryFn: () => call(transport.bridge, 'diagnostics.hostKey', { deviceId }),
    enabled: open && enabled && deviceId !== '',
  });
}

export function useProbeHostKey(deviceId: string) {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(transport.bridge, 'diagnostics.probeHostKey', { deviceId }),
    onSuccess: (state) => queryClient.setQueryData(diagnosticsKeys.hostKey(deviceId), state),
  });
}

export function useConfirmHostKey(deviceId: string) {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fingerprint: string) =>
      call(transport.bridge, 'diagnostics.confirmHostKey', { deviceId, fingerprint }),
    onSuccess: (state) => queryClient.setQueryData(diagnosticsKeys.hostKey(deviceId), state),
  });
}

export function useRunDiagnostic(deviceId: string) {
  const { transport } = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: Omit<RequestIn<'diagnostics.run'>, 'deviceId'>) =>
      call(transport.bridge, 'diagnostics.run', { deviceId, ...request }),
    onSuccess: (result) => {
      // Refused for its host key: the device's state changed (a key now awaits confirmation).
      if (result.status === 'refused')
        void queryClient.invalidateQueries({ queryKey: diagnosticsKeys.hostKey(deviceId) });
    },
  });
}
