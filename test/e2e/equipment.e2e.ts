/**
 * The equipment view in Debian Chromium against `vigie serve --estate`: every zone's rooms and
 * racks with their devices where the inventory puts them, a core switch's interfaces exactly as
 * the engine serves them (with its traffic charted from the store), and a zone A UPS page that
 * goes on battery when the zone-a-power-failure drill runs. Screenshots are kept as artifacts.
 */
import { expect, test, type Page } from '@playwright/test';
import type { EquipmentInventory } from '../../shared/api';
import { engineCall } from './support/engine-call';
import { openAs } from './support/sign-in';
import { serveEstate, type ServedEstate } from './support/serve-estate';

let estate: ServedEstate;

test.beforeAll(async () => {
  estate = await serveEstate();
});
test.afterAll(async () => {
  await estate?.stop();
});

/** Device polls run every 10 s: allow two cycles and a refresh of the view. */
const POLL_WAIT = 30_000;

async function polledInventory(): Promise<EquipmentInventory> {
  await expect
    .poll(
      async () => {
        const inventory = await engineCall(estate.url, estate.token, 'equipment.inventory', {});
        return inventory.devices.every((d) => d.health.lastSuccessAt !== null);
      },
      { timeout: POLL_WAIT },
    )
    .toBe(true);
  return engineCall(estate.url, estate.token, 'equipment.inventory', {});
}

async function openEquipment(page: Page): Promise<void> {
  await openAs(page, estate.url, estate.token, 'operator');
  await expect(page.getByTestId('overview')).toBeVisible();
  // From the keyboard, as an operator would: g then q.
  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await expect(page.getByTestId('equipment')).toBeVisible();
}

test('shows every zone’s rooms and racks with each device where the inventory puts it', async ({
  page,
}, testInfo) => {
  const inventory = await polledInventory();
  expect(inventory.racks.length).toBeGreaterThan(0);
  await openEquipment(page);
  for (const zone of inventory.zones) {
    await page.getByTestId(`equipment-zone-tab-${zone.id}`).click();
    const panel = page.getByTestId(`equipment-zone-${zone.id}`);
    await expect(panel).toBeVisible();
    for (const room of inventory.rooms.filter((r) => r.zone === zone.id)) {
      await expect(panel.getByTestId(`room-${room.id}`)).toContainText(room.name);
      for (const rack of inventory.racks.filter((r) => r.room === room.id)) {
        const drawn = panel.getByTestId(`rack-${rack.id}`);
        await expect(drawn).toContainText(rack.name);
        await expect(drawn).toHaveAttribute('data-height-u', String(rack.heightU));
        await expect(drawn.locator('[data-u]')).toHaveCount(rack.heightU);
      }
    }
    for (const device of inventory.devices.filter((d) => d.zone === zone.id)) {
      const tile = panel.getByTestId(`device-tile-${device.id}`);
      await expect(tile).toContainText(device.name);
      await expect(tile).toHaveAttribute('data-stale', 'false', { timeout: POLL_WAIT });
      await expect(tile).not.toHaveAttribute('data-status', 'unknown');
      if (device.rack) {
        // In its rack, spanning its U (U1 at the bottom: row 1 is the rack's top U).
        const rack = inventory.racks.find((r) => r.id === device.rack?.id);
        expect(rack).toBeDefined();
        const top = device.rack.positionU + device.rack.heightU - 1;
        await expect(
          panel.getByTestId(`rack-${device.rack.id}`).getByTestId(`device-tile-${device.id}`),
        ).toBeVisible();
        await expect(tile.locator('xpath=..')).toHaveCSS(
          'grid-row-start',
          String((rack?.heightU ?? 0) - top + 1),
        );
        await expect(tile.locator('xpath=..')).toHaveCSS('grid-row-end', `span ${device.rack.heightU}`);
      } else if (device.room) {
        await expect(
          panel.getByTestId(`room-loose-${device.room}`).getByTestId(`device-tile-${device.id}`),
        ).toBeVisible();
      }
    }
    await page.screenshot({ path: testInfo.outputPath(`equipment-${zone.id}.png`), fullPage: true });
  }
});

