/** The equipment view in the console: its tab, `g q`, the help, and its state across views. */
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../lib/clock/clock';
import { equipmentHandlers } from '../lib/testing/equipment-fixtures';
import { createFakeTransport, ok } from '../lib/testing/fake-transport';
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

function renderApp() {
  const transport = createFakeTransport({
    'app.info': () => ok(fixtureAppInfo()),
    'overview.get': () => ok(fixtureOverview()),
    'estate.scenarios': () => ok(fixtureScenarios()),
    ...metricHandlers(),
    ...equipmentHandlers(),
  });
  render(
    <App
      transport={transport}
      clock={createManualClock(FIXTURE_NOW)}
      queryClient={createTestQueryClient()}
    />,
  );
  return transport;
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

describe('the equipment view in the console', () => {
  it('opens from its tab and with g q, and is remembered for the tab', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    const nav = screen.getByRole('navigation', { name: 'Views' });
    const tab = within(nav).getByRole('button', { name: 'Equipment' });
    expect(tab.getAttribute('aria-keyshortcuts')).toBe('g q');

    await user.keyboard('gq');
    expect(await screen.findByTestId('device-tile-a-core-sw')).toBeTruthy();
    expect(screen.queryByTestId('overview')).toBeNull();
    expect(tab.getAttribute('aria-current')).toBe('page');
    expect(sessionStorage.getItem('vigie.view')).toBe('equipment');

    await user.keyboard('go');
    expect(await screen.findByTestId('overview')).toBeTruthy();
    await user.click(tab);
    expect(await screen.findByTestId('device-tile-a-core-sw')).toBeTruthy();
  });

  it('lists g q and the way back from a device page in the keyboard help', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(text(help)).toContain('gthen qShow the equipment (racks and devices)');
    expect(text(help)).toContain('EscDevice page: back to the racks');
  });

  it('returns from a device page to the device tile with Escape', async () => {
    const user = userEvent.setup();
    renderApp();
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('gq');
    await user.click(await screen.findByTestId('device-tile-a-ups-1'));
    expect(await screen.findByTestId('device-ups')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('device-page')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('device-tile-a-ups-1'));
  });
});
