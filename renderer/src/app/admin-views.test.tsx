/** The administrators' views in the console: tabs and `g p` / `g k` only for those who may use them. */
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../../shared/api';
import { createManualClock } from '../lib/clock/clock';
import { alarmHandlers } from '../lib/testing/alarm-fixtures';
import { createFakeTransport, ok, type FakeTransport } from '../lib/testing/fake-transport';
import {
  FIXTURE_NOW,
  fixtureAppInfo,
  fixtureOverview,
  fixtureScenarios,
  fixtureSession,
} from '../lib/testing/fixtures';
import { metricHandlers } from '../lib/testing/metric-fixtures';
import { createTestQueryClient } from '../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../lib/testing/resize-observer';
import { App } from './app';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../lib/testing/fake-chart')).FakeChart,
}));

let transport: FakeTransport;

function renderApp(roles: Role[]) {
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'overview.get': () => ok(fixtureOverview()),
    'estate.scenarios': () => ok(fixtureScenarios()),
    'session.status': () => ok(fixtureSession(roles)),
    'users.list': () => ok({ accounts: [] }),
    'secrets.list': () => ok({ secrets: [], unavailable: null }),
    ...metricHandlers(),
    ...alarmHandlers(),
  });
  render(
    <App
      transport={transport}
      clock={createManualClock(FIXTURE_NOW)}
      queryClient={createTestQueryClient()}
    />,
  );
}

let resize: ResizeControl;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  resize = installResizeObserver(800);
});
afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  resize.restore();
});

describe('the administrators’ views in the console', () => {
  it('open from their tabs and with g p and g k for an administrator', async () => {
    const user = userEvent.setup();
    renderApp(['admin']);
    const nav = await screen.findByRole('navigation', { name: 'Views' });
    const accounts = await within(nav).findByRole('button', { name: 'Accounts' });
    const secrets = within(nav).getByRole('button', { name: 'Secrets' });
    expect(accounts.getAttribute('aria-keyshortcuts')).toBe('g p');
    expect(secrets.getAttribute('aria-keyshortcuts')).toBe('g k');

    await user.keyboard('gp');
    expect(await screen.findByTestId('accounts-empty')).toBeTruthy();
    expect(accounts.getAttribute('aria-current')).toBe('page');
    await user.keyboard('gk');
    expect(await screen.findByTestId('secrets-empty')).toBeTruthy();
    expect(secrets.getAttribute('aria-current')).toBe('page');
    await user.click(accounts);
    expect(await screen.findByTestId('accounts-view')).toBeTruthy();
  });

  it('are absent, and their chords do nothing, for a person without the capabilities', async () => {
    const user = userEvent.setup();
    renderApp(['operator']);
    const nav = await screen.findByRole('navigation', { name: 'Views' });
    await within(nav).findByRole('button', { name: 'Alarms' });
    // Until the session is known every tab is kept; wait for it (the header names the person).
    await vi.waitFor(() => expect(screen.getByTestId('session-controls').dataset['state']).toBe('signed-in'));
    expect(within(nav).queryByRole('button', { name: 'Accounts' })).toBeNull();
    expect(within(nav).queryByRole('button', { name: 'Secrets' })).toBeNull();
    await user.keyboard('gp');
    await user.keyboard('gk');
    expect(screen.queryByTestId('accounts-view')).toBeNull();
    expect(screen.queryByTestId('secrets-view')).toBeNull();
    expect(transport.callsTo('users.list')).toEqual([]);
    expect(transport.callsTo('secrets.list')).toEqual([]);
  });
});
