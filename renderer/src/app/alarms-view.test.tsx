/** The alarms view in the console: `g a`, the header badge, the page title, the help, notifications. */
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countAlarms } from '../../../shared/domain/alarm';
import { createManualClock } from '../lib/clock/clock';
import { alarmHandlers, fixtureAlarms } from '../lib/testing/alarm-fixtures';
import { createFakeTransport, ok, type FakeTransport } from '../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureAppInfo, fixtureOverview, fixtureScenarios } from '../lib/testing/fixtures';
import { metricHandlers } from '../lib/testing/metric-fixtures';
import { createTestQueryClient } from '../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../lib/testing/resize-observer';
import { App } from './app';
import { emitAndSettle, shownText } from '../lib/testing/live';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../lib/testing/fake-chart')).FakeChart,
}));

let transport: FakeTransport;

function renderApp() {
  transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'overview.get': () => ok(fixtureOverview()),
    'estate.scenarios': () => ok(fixtureScenarios()),
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

describe('the alarms view in the console', () => {
  it('opens from its tab, with g a and from the header badge, and is remembered for the tab', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    const nav = screen.getByRole('navigation', { name: 'Views' });
    const tab = within(nav).getByRole('button', { name: 'Alarms' });
    expect(tab.getAttribute('aria-keyshortcuts')).toBe('g a');

    await user.keyboard('ga');
    expect(await screen.findByTestId('alarms')).toBeTruthy();
    expect(screen.queryByTestId('overview')).toBeNull();
    expect(tab.getAttribute('aria-current')).toBe('page');
    expect(sessionStorage.getItem('vigie.view')).toBe('alarms');
    // The chord's "a" acknowledged nothing.
    expect(screen.queryByRole('dialog')).toBeNull();

    await user.keyboard('go');
    await screen.findByTestId('overview');
    await user.click(await screen.findByTestId('alarm-badge'));
    expect(await screen.findByTestId('alarms')).toBeTruthy();
  });

  it('shows the worst outstanding severity and the outstanding count in the header badge and the page title', async () => {
    const user = userEvent.setup();
    renderApp();
    const badge = await screen.findByTestId('alarm-badge');
    await vi.waitFor(() => expect(badge.dataset['state']).toBe('critical'));
    expect(shownText(badge)).toContain('2 Critical · 5 outstanding');
    expect(document.title).toBe('(5) CRITICAL · Vigie');

    await user.click(screen.getByRole('button', { name: 'Français (FR)' }));
    expect(document.title).toBe('(5) CRITIQUE · Vigie');
    await user.click(screen.getByRole('button', { name: 'English (EN)' }));

    const handled = fixtureAlarms().map((a) =>
      a.state === 'outstanding' ? { ...a, state: 'acknowledged' as const, revision: 9 } : a,
    );
    await emitAndSettle(() =>
      transport.emit('alarms.changed', {
        revision: 101,
        alarms: handled,
        counts: countAlarms(handled),
        escalations: {},
      }),
    );
    expect(badge.dataset['state']).toBe('none');
    expect(shownText(badge)).toContain('No outstanding alarm');
    expect(document.title).toBe('Vigie: supervision console');
  });

  it('lists g a and the alarm keys in the keyboard help', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(shownText(help)).toContain('gthen aShow the alarms');
    expect(shownText(help)).toContain('aAlarms: acknowledge (comment required)');
    expect(shownText(help)).toContain('sAlarms: snooze for a while');
    expect(shownText(help)).toContain('cAlarms: close (resolved alarms only)');
    expect(shownText(help)).toContain('hAlarms: shift handover');
    expect(shownText(help)).toContain('mAlarms: maintenance windows');
  });

  it('leaves the alarms view with g e without escalating anything', async () => {
    const user = userEvent.setup();
    renderApp();
    await user.click(await screen.findByTestId('view-alarms'));
    await screen.findAllByTestId('alarm-row');
    await user.keyboard('ge');
    expect(await screen.findByTestId('explorer')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(transport.callsTo('alarms.escalate')).toHaveLength(0);
  });

  it('announces alarms.notified in a toast where desktop notifications are not allowed; Show opens the alarm', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    const ups = fixtureAlarms().find((a) => a.id === 'al-ups-a1')!;
    await emitAndSettle(() =>
      transport.emit('alarms.notified', {
        alarm: ups,
        reason: 'escalated',
        targets: ['bob'],
        at: FIXTURE_NOW,
      }),
    );
    const toast = screen.getByTestId('alarm-toast');
    expect(shownText(toast)).toContain('Major: UPS A1');
    expect(shownText(toast)).toContain('Escalated: On battery');
    await user.click(within(toast).getByRole('button', { name: 'Show' }));
    const pane = await screen.findByTestId('alarm-detail');
    expect(pane.dataset['detailId']).toBe('al-ups-a1');
    // Its zone-wide problem is unfolded, so the alarm is in the list too.
    expect(screen.getAllByTestId('alarm-row').some((row) => row.dataset['alarmId'] === 'al-ups-a1')).toBe(
      true,
    );
    expect(screen.queryByTestId('alarm-toast')).toBeNull();
  });
});
