import { act, cleanup, render } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VigieBridge } from '../../../../shared/api';
import { createFakeTransport, ok } from '../testing/fake-transport';
import { embeddedSource } from '../testing/metric-fixtures';
import { createTestQueryClient } from '../testing/render';
import { ApiProvider } from './api-context';
import { useLiveSync } from './live-sync';
import { metricKeys } from './metric-queries';
import { createRevisionGuard } from './revision-guard';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function LiveSync() {
  useLiveSync();
  return <p>console</p>;
}

function renderLiveSync(transport: ReturnType<typeof createFakeTransport>) {
  const queryClient = createTestQueryClient();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <ApiProvider transport={transport} guard={createRevisionGuard()}>
        <LiveSync />
      </ApiProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}

describe('useLiveSync', () => {
  it('puts pushed metric sources into the cache', () => {
    const transport = createFakeTransport({ 'metrics.sources': () => ok({ sources: [] }) });
    const { queryClient } = renderLiveSync(transport);
    const sources = { sources: [embeddedSource({ state: 'unreachable' })] };
    act(() => transport.emit('metrics.sourcesChanged', sources));
    expect(queryClient.getQueryData(metricKeys.sources)).toEqual(sources);
  });

  it('keeps the console up when the bridge refuses the metric sources event (an older preload)', () => {
    const transport = createFakeTransport({});
    const on = transport.bridge.on.bind(transport.bridge);
    const refusing: VigieBridge['on'] = (event, listener) => {
      if (event === 'metrics.sourcesChanged')
        throw new Error('vigie: unknown event "metrics.sourcesChanged"');
      return on(event, listener);
    };
    Object.assign(transport.bridge, { on: refusing });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { getByText } = renderLiveSync(transport);
    expect(getByText('console')).toBeTruthy();
    expect(warn).toHaveBeenCalled();
  });
});