test('a core switch’s page lists its interfaces as the engine serves them and charts their traffic', async ({
  page,
}, testInfo) => {
  const inventory = await polledInventory();
  const sw = inventory.devices.find((d) => d.kind === 'switch' && d.zone === 'zone-a');
  expect(sw).toBeDefined();
  if (!sw) return;
  await openEquipment(page);
  await page.getByTestId('equipment-zone-tab-zone-a').click();
  // Keyboard: focus the switch's tile and open it with Enter.
  await page.getByTestId(`device-tile-${sw.id}`).focus();
  await page.keyboard.press('Enter');
  const devicePage = page.getByTestId('device-page');
  await expect(devicePage).toHaveAttribute('data-device-id', sw.id);
  await expect(devicePage.getByRole('heading', { level: 1 })).toHaveText(sw.name);

  const detail = await engineCall(estate.url, estate.token, 'equipment.device', { id: sw.id });
  const ifMib = detail.profiles.find((p) => p.profile === 'if-mib');
  expect(ifMib).toBeDefined();
  const served = [
    ...new Set(ifMib?.readings.filter((r) => r.instance !== null).map((r) => r.labels['ifName'] ?? '')),
  ];
  expect(served.length).toBeGreaterThan(1);
  const rows = page.getByTestId('interface-row');
  await expect(rows).toHaveCount(served.length);
  expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-interface')))).toEqual(served);

  // A link the engine says is down (admin up, oper down) stands out; the others do not.
  for (const name of served) {
    const oper = ifMib?.readings.find((r) => r.metric === 'operStatus' && r.labels['ifName'] === name);
    const admin = ifMib?.readings.find((r) => r.metric === 'adminStatus' && r.labels['ifName'] === name);
    const down = admin?.label === 'up' && oper?.label === 'down';
    await expect(page.locator(`[data-testid="interface-row"][data-interface="${name}"]`)).toHaveAttribute(
      'data-state',
      down ? 'down' : /up|disabled|testing|unknown/,
    );
  }

  // Rates need two polls: the first row's traffic becomes a number of bit/s.
  await expect(rows.first().getByTestId('interface-in')).toContainText('bit/s', { timeout: POLL_WAIT });
  await expect(page.getByTestId('device-identity')).toContainText('Datacenter core switch');
  await expect(page.getByTestId('health-requests')).toContainText('sent');
  await expect(page.getByTestId('device-traps')).toContainText('Receiver on');
  await expect(page.getByTestId('device-ssh').getByTestId('host-key')).toBeVisible();

  // Traffic charts from the store, a line per interface, named as the engine names them.
  const traffic = page.getByTestId('traffic-inBitsPerSecond');
  await expect(traffic.getByTestId('metric-chart-legend-item').first()).toBeVisible({ timeout: 45_000 });
  const legend = await traffic.getByTestId('metric-chart-legend-item').allTextContents();
  for (const name of served) expect(legend.some((label) => label.includes(name))).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('equipment-switch.png'), fullPage: true });

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('device-page')).toHaveCount(0);
  await expect(page.getByTestId(`device-tile-${sw.id}`)).toBeFocused();
});

