/** Gives the UI its transport (bridge + connection state) and the revision guard. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { VigieBridge } from '../../../../shared/api';
import type { ConnectionState, Transport } from '../bridge/transport';
import type { RevisionGuard } from './revision-guard';

interface ApiContextValue {
  readonly transport: Transport;
  readonly guard: RevisionGuard;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({
  transport,
  guard,
  children,
}: {
  transport: Transport;
  guard: RevisionGuard;
  children: ReactNode;
}) {
  return <ApiContext value={{ transport, guard }}>{children}</ApiContext>;
}

export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi needs an <ApiProvider> above it');
  return value;
}

export function useBridge(): VigieBridge {
  return useApi().transport.bridge;
}

export function useConnectionState(): ConnectionState {
  const { transport } = useApi();
  return useSyncExternalStore(transport.subscribe, transport.getState);
}
