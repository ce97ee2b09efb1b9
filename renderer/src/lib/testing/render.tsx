/** Renders UI under the same providers as the console, with a fake transport and a manual clock. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Locale } from '../../../../shared/i18n';
import { ApiProvider } from '../api/api-context';
import { createRevisionGuard } from '../api/revision-guard';
import type { Transport } from '../bridge/transport';
import { createManualClock, type ManualClock } from '../clock/clock';
import { ClockProvider } from '../clock/clock-context';
import { I18nProvider } from '../i18n/i18n-context';
import { FIXTURE_NOW } from './fixtures';

/** Like the console's client, minus retries (a failing test should fail at once). */
export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
}

export interface RenderOptions {
  readonly transport: Transport;
  readonly clock?: ManualClock;
  readonly locale?: Locale;
  readonly queryClient?: QueryClient;
}

export function renderWithProviders(
  ui: ReactNode,
  options: RenderOptions,
): RenderResult & { clock: ManualClock; queryClient: QueryClient } {
  const clock = options.clock ?? createManualClock(FIXTURE_NOW);
  const queryClient = options.queryClient ?? createTestQueryClient();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <ApiProvider transport={options.transport} guard={createRevisionGuard()}>
        <ClockProvider clock={clock}>
          <I18nProvider defaultLocale={options.locale ?? 'en'} timeZone="Europe/Brussels" storage={null}>
            {ui}
          </I18nProvider>
        </ClockProvider>
      </ApiProvider>
    </QueryClientProvider>,
  );
  return { ...result, clock, queryClient };
}