test('a zone A UPS page goes on battery when the zone A power failure drill runs', async ({
  page,
}, testInfo) => {
  const inventory = await polledInventory();
  const ups = inventory.devices.find((d) => d.kind === 'ups' && d.zone === 'zone-a');
  expect(ups).toBeDefined();
  if (!ups) return;
  await openEquipment(page);
  await page.getByTestId('equipment-zone-tab-zone-a').click();
  await page.getByTestId(`device-tile-${ups.id}`).click();
  const section = page.getByTestId('device-ups');
  await expect(section).toBeVisible();
  await expect(section.getByTestId('ups-on-mains')).toBeVisible({ timeout: POLL_WAIT });
  await expect(section.getByTestId('ups-outputSource')).toContainText('Normal (mains)');
  await expect(section.getByTestId('ups-batteryStatus')).toContainText('Normal');
  await page.screenshot({ path: testInfo.outputPath('equipment-ups-mains.png'), fullPage: true });

  const drill = await estate.cli(['estate', 'scenario', 'zone-a-power-failure']);
  expect(drill.code, drill.out).toBe(0);
  await expect(section.getByTestId('ups-on-battery')).toBeVisible({ timeout: POLL_WAIT });
  await expect(section.getByTestId('ups-outputSource')).toContainText('Battery');
  await expect(section.getByTestId('ups-secondsOnBattery')).not.toContainText('No (on mains)');
  await expect(page.getByTestId('device-page')).not.toHaveAttribute('data-status', 'up');
  // The UPS's traps, as the engine received them: on battery, and the alarm it raised.
  const traps = page.getByTestId('device-traps');
  await expect(traps.locator('[data-testid="device-trap"][data-kind="upsOnBattery"]').first()).toContainText(
    'UPS on battery',
    { timeout: POLL_WAIT },
  );
  await expect(traps.locator('[data-testid="device-trap"][data-kind="upsAlarmAdded"]').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('equipment-ups-on-battery.png'), fullPage: true });

  const restore = await estate.cli(['estate', 'scenario', 'restore']);
  expect(restore.code, restore.out).toBe(0);
  await expect(section.getByTestId('ups-on-mains')).toBeVisible({ timeout: POLL_WAIT });
  // The alarm removed clears the alarm added: it stays listed, marked as cleared.
  await expect(traps.locator('[data-testid="device-trap"][data-kind="upsAlarmRemoved"]').first()).toBeVisible(
    {
      timeout: POLL_WAIT,
    },
  );
  await expect(
    traps.locator('[data-testid="device-trap"][data-kind="upsAlarmAdded"]').first(),
  ).toHaveAttribute('data-cleared', 'true');
});

test('SSH diagnostics on core switch A: read the host key, confirm it, run uptime and read the load', async ({
  page,
}, testInfo) => {
  await openEquipment(page);
  await page.getByTestId('equipment-zone-tab-zone-a').click();
  await page.getByTestId('device-tile-a-core-sw').click();
  const ssh = page.getByTestId('device-ssh');
  const hostKey = ssh.getByTestId('host-key');
  await expect(hostKey).toHaveAttribute('data-state', 'unknown');

  // From the keyboard: the read button is reachable and pressed with Enter.
  await ssh.getByTestId('host-key-read').focus();
  await page.keyboard.press('Enter');
  await expect(hostKey).toHaveAttribute('data-state', 'unconfirmed');
  const served = await engineCall(estate.url, estate.token, 'diagnostics.hostKey', { deviceId: 'a-core-sw' });
  expect(served.presented?.fingerprint).toMatch(/^SHA256:/);
  await expect(hostKey.getByTestId('host-key-presented')).toContainText(served.presented?.fingerprint ?? '-');
  await expect(hostKey.getByTestId('host-key-endpoint')).toContainText(served.endpoint);
  await expect(hostKey.getByTestId('host-key-hint')).toContainText('ssh-keygen -lf');

  await hostKey.getByTestId('host-key-confirm').click();
  await expect(hostKey).toHaveAttribute('data-state', 'pinned');
  await expect(hostKey.getByTestId('host-key-pinned')).toContainText(served.presented?.fingerprint ?? '-');

  await ssh.getByTestId('ssh-template').selectOption('uptime');
  await ssh.getByTestId('ssh-run').click();
  const result = ssh.getByTestId('ssh-result');
  await expect(result).toBeVisible({ timeout: 20_000 });
  await expect(result.getByTestId('ssh-exit-code')).toHaveAttribute('data-exit-code', '0');
  await expect(result.getByTestId('ssh-stdout')).toContainText('load average');
  const load = result.locator('[data-testid="ssh-reading"][data-reading="load_1m"]');
  await expect(load).toContainText('Load average, 1 min');
  await expect(load.getByTestId('ssh-reading-value')).toHaveText(/^\d/);
  await ssh.screenshot({ path: testInfo.outputPath('equipment-ssh.png') });
});
