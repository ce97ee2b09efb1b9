import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Overview, SessionInfo } from '../../../shared/api';
import { createManualClock } from '../lib/clock/clock';
import { createFakeTransport, ok, OPEN_STATE, type FakeTransport } from '../lib/testing/fake-transport';
import {
  FIXTURE_NOW,
  fixtureAppInfo,
  fixtureOverview,
  fixtureScenarios,
  fixtureSession,
  withTile,
} from '../lib/testing/fixtures';
import { fakeCharts, liveCharts } from '../lib/testing/fake-chart';
import { metricHandlers } from '../lib/testing/metric-fixtures';
import { createTestQueryClient } from '../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../lib/testing/resize-observer';
import { App } from './app';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../lib/testing/fake-chart')).FakeChart,
}));

/** Emits an event and lets TanStack Query deliver its batched notifications (a zero-delay timeout). */
async function emitAndSettle(emit: () => void): Promise<void> {
  await act(async () => {
    emit();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

let overview: Overview;
let transport: FakeTransport;

function renderApp(
  options: {
    appInfo?: Parameters<typeof fixtureAppInfo>[0];
    session?: SessionInfo;
    initial?: FakeTransport['getState'] extends () => infer S ? S : never;
  } = {},
) {
  transport = createFakeTransport(
    {
      'app.info': () => ok(fixtureAppInfo(options.appInfo)),
      'session.status': () => ok(options.session ?? fixtureSession()),
      'overview.get': () => ok(overview),
      'estate.scenarios': () => ok(fixtureScenarios()),
      ...metricHandlers(),
    },
    options.initial ?? OPEN_STATE,
  );
  const clock = createManualClock(FIXTURE_NOW);
  render(<App transport={transport} clock={clock} queryClient={createTestQueryClient()} />);
  return { transport, clock };
}

let resize: ResizeControl;
beforeEach(() => {
  overview = fixtureOverview();
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
});

describe('App', () => {
  it('switches the console to French and to Dutch at run time, and remembers the choice', async () => {
    const user = userEvent.setup();
    renderApp();
    const stale = await screen.findByTestId('tile-ups-b1');
    expect(text(within(stale).getByTestId('tile-no-data'))).toBe('No data since 14:02');
    expect(document.documentElement.lang).toBe('en');

    await user.click(screen.getByRole('button', { name: 'Français (FR)' }));
    expect(text(within(stale).getByTestId('tile-no-data'))).toBe('Pas de données depuis 14:02');
    expect(text(screen.getByTestId('zone-a'))).toContain('Centre de données principal');
    expect(text(within(screen.getByTestId('tile-ups-a1')).getByTestId('tile-age'))).toBe('il y a 12 s');
    expect(text(within(screen.getByTestId('tile-sensor-a1')).getByTestId('tile-value'))).toBe('27,4 °C');
    expect(screen.getByTestId('training-banner').textContent).toContain('FORMATION');
    expect(screen.getByRole('button', { name: 'Français (FR)' }).getAttribute('aria-pressed')).toBe('true');
    expect(document.documentElement.lang).toBe('fr');
    expect(localStorage.getItem('vigie.locale')).toBe('fr');

    await user.click(screen.getByRole('button', { name: 'Nederlands (NL)' }));
    expect(text(within(stale).getByTestId('tile-no-data'))).toBe('Geen gegevens sinds 14:02');
    expect(text(screen.getByTestId('zone-witness'))).toContain('Getuigensite');
    expect(text(within(screen.getByTestId('tile-ups-a1')).getByTestId('tile-age'))).toBe('12 sec. geleden');
    expect(screen.getByRole('button', { name: 'Sneltoetsen (?)' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('nl');
  });

  it('starts in the engine locale from app.info unless the operator chose one on this workstation', async () => {
    renderApp({ appInfo: { locale: 'nl' } });
    expect(text(await screen.findByTestId('zone-a'))).toContain('Primair datacenter');
    cleanup();

    localStorage.setItem('vigie.locale', 'fr');
    renderApp({ appInfo: { locale: 'nl' } });
    expect(text(await screen.findByTestId('zone-a'))).toContain('Centre de données principal');
  });

  it('ignores an overview event older than the one it holds and applies a newer one', async () => {
    renderApp();
    const tile = await screen.findByTestId('tile-ups-a1');
    expect(tile.dataset['status']).toBe('up');

    await emitAndSettle(() =>
      transport.emit(
        'overview.changed',
        withTile(fixtureOverview({ revision: 9 }), 'ups-a1', {
          status: 'down',
          condition: 'batteryDepleted',
        }),
      ),
    );
    expect(screen.getByTestId('tile-ups-a1').dataset['status']).toBe('up');

    await emitAndSettle(() =>
      transport.emit(
        'overview.changed',
        withTile(fixtureOverview({ revision: 11 }), 'ups-a1', { status: 'degraded', condition: 'onBattery' }),
      ),
    );
    expect(screen.getByTestId('tile-ups-a1').dataset['status']).toBe('degraded');
    expect(screen.getByTestId('tile-ups-a1').dataset['condition']).toBe('onBattery');
    expect(text(screen.getByTestId('tile-ups-a1'))).toContain('On battery');
  });

  it('re-fetches everything after a reconnect, even when the restarted engine counts revisions from the start', async () => {
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    expect(transport.callsTo('overview.get')).toHaveLength(1);

    act(() =>
      transport.setState({ kind: 'closed', reason: 'lost', retryAt: FIXTURE_NOW + 2_000, code: 1006 }),
    );
    expect(screen.getByTestId('connection-state').textContent).toContain('Connection lost');
    expect(screen.getByTestId('not-live')).toBeTruthy();

    overview = withTile(fixtureOverview({ revision: 2 }), 'ups-a1', {
      status: 'degraded',
      condition: 'onBattery',
    });
    act(() => transport.setState(OPEN_STATE));
    await screen.findByText('On battery');
    expect(transport.callsTo('overview.get')).toHaveLength(2);
    expect(transport.callsTo('app.info').length).toBeGreaterThanOrEqual(2);
    expect(screen.queryByTestId('not-live')).toBeNull();
  });

  it('says "token missing or wrong" when the seat is refused, and asks nothing of the engine', () => {
    renderApp({ initial: { kind: 'closed', reason: 'unauthenticated', retryAt: null, code: 4401 } });
    expect(text(screen.getByTestId('connection-state'))).toContain('Token missing or wrong');
    expect(screen.queryByRole('button', { name: 'Retry now' })).toBeNull();
    expect(transport.calls).toHaveLength(0);
    expect(screen.getByText('Waiting for the connection to the engine…')).toBeTruthy();
  });

  it('shows the TRAINING banner, the counts by status, the person, their roles and the clock in the header', async () => {
    renderApp({ session: fixtureSession(['viewer', 'publisher'], { login: 'bob' }) });
    await screen.findByTestId('tile-ups-a1');
    expect(text(screen.getByTestId('training-banner'))).toContain('TRAINING');
    // Counts are those of the tiles as shown: the stale "up" UPS counts as no data.
    const count = (status: string) => screen.getByTestId(`count-${status}`).dataset['count'];
    expect([count('down'), count('degraded'), count('unknown'), count('maintenance'), count('up')]).toEqual([
      '1',
      '2',
      '2',
      '1',
      '3',
    ]);
    expect(screen.getByTestId('overall-status').dataset['status']).toBe('down');
    expect(text(await screen.findByTestId('role'))).toBe('Roles: Viewer, Publisher');
    expect(screen.getByTestId('role').dataset['roles']).toBe('viewer publisher');
    expect(text(screen.getByTestId('person'))).toBe('bob');
    expect(text(screen.getByRole('time', { name: 'Current time (Europe/Brussels)' }))).toContain('14:10:00');
  });

  it('shows no TRAINING banner on a production overview', async () => {
    overview = fixtureOverview({ training: false });
    renderApp({ appInfo: { training: false } });
    await screen.findByTestId('tile-ups-a1');
    expect(screen.queryByTestId('training-banner')).toBeNull();
  });

  it('opens the keyboard help with "?" and closes it with Escape', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(text(help)).toContain('Filter tiles by name');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('switches between the overview and the explorer with the view tabs and with g o / g e', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    const nav = screen.getByRole('navigation', { name: 'Views' });
    expect(within(nav).getByRole('button', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');

    await user.keyboard('ge');
    expect(await screen.findByRole('heading', { name: 'Metric explorer', level: 1 })).toBeTruthy();
    expect(screen.queryByTestId('overview')).toBeNull();
    expect(within(nav).getByRole('button', { name: 'Metric explorer' }).getAttribute('aria-current')).toBe(
      'page',
    );
    expect(sessionStorage.getItem('vigie.view')).toBe('explorer');

    await user.keyboard('go');
    expect(await screen.findByTestId('overview')).toBeTruthy();
    await user.click(within(nav).getByRole('button', { name: 'Metric explorer' }));
    expect(screen.getByTestId('explorer')).toBeTruthy();

    // "o" alone, or typed into a field, does nothing.
    await user.keyboard('o');
    expect(screen.getByTestId('explorer')).toBeTruthy();
  });

  it('lists the view shortcuts in the keyboard help', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(text(help)).toContain('gthen oShow the overview');
    expect(text(help)).toContain('gthen eShow the metric explorer');
  });

  it("opens the explorer from a tile's details, preset to the tile's collected data", async () => {
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByTestId('tile-ups-a1'));
    const drawer = screen.getByTestId('tile-detail');
    await user.click(within(drawer).getByRole('button', { name: 'Open in explorer' }));

    expect(await screen.findByTestId('explorer')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    await vi.waitFor(() => expect(transport.callsTo('metrics.query')).toHaveLength(1));
    expect(transport.callsTo('metrics.query')[0]).toEqual({
      source: 'main',
      measurement: 'vigie',
      field: 'batteryCharge',
      where: [{ key: 'source', op: '=', value: 'ups-a1' }],
      groupBy: [],
      aggregation: 'mean',
      from: FIXTURE_NOW - 3_600_000,
      to: FIXTURE_NOW,
      widthPx: 800,
    });
    expect(screen.getByTestId<HTMLSelectElement>('explorer-measurement').value).toBe('vigie');
    expect(screen.getByTestId<HTMLSelectElement>('explorer-field').value).toBe('batteryCharge');
    const filter = screen.getByTestId('explorer-filter');
    expect(within(filter).getByTestId<HTMLSelectElement>('filter-key').value).toBe('source');
    expect(within(filter).getByTestId<HTMLSelectElement>('filter-value').value).toBe('ups-a1');
    await vi.waitFor(() =>
      expect(liveCharts()[0]?.data.datasets[0]?.label).toBe('batteryCharge (mean) · source=ups-a1'),
    );
  });
});
