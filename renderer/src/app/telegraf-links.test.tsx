/**
 * The ways from a device to its Telegraf data: a tile's details open the built-in dashboard about
 * it, a dashboard panel opens its series (transform included) in the explorer, and a panel says
 * which of its series have no data at all.
 */
import { cleanup, configure, getConfig, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestIn } from '../../../shared/api';
import type { Dashboard } from '../../../shared/domain/dashboard';
import { createManualClock } from '../lib/clock/clock';
import { createDashboardStore, type FakeDashboardStore } from '../lib/testing/dashboard-fixtures';
import { fakeCharts, liveCharts } from '../lib/testing/fake-chart';
import { createFakeTransport, ok, type FakeTransport } from '../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureAppInfo, fixtureOverview, fixtureScenarios } from '../lib/testing/fixtures';
import { fixtureFrame, metricHandlers } from '../lib/testing/metric-fixtures';
import { createTestQueryClient } from '../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../lib/testing/resize-observer';
import { App } from './app';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../lib/testing/fake-chart')).FakeChart,
}));

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

const BITS = { rate: true, scale: 8, offset: 0, unit: 'bitsPerSecond' };

function switchDashboard(): Dashboard {
  return {
    schemaVersion: 2,
    id: 'auto-device-switch-a1',
    title: 'Core switch A (Zone A)',
    description: '',
    time: { kind: 'relative', preset: '6h' },
    refreshSeconds: 30,
    panels: [
      {
        id: 'interface-in',
        title: 'Inbound traffic (Telegraf)',
        kind: 'timeseries',
        series: [
          {
            source: 'main',
            measurement: 'interface',
            field: 'ifHCInOctets',
            where: [{ key: 'agent_host', op: '=', value: '192.0.2.1' }],
            groupBy: ['ifDescr'],
            aggregation: 'last',
            label: 'inbound traffic',
            transform: BITS,
          },
        ],
        layout: { x: 0, y: 0, w: 6, h: 4 },
      },
      {
        id: 'ping-rtt',
        title: 'Ping round trip (Telegraf ping)',
        kind: 'timeseries',
        series: [
          {
            source: 'main',
            measurement: 'ping',
            field: 'average_response_ms',
            where: [{ key: 'url', op: '=', value: 'a.example.org' }],
            groupBy: [],
            aggregation: 'mean',
            label: 'a',
          },
          {
            source: 'main',
            measurement: 'ping',
            field: 'average_response_ms',
            where: [{ key: 'url', op: '=', value: 'b.example.org' }],
            groupBy: [],
            aggregation: 'mean',
            label: 'b',
          },
        ],
        layout: { x: 6, y: 0, w: 6, h: 4 },
      },
    ],
  };
}

let transport: FakeTransport;
let store: FakeDashboardStore;

function renderApp() {
  store = createDashboardStore();
  store.entries.set('auto-device-switch-a1', {
    summary: {
      id: 'auto-device-switch-a1',
      title: 'Core switch A (Zone A)',
      origin: 'auto',
      revision: 0,
      updatedAt: null,
      updatedBy: null,
      subjects: ['switch-a1'],
    },
    dashboard: switchDashboard(),
  });
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'overview.get': () => ok(fixtureOverview()),
    'estate.scenarios': () => ok(fixtureScenarios()),
    ...metricHandlers(undefined, {
      // Interfaces by their ifDescr; b.example.org was never pinged.
      'metrics.query': (request) =>
        ok({
          frames:
            request.measurement === 'interface'
              ? [
                  fixtureFrame(request, { ifDescr: 'xe-0/0/1' }),
                  fixtureFrame(request, { ifDescr: 'xe-0/0/2' }),
                ]
              : request.where?.some((f) => f.value === 'b.example.org')
                ? []
                : [fixtureFrame(request)],
          truncated: false,
          queryText: 'q',
          stepMs: 10_000,
        }),
    }),
    ...store.handlers,
  });
  const clock = createManualClock(FIXTURE_NOW);
  render(<App transport={transport} clock={clock} queryClient={createTestQueryClient()} />);
}

