import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope, ResponseOf } from '../../../shared/api';
import { createManualClock } from '../lib/clock/clock';
import { createDashboardStore, fixtureDashboard } from '../lib/testing/dashboard-fixtures';
import { fakeCharts } from '../lib/testing/fake-chart';
import {
  createFakeTransport,
  ok,
  type FakeHandlers,
  type FakeTransport,
} from '../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureAppInfo, fixtureOverview, fixtureScenarios } from '../lib/testing/fixtures';
import { metricHandlers } from '../lib/testing/metric-fixtures';
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

let transport: FakeTransport;

function renderApp(search: string, overrides: FakeHandlers = {}) {
  window.history.replaceState(null, '', `/${search}`);
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'overview.get': () => ok(fixtureOverview()),
    'estate.scenarios': () => ok(fixtureScenarios()),
    ...metricHandlers(),
    ...createDashboardStore().handlers,
    ...overrides,
  });
  const clock = createManualClock(FIXTURE_NOW);
  render(<App transport={transport} clock={clock} queryClient={createTestQueryClient()} />);
  return { clock };
}

let resize: ResizeControl;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  fakeCharts.length = 0;
  resize = installResizeObserver(800);
});
afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  resize.restore();
  window.history.replaceState(null, '', '/');
});

describe('Wall', () => {
  it('takes its playlist and interval from the URL and rotates on the clock; Space pauses, arrows step', async () => {
    const user = userEvent.setup();
    const { clock } = renderApp('?view=wall&playlist=ops-room,overview&interval=20');
    const title = await screen.findByTestId('wall-title');
    await waitFor(() => expect(text(title)).toBe('Operations room'));
    expect(text(screen.getByTestId('wall-position'))).toBe('1 of 2');
    expect(screen.queryByRole('navigation', { name: 'Views' })).toBeNull();
    await screen.findByTestId('panel-latency');
    expect(screen.getByTestId('wall-progress').getAttribute('aria-valuemax')).toBe('20');

    act(() => clock.advance(10_000));
    expect(screen.getByTestId('wall-progress').getAttribute('aria-valuenow')).toBe('10');
    act(() => clock.advance(10_000));
    expect(text(screen.getByTestId('wall-title'))).toBe('Overview');
    expect(await screen.findByTestId('tile-ups-a1')).toBeTruthy();

    await user.keyboard(' ');
    expect(screen.getByTestId('wall-paused')).toBeTruthy();
    act(() => clock.advance(60_000));
    expect(text(screen.getByTestId('wall-title'))).toBe('Overview');

    await user.keyboard(' ');
    expect(screen.queryByTestId('wall-paused')).toBeNull();
    act(() => clock.advance(20_000));
    expect(text(screen.getByTestId('wall-title'))).toBe('Operations room');

    await user.keyboard('{ArrowRight}');
    expect(text(screen.getByTestId('wall-title'))).toBe('Overview');
    await user.keyboard('{ArrowLeft}');
    expect(text(screen.getByTestId('wall-title'))).toBe('Operations room');
  });

  it('shows the clock, the last update, the link state and the status counts, and says NOT UPDATING when data stalls', async () => {
    let answered = 0;
    const { clock } = renderApp('?view=wall&playlist=ops-room', {
      'metrics.query': (request) => {
        answered += 1;
        if (answered > 2) return new Promise<Envelope<ResponseOf<'metrics.query'>>>(() => undefined);
        return metricHandlers()['metrics.query']!(request);
      },
    });
    await screen.findByTestId('panel-latency');
    await waitFor(() => expect(text(screen.getByTestId('wall-last-update'))).toBe('Last update 14:10:00'));
    expect(text(screen.getByTestId('wall-clock'))).toContain('14:10:00');
    expect(screen.getByTestId('connection-state').dataset['state']).toBe('open');
    expect(screen.getByTestId('count-down').dataset['count']).toBe('1');
    expect(screen.queryByTestId('wall-not-updating')).toBeNull();

    act(() => clock.advance(45_000));
    expect(screen.queryByTestId('wall-not-updating')).toBeNull();
    act(() => clock.advance(20_000));
    expect(text(screen.getByTestId('wall-not-updating'))).toContain('NOT UPDATING since 14:10');
  });

  it('shows a dashboard of a fixed period as such and never calls it NOT UPDATING', async () => {
    const store = createDashboardStore();
    store.saveElsewhere(
      fixtureDashboard({
        time: { kind: 'absolute', from: FIXTURE_NOW - 7_200_000, to: FIXTURE_NOW - 3_600_000 },
      }),
      'marie',
    );
    const { clock } = renderApp('?view=wall&playlist=ops-room', store.handlers);
    await screen.findByTestId('panel-latency');
    await waitFor(() => expect(text(screen.getByTestId('wall-last-update'))).toBe('Fixed period: not live'));
    expect(text(screen.getByTestId('dashboard-mode'))).toContain('Fixed period: ');
    const asked = transport.callsTo('metrics.query').length;
    act(() => clock.advance(300_000));
    expect(screen.queryByTestId('wall-not-updating')).toBeNull();
    expect(transport.callsTo('metrics.query')).toHaveLength(asked);
  });

  it('opens its settings when it has no playlist, stores the choice, and reopens them with S (Escape leaves)', async () => {
    const user = userEvent.setup();
    renderApp('?view=wall');
    const settings = await screen.findByTestId('wall-settings');
    await waitFor(() => expect(within(settings).getByTestId('wall-choice-ops-room')).toBeTruthy());
    await user.click(within(settings).getByTestId('wall-choice-ops-room'));
    await user.click(within(settings).getByTestId('wall-choice-overview'));
    await user.clear(within(settings).getByTestId('wall-interval'));
    await user.type(within(settings).getByTestId('wall-interval'), '45');
    await user.click(within(settings).getByTestId('wall-settings-save'));
    expect(screen.queryByTestId('wall-settings')).toBeNull();
    expect(JSON.parse(localStorage.getItem('vigie.wall') ?? 'null')).toEqual({
      playlist: ['ops-room', 'overview'],
      intervalSeconds: 45,
    });
    expect(text(screen.getByTestId('wall-title'))).toBe('Operations room');

    await user.keyboard('s');
    expect(screen.getByTestId('wall-settings')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('wall-settings')).toBeNull();
  });

  it('is reached from the view switch and with g d / g w, both listed in the help', async () => {
    const user = userEvent.setup();
    renderApp('');
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(text(help)).toContain('gthen dShow the dashboards');
    expect(text(help)).toContain('gthen wShow the wall display');
    await user.keyboard('{Escape}');

    await user.keyboard('gd');
    expect(await screen.findByRole('heading', { name: 'Dashboards', level: 1 })).toBeTruthy();
    await user.click(
      within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: 'Wall' }),
    );
    expect(await screen.findByTestId('wall')).toBeTruthy();
    await user.keyboard('{Escape}');
    await user.keyboard('go');
    expect(await screen.findByTestId('overview')).toBeTruthy();
  });
});
