import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTransport, ok } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureOverview, fixtureTiles } from '../../lib/testing/fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { OverviewPanel } from './overview-panel';

afterEach(cleanup);

/** Text content with no-break spaces made plain, for readable expectations. */
function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

function renderOverview(overview = fixtureOverview()) {
  const transport = createFakeTransport({ 'overview.get': () => ok(overview) });
  return { transport, ...renderWithProviders(<OverviewPanel />, { transport }) };
}

describe('OverviewPanel', () => {
  it('renders every zone and every tile of the overview, equipment before services', async () => {
    renderOverview();
    await screen.findByTestId('tile-ups-a1');
    for (const id of ['a', 'b', 'witness']) expect(screen.getByTestId(`zone-${id}`)).toBeTruthy();
    for (const tile of fixtureTiles) expect(screen.getByTestId(`tile-${tile.id}`)).toBeTruthy();

    const zoneA = screen.getByTestId('zone-a');
    expect(within(zoneA).getByRole('heading', { level: 2 }).textContent).toBe('Zone APrimary datacenter');
    const groups = within(zoneA)
      .getAllByRole('heading', { level: 3 })
      .map((h) => h.textContent);
    expect(groups).toEqual(['Equipment', 'Services']);
    expect(screen.getByTestId('zone-witness').textContent).toContain('Witness site');
  });

  it('gives each zone its worst status, counting a stale tile as no data', async () => {
    renderOverview();
    await screen.findByTestId('tile-ups-a1');
    expect(screen.getByTestId('zone-a').dataset['status']).toBe('degraded');
    expect(screen.getByTestId('zone-b').dataset['status']).toBe('down');
    expect(screen.getByTestId('zone-witness').dataset['status']).toBe('unknown');
  });

  it('shows a stale tile grey with "no data since HH:MM" in Brussels time, never green', async () => {
    renderOverview();
    const tile = await screen.findByTestId('tile-ups-b1');
    expect(tile.dataset['status']).toBe('unknown');
    expect(tile.dataset['stale']).toBe('true');
    expect(tile.className).not.toContain('tile--up');
    expect(text(within(tile).getByTestId('tile-no-data'))).toBe('No data since 14:02');
    expect(text(within(tile).getByTestId('tile-error'))).toContain('Timeout');
    expect(within(tile).getByTestId('tile-error').getAttribute('title')).toBe(
      'TIMEOUT: SNMP request timed out after 5000 ms',
    );
  });

  it('shows "no data received yet" for a tile that never answered', async () => {
    renderOverview();
    const tile = await screen.findByTestId('tile-sensor-w1');
    expect(tile.dataset['status']).toBe('unknown');
    expect(text(within(tile).getByTestId('tile-no-data'))).toBe('No data received yet');
  });

  it('formats primary values with their unit and shows condition, kind and secondary readings', async () => {
    renderOverview();
    const ups = await screen.findByTestId('tile-ups-a1');
    expect(text(within(ups).getByTestId('tile-value'))).toBe('100%');
    expect(text(ups)).toContain('Runtime left 42 min');
    expect(text(ups)).toContain('Time on battery 0 s');
    expect(ups.dataset['condition']).toBe('ok');
    expect(text(ups)).toContain('Normal');

    const sensor = screen.getByTestId('tile-sensor-a1');
    expect(text(within(sensor).getByTestId('tile-value'))).toBe('27.4 °C');
    expect(text(sensor)).toContain('Temperature high');
    expect(text(sensor)).toContain('Humidity 45%');
    expect(text(within(screen.getByTestId('tile-switch-a1')).getByTestId('tile-value'))).toBe('12.3 Mbit/s');
    expect(text(screen.getByTestId('tile-switch-a1'))).toContain('Uplink out 945 kbit/s');
    expect(text(within(screen.getByTestId('tile-pdu-b1')).getByTestId('tile-value'))).toBe('14.2 A');
    expect(text(within(screen.getByTestId('tile-api-a')).getByTestId('tile-value'))).toBe('120 ms');
    expect(text(within(screen.getByTestId('tile-web-b')).getByTestId('tile-value'))).toBe('no value');
  });

  it('shows the age of the data against the ticking clock', async () => {
    const { clock } = renderOverview();
    const ups = await screen.findByTestId('tile-ups-a1');
    expect(text(within(ups).getByTestId('tile-age'))).toBe('12 sec ago');
    act(() => clock.advance(5_000));
    expect(text(within(ups).getByTestId('tile-age'))).toBe('17 sec ago');
  });

  it('turns a tile grey on its own when its data outgrows the polling interval', async () => {
    const { clock } = renderOverview();
    const ups = await screen.findByTestId('tile-ups-a1');
    expect(ups.dataset['status']).toBe('up');
    // Last sample 12 s before FIXTURE_NOW, 10 s interval: stale locally after 3 intervals + 15 s.
    act(() => clock.set(FIXTURE_NOW + 34_000));
    expect(ups.dataset['status']).toBe('unknown');
    expect(ups.dataset['stale']).toBe('true');
    expect(text(within(ups).getByTestId('tile-no-data'))).toBe('No data since 14:09');
  });

  it('moves focus between tiles with arrow keys, j/k, Home and End, with a single tab stop', async () => {
    const user = userEvent.setup();
    renderOverview();
    await screen.findByTestId('tile-ups-a1');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('tile-filter'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('tile-ups-a1'));
    expect(screen.getAllByRole('button').filter((b) => b.dataset['tileId'] && b.tabIndex === 0)).toHaveLength(
      1,
    );

    await user.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(screen.getByTestId('tile-sensor-a1'));
    await user.keyboard('j');
    expect(document.activeElement).toBe(screen.getByTestId('tile-switch-a1'));
    await user.keyboard('k');
    expect(document.activeElement).toBe(screen.getByTestId('tile-sensor-a1'));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(screen.getByTestId('tile-switch-a1'));
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(screen.getByTestId('tile-sensor-a1'));
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(screen.getByTestId('tile-ups-w1'));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(screen.getByTestId('tile-ups-a1'));

    // Still one tab stop, now on the focused tile.
    const stops = screen.getAllByRole('button').filter((b) => b.dataset['tileId'] && b.tabIndex === 0);
    expect(stops).toEqual([screen.getByTestId('tile-ups-a1')]);
  });

  it('brings focus back to the tiles with j or k from anywhere but a text field', async () => {
    const user = userEvent.setup();
    const transport = createFakeTransport({ 'overview.get': () => ok(fixtureOverview()) });
    renderWithProviders(
      <>
        <button type="button">elsewhere</button>
        <OverviewPanel />
      </>,
      { transport },
    );
    await screen.findByTestId('tile-ups-a1');
    act(() => screen.getByRole('button', { name: 'elsewhere' }).focus());
    await user.keyboard('j');
    expect(document.activeElement).toBe(screen.getByTestId('tile-ups-a1'));
    await user.keyboard('j');
    expect(document.activeElement).toBe(screen.getByTestId('tile-sensor-a1'));

    await user.click(screen.getByTestId('tile-filter'));
    await user.keyboard('j');
    expect(screen.getByTestId<HTMLInputElement>('tile-filter').value).toBe('j');
  });

  it('opens the detail panel with Enter, lists every reading, and closes with Escape back to the tile', async () => {
    const user = userEvent.setup();
    renderOverview();
    const tile = await screen.findByTestId('tile-ups-a1');
    act(() => tile.focus());
    await user.keyboard('{Enter}');

    const dialog = screen.getByRole('dialog', { name: 'UPS A1' });
    expect(text(within(dialog).getByTestId('detail-reading-batteryCharge'))).toBe('Battery100%');
    expect(text(within(dialog).getByTestId('detail-reading-minutesRemaining'))).toBe('Runtime left42 min');
    expect(text(within(dialog).getByTestId('detail-reading-secondsOnBattery'))).toBe('Time on battery0 s');
    expect(text(within(dialog).getByTestId('detail-reading-outputLoad'))).toBe('Load37.5%');
    expect(text(within(dialog).getByTestId('detail-last-sample'))).toContain('(12 sec ago)');
    expect(text(within(dialog).getByTestId('detail-last-error'))).toBe('None');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Close the details' }));

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(tile);
  });

  it('shows the last error of a tile in its detail panel', async () => {
    const user = userEvent.setup();
    renderOverview();
    await user.click(await screen.findByTestId('tile-web-b'));
    const dialog = screen.getByRole('dialog', { name: 'Web portal B' });
    const error = text(within(dialog).getByTestId('detail-last-error'));
    expect(error).toContain('Server error (HTTP 5xx)');
    expect(error).toContain('HTTP 503 from /health');
  });

  it('focuses the filter with "/" and filters tiles by name, ignoring case and accents', async () => {
    const user = userEvent.setup();
    renderOverview();
    await screen.findByTestId('tile-ups-a1');
    await user.keyboard('/');
    const filter = screen.getByTestId('tile-filter');
    expect(document.activeElement).toBe(filter);
    await user.keyboard('ups');
    expect(screen.getByTestId('tile-ups-a1')).toBeTruthy();
    expect(screen.getByTestId('tile-ups-b1')).toBeTruthy();
    expect(screen.queryByTestId('tile-sensor-a1')).toBeNull();
    expect(screen.getByText('3 of 9 tiles shown')).toBeTruthy();
    await user.clear(filter);
    await user.type(filter, 'PORTAL');
    expect(screen.getByTestId('tile-web-b')).toBeTruthy();
    expect(screen.queryByTestId('tile-ups-a1')).toBeNull();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByTestId('tile-web-b'));
  });

  it('says the values are not live when the link is down', async () => {
    const { transport } = renderOverview();
    await screen.findByTestId('tile-ups-a1');
    act(() =>
      transport.setState({ kind: 'closed', reason: 'lost', retryAt: FIXTURE_NOW + 4_000, code: 1006 }),
    );
    expect(text(screen.getByTestId('not-live'))).toBe(
      'Not live: these values date from 14:09 and are not updating.',
    );
    expect(screen.getByTestId('overview').dataset['live']).toBe('false');
  });
});