let resize: ResizeControl;
const asyncUtilTimeout = getConfig().asyncUtilTimeout;
beforeEach(() => {
  // These tests render the whole console: generous waits on a machine shared with other suites.
  configure({ asyncUtilTimeout: 5_000 });
  localStorage.clear();
  sessionStorage.clear();
  fakeCharts.length = 0;
  resize = installResizeObserver(800);
});
afterEach(() => {
  configure({ asyncUtilTimeout });
  cleanup();
  localStorage.clear();
  resize.restore();
  window.history.replaceState(null, '', '/');
});

describe('from a device to its Telegraf data', () => {
  it('opens the built-in dashboard about a tile’s device from its details', async () => {
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByTestId('tile-switch-a1'));
    const drawer = screen.getByTestId('tile-detail');
    const open = await within(drawer).findByTestId('open-tile-dashboard');
    expect(text(open)).toBe('Open its dashboard: Core switch A (Zone A)');
    await user.click(open);
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(text(screen.getByTestId('dashboard-title'))).toBe('Core switch A (Zone A)'));
    await waitFor(() =>
      expect(transport.callsTo('metrics.query')).toContainEqual(
        expect.objectContaining({ measurement: 'interface', transform: BITS }),
      ),
    );
    // Lines of a grouped series carry the panel's label and their own tags.
    await waitFor(() =>
      expect(
        liveCharts()
          .flatMap((c) => c.data.datasets.map((d) => d.label))
          .filter((l) => l?.startsWith('inbound')),
      ).toEqual(['inbound traffic · ifDescr=xe-0/0/1', 'inbound traffic · ifDescr=xe-0/0/2']),
    );
    // A mapped series without any data is named, not hidden behind the others.
    const ping = screen.getByTestId('panel-ping-rtt');
    await waitFor(() => expect(text(within(ping).getByTestId('panel-no-data-for'))).toBe(' No data for b'));
    expect(within(screen.getByTestId('panel-interface-in')).queryByTestId('panel-no-data-for')).toBeNull();
  });

  it('offers no dashboard link for a tile no built-in dashboard is about', async () => {
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByTestId('tile-ups-a1'));
    await waitFor(() => expect(transport.callsTo('dashboards.list').length).toBeGreaterThan(0));
    expect(within(screen.getByTestId('tile-detail')).queryByTestId('open-tile-dashboard')).toBeNull();
  });

  it('opens a panel’s series in the explorer with its transform and period, which the explorer can remove', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/?view=dashboards');
    renderApp();
    await user.click(
      within(await screen.findByTestId('dashboard-item-auto-device-switch-a1')).getByRole('button'),
    );
    await user.click(await screen.findByTestId('open-panel-in-explorer-interface-in'));
    expect(await screen.findByTestId('explorer')).toBeTruthy();
    // The same request as the panel's (same period, width and transform): answered from the cache.
    const to = Math.ceil(FIXTURE_NOW / 10_000) * 10_000;
    expect(transport.callsTo('metrics.query')).toContainEqual({
      source: 'main',
      measurement: 'interface',
      field: 'ifHCInOctets',
      where: [{ key: 'agent_host', op: '=', value: '192.0.2.1' }],
      groupBy: ['ifDescr'],
      aggregation: 'last',
      from: to - 6 * 3_600_000,
      to,
      widthPx: 800,
      transform: BITS,
    });
    expect(screen.getByTestId<HTMLSelectElement>('explorer-field').value).toBe('ifHCInOctets');
    expect(text(screen.getByTestId('explorer-mode'))).toBe('Live: refreshed every 10 s');
    expect(screen.getByTestId<HTMLInputElement>('transform-rate').checked).toBe(true);
    expect(screen.getByTestId<HTMLInputElement>('transform-scale').value).toBe('8');
    expect(text(screen.getByTestId('transform-summary'))).toContain('Unit: bit/s');

    await user.click(screen.getByTestId('transform-remove'));
    await waitFor(() =>
      expect(transport.callsTo('metrics.query').at(-1) as RequestIn<'metrics.query'>).not.toHaveProperty(
        'transform',
      ),
    );
    // And back: a rate of the counter, in bits.
    await user.click(screen.getByTestId('transform-rate'));
    await user.clear(screen.getByTestId('transform-scale'));
    await user.type(screen.getByTestId('transform-scale'), '8{Enter}');
    await waitFor(() =>
      expect(transport.callsTo('metrics.query').at(-1)).toMatchObject({
        transform: { rate: true, scale: 8, offset: 0 },
      }),
    );
  });
});
