import { useState } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { PanelBoundary } from '../components/error-boundary';
import { createQueryClient } from '../lib/api/queries';
import { createRevisionGuard } from '../lib/api/revision-guard';
import type { Transport } from '../lib/bridge/transport';
import type { Clock } from '../lib/clock/clock';
import { SessionGate } from '../features/session/session-gate';
import { ConsoleLayout } from './console-layout';
import { Providers } from './providers';
import './theme.css';
import './layout.css';
import '../components/components.css';

export interface AppProps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly queryClient?: QueryClient;
}

export function App({ transport, clock, queryClient }: AppProps) {
  // Created once and kept across a retry of the app boundary, so held data survives it.
  const [client] = useState(() => queryClient ?? createQueryClient());
  const [guard] = useState(createRevisionGuard);
  return (
    <PanelBoundary scope="app">
      <Providers transport={transport} clock={clock} queryClient={client} guard={guard}>
        <SessionGate>
          <ConsoleLayout />
        </SessionGate>
      </Providers>
    </PanelBoundary>
  );
}
