import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { equipmentHandlers, fixtureInventory } from '../../lib/testing/equipment-fixtures';
import { createFakeTransport, failure, ok } from '../../lib/testing/fake-transport';
import { FIXTURE_NOW, fixtureOverview } from '../../lib/testing/fixtures';
import { metricHandlers } from '../../lib/testing/metric-fixtures';
import { renderWithProviders } from '../../lib/testing/render';
import { installResizeObserver, type ResizeControl } from '../../lib/testing/resize-observer';
import { EquipmentView } from './equipment-view';

vi.mock('chart.js', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  Chart: (await import('../../lib/testing/fake-chart')).FakeChart,
}));

let resize: ResizeControl;
beforeEach(() => {
  resize = installResizeObserver();
});
afterEach(() => {
  cleanup();
  resize.restore();
});

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\u00a0|\u202f/g, ' ');
}

function renderView(handlers = equipmentHandlers()) {
  const transport = createFakeTransport({
    'overview.get': () => ok(fixtureOverview()),
    ...metricHandlers(),
    ...handlers,
  });
  return { transport, ...renderWithProviders(<EquipmentView />, { transport }) };
}

const tile = (id: string) => screen.getByTestId(`device-tile-${id}`);

describe('EquipmentView', () => {
  it('shows a tab per zone with its worst status in words, the first zone open', async () => {
    renderView();
    await screen.findByTestId('device-tile-a-core-sw');
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => [text(t), t.getAttribute('aria-selected')])).toEqual([
      ['Zone ADegraded', 'true'],
      ['Zone BNo data', 'false'],
    ]);
    expect(screen.getByRole('tabpanel').dataset['testid']).toBe('equipment-zone-zone-a');
  });

  it('draws each rack as an elevation: U1 at the bottom, each device spanning its U, empty U as rails', async () => {
    renderView();
    await screen.findByTestId('device-tile-a-core-sw');
    const rack = screen.getByTestId('rack-zone-a-r01');
    expect(text(within(rack).getByRole('heading', { level: 3 }))).toBe('R01 network42U, 1U used');
    const labels = [...rack.querySelectorAll<HTMLElement>('[data-u]')];
    expect(labels).toHaveLength(42);
    expect(labels[0]?.dataset['u']).toBe('42');
    expect(labels[0]?.style.gridRow).toBe('1');
    expect(labels[41]?.dataset['u']).toBe('1');
    expect(labels[41]?.style.gridRow).toBe('42');
    expect(rack.querySelectorAll('.eq-rack__empty')).toHaveLength(41);

    // U41 of 42 is the second row from the top; the PDU at U1–U2 spans the last two rows.
    expect(tile('a-core-sw').closest('li')?.style.gridRow).toBe('2 / span 1');
    expect(text(tile('a-core-sw'))).toContain('U41');
    const pdu = tile('a-pdu-1');
    expect(within(screen.getByTestId('rack-zone-a-r02')).getByTestId('device-tile-a-pdu-1')).toBe(pdu);
    expect(pdu.closest('li')?.style.gridRow).toBe('41 / span 2');
    expect(text(pdu)).toContain('U1–U2');

    // A device claiming U already taken is listed under its rack, with the reason, never dropped.
    const server = tile('a-server-9');
    expect(server.closest('li')?.style.gridRow).toBe('');
    expect(text(within(server).getByTestId('device-misplaced'))).toContain(
      'Its U are taken by another device',
    );

    // A room without racks lists its devices.
    const power = screen.getByTestId('room-loose-zone-a-power');
    expect(
      within(power)
        .getAllByRole('button')
        .map((b) => b.dataset['deviceId']),
    ).toEqual(['a-ups-1', 'a-ups-2']);
    expect(text(tile('a-ups-1'))).toContain('Degraded');
  });

  it('shows a device that stopped answering grey with "no data since 14:02", never its last status', async () => {
    const user = userEvent.setup();
    renderView();
    await screen.findByTestId('device-tile-a-core-sw');
    await user.click(screen.getByTestId('equipment-zone-tab-zone-b'));
    const sw = tile('b-core-sw');
    expect(sw.dataset['status']).toBe('unknown');
    expect(sw.dataset['freshness']).toBe('unreachable');
    expect(sw.className).toContain('eq-tile--unknown');
    expect(sw.className).not.toContain('eq-tile--up');
    expect(text(sw)).toContain('No data');
    expect(text(within(sw).getByTestId('device-no-data'))).toBe('No data since 14:02 (8 min ago)');
    const sensor = tile('b-env-1');
    expect(sensor.dataset['freshness']).toBe('never');
    expect(text(within(sensor).getByTestId('device-no-data'))).toBe('No data received yet');
  });

  it('turns a tile grey on its own when its last answer grows older than three intervals', async () => {
    const { clock } = renderView();
    const sw = await screen.findByTestId('device-tile-a-core-sw');
    expect(sw.dataset['status']).toBe('up');
    expect(within(sw).queryByTestId('device-no-data')).toBeNull();
    // Last answer 4 s before FIXTURE_NOW, default 10 s interval: stale 45 s after it.
    act(() => clock.set(FIXTURE_NOW + 41_000));
    expect(sw.dataset['status']).toBe('unknown');
    expect(sw.dataset['freshness']).toBe('silent');
    expect(text(within(sw).getByTestId('device-no-data'))).toBe('No data since 14:09 (45 sec ago)');
  });

  it('moves between tiles with the keyboard with one tab stop, opens a device with Enter, returns with Escape', async () => {
    const user = userEvent.setup();
    renderView();
    await screen.findByTestId('device-tile-a-core-sw');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('equipment-filter'));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('equipment-zone-tab-zone-a'));
    await user.tab();
    expect(document.activeElement).toBe(tile('a-core-sw'));
    expect(
      screen.getAllByRole('button').filter((b) => b.dataset['deviceId'] && b.tabIndex === 0),
    ).toHaveLength(1);

    // jsdom lays nothing out: arrows follow reading order (racks top down, then the room lists).
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(tile('a-server-9'));
    await user.keyboard('j');
    expect(document.activeElement).toBe(tile('a-pdu-1'));
    await user.keyboard('k');
    expect(document.activeElement).toBe(tile('a-server-9'));
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(tile('a-ups-2'));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(tile('a-core-sw'));
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(document.activeElement).toBe(tile('a-pdu-1'));
    expect(tile('a-pdu-1').tabIndex).toBe(0);

    await user.keyboard('{End}{Enter}');
    const page = await screen.findByTestId('device-page');
    expect(page.dataset['deviceId']).toBe('a-ups-2');
    expect(document.activeElement).toBe(within(page).getByRole('heading', { level: 1 }));
    expect(text(document.activeElement!)).toBe('UPS A2');

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('device-page')).toBeNull();
    expect(document.activeElement).toBe(tile('a-ups-2'));
  });

  it('switches zones from the keyboard as tabs do (arrows between tabs)', async () => {
    const user = userEvent.setup();
    renderView();
    await screen.findByTestId('device-tile-a-core-sw');
    await user.click(screen.getByTestId('equipment-zone-tab-zone-a'));
    await user.keyboard('{ArrowRight}');
    const zoneB = screen.getByTestId('equipment-zone-tab-zone-b');
    expect(document.activeElement).toBe(zoneB);
    expect(zoneB.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').dataset['testid']).toBe('equipment-zone-zone-b');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByTestId('equipment-zone-tab-zone-a').getAttribute('aria-selected')).toBe('true');
  });

  it('filters devices from "/": rooms without a match go, counts show per zone, Escape clears', async () => {
    const user = userEvent.setup();
    renderView();
    await screen.findByTestId('device-tile-a-core-sw');
    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByTestId('equipment-filter'));
    await user.keyboard('ups');
    expect(screen.queryByTestId('rack-zone-a-r01')).toBeNull();
    expect(tile('a-ups-1').dataset['dimmed']).toBe('false');
    expect(text(screen.getByRole('search'))).toContain('2 of 7 devices match');
    expect(text(screen.getByTestId('equipment-zone-tab-zone-b'))).toContain('0 found');
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(tile('a-ups-1'));

    await user.click(screen.getByTestId('equipment-filter'));
    await user.clear(screen.getByTestId('equipment-filter'));
    await user.keyboard('pdu');
    // The PDU's rack stays drawn; the rack's other devices are faint and skipped by the keyboard.
    expect(tile('a-pdu-1').dataset['dimmed']).toBe('false');
    expect(screen.queryByTestId('rack-zone-a-r02')).not.toBeNull();
    await user.keyboard('{Escape}');
    expect(screen.getByTestId<HTMLInputElement>('equipment-filter').value).toBe('');
  });

  it('opens a device page from a click and goes back with the Back button', async () => {
    const user = userEvent.setup();
    renderView();
    await user.click(await screen.findByTestId('device-tile-a-core-sw'));
    expect(await screen.findByTestId('device-interfaces')).toBeTruthy();
    expect(text(screen.getByTestId('device-back'))).toBe('← Back to the racks of Zone A');
    await user.click(screen.getByTestId('device-back'));
    expect(document.activeElement).toBe(tile('a-core-sw'));
  });

  it('says why when the inventory cannot be read, with the engine reference and a retry', async () => {
    const user = userEvent.setup();
    let calls = 0;
    renderView({
      'equipment.inventory': () => {
        calls += 1;
        return calls === 1 ? failure('UPSTREAM_UNAVAILABLE', 'engine busy') : ok(fixtureInventory());
      },
    });
    const notice = await screen.findByTestId('equipment-error');
    expect(text(notice)).toContain('The equipment could not be loaded.');
    expect(text(notice)).toContain('The engine or one of its sources cannot be reached.');
    expect(text(notice)).toContain('corr-test-1');
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('device-tile-a-core-sw')).toBeTruthy();
  });

  it('speaks the operator’s language', async () => {
    const transport = createFakeTransport({
      'overview.get': () => ok(fixtureOverview()),
      ...equipmentHandlers(),
    });
    renderWithProviders(<EquipmentView />, { transport, locale: 'fr' });
    const sw = await screen.findByTestId('device-tile-a-core-sw');
    expect(text(sw)).toContain('Opérationnel');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Équipements');
    expect(text(screen.getByTestId('room-loose-zone-a-power'))).toContain('Équipements');
  });
});
