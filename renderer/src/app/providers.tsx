/** Everything the console's panels need, in one place: query cache, bridge, clock, language. */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiProvider } from '../lib/api/api-context';
import { useLiveSync } from '../lib/api/live-sync';
import { useAppInfo } from '../lib/api/queries';
import type { RevisionGuard } from '../lib/api/revision-guard';
import type { Transport } from '../lib/bridge/transport';
import type { Clock } from '../lib/clock/clock';
import { ClockProvider } from '../lib/clock/clock-context';
import { I18nProvider } from '../lib/i18n/i18n-context';
import { SessionProvider } from '../lib/session/session-context';

/** The engine's locale and time zone (app.info) become the language defaults. */
function EngineLocale({ children }: { children: ReactNode }) {
  const { data } = useAppInfo();
  return (
    <I18nProvider defaultLocale={data?.locale ?? null} timeZone={data?.timeZone ?? null}>
      {children}
    </I18nProvider>
  );
}

function LiveSync() {
  useLiveSync();
  return null;
}

export interface ProvidersProps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly queryClient: QueryClient;
  readonly guard: RevisionGuard;
  readonly children: ReactNode;
}

export function Providers({ transport, clock, queryClient, guard, children }: ProvidersProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <ApiProvider transport={transport} guard={guard}>
        <ClockProvider clock={clock}>
          <SessionProvider>
            <EngineLocale>
              <LiveSync />
              {children}
            </EngineLocale>
          </SessionProvider>
        </ClockProvider>
      </ApiProvider>
    </QueryClientProvider>
  );
}
