/**
 * The overview in a real browser (Debian Chromium) against `vigie serve --estate`: every zone and
 * tile shows a fresh value; the zone A power-failure drill turns zone A's UPS to "on battery" and
 * degrades its services; `restore` brings them back. Screenshots are kept as artifacts.
 */
import { expect, test, type Page } from '@playwright/test';
import { openAs } from './support/sign-in';
import { serveEstate, type ServedEstate } from './support/serve-estate';

let estate: ServedEstate;

test.beforeAll(async () => {
  estate = await serveEstate();
});
test.afterAll(async () => {
  await estate?.stop();
});

/** Device polls run every 10 s and service probes every 5 s: allow two device cycles. */
const POLL_WAIT = 25_000;

async function inventory(): Promise<{
  zones: string[];
  tiles: { id: string; zoneId: string; kind: string }[];
}> {
  const { code, out } = await estate.cli(['status', '--json']);
  expect(code, out).toBe(0);
  const overview = JSON.parse(out) as {
    zones: { id: string }[];
    tiles: { id: string; zoneId: string; kind: string }[];
  };
  return { zones: overview.zones.map((z) => z.id), tiles: overview.tiles };
}

async function openConsole(page: Page, asOperator: boolean): Promise<void> {
  if (asOperator) {
    await openAs(page, estate.url, estate.token, 'operator');
    return;
  }
  await page.goto(`${estate.url}/#token=${estate.token}`);
  await expect(page.getByTestId('training-banner')).toBeVisible();
}

test('shows every zone and tile of the training estate with a fresh value', async ({ page }, testInfo) => {
  const { zones, tiles } = await inventory();
  expect(zones).toEqual(['zone-a', 'zone-b', 'witness']);
  expect(tiles.length).toBeGreaterThanOrEqual(31);
  await openConsole(page, false);
  for (const zone of zones) await expect(page.getByTestId(`zone-${zone}`)).toBeVisible();
  for (const tile of tiles) {
    const el = page.getByTestId(`tile-${tile.id}`);
    await expect(el).toBeVisible();
    await expect(el).toHaveAttribute('data-stale', 'false', { timeout: POLL_WAIT });
    await expect(el.getByTestId('tile-value')).not.toBeEmpty();
    await expect(el.getByTestId('tile-age')).not.toBeEmpty();
  }
  // Nothing is unknown once every source has answered.
  for (const tile of tiles)
    await expect(page.getByTestId(`tile-${tile.id}`)).not.toHaveAttribute('data-status', 'unknown');
  await page.screenshot({ path: testInfo.outputPath('overview.png'), fullPage: true });
});

test('the zone A power failure drill puts zone A on battery and degrades its services, and restore ends it', async ({
  page,
}, testInfo) => {
  const { tiles } = await inventory();
  const upsA = tiles.filter((t) => t.zoneId === 'zone-a' && t.kind === 'ups');
  const servicesA = tiles.filter((t) => t.zoneId === 'zone-a' && t.kind === 'service');
  const upsB = tiles.filter((t) => t.zoneId === 'zone-b' && t.kind === 'ups');
  expect(upsA.length).toBeGreaterThanOrEqual(2);
  expect(servicesA.length).toBeGreaterThanOrEqual(6);
  await openConsole(page, true);
  for (const t of upsA)
    await expect(page.getByTestId(`tile-${t.id}`)).toHaveAttribute('data-condition', 'ok', {
      timeout: POLL_WAIT,
    });

  await page.getByTestId('scenario-zone-a-power-failure').click();
  for (const t of upsA)
    await expect(page.getByTestId(`tile-${t.id}`)).toHaveAttribute('data-condition', /onBattery|batteryLow/, {
      timeout: POLL_WAIT,
    });
  for (const t of servicesA)
    await expect(page.getByTestId(`tile-${t.id}`)).toHaveAttribute('data-status', /degraded|down/, {
      timeout: POLL_WAIT,
    });
  for (const t of upsB)
    await expect(page.getByTestId(`tile-${t.id}`)).toHaveAttribute('data-condition', 'ok');
  await expect(page.getByTestId('zone-zone-a')).toHaveAttribute('data-status', /degraded|down/);
  await page.screenshot({ path: testInfo.outputPath('power-failure.png'), fullPage: true });

  await page.getByTestId('scenario-restore').click();
  for (const t of upsA)
    await expect(page.getByTestId(`tile-${t.id}`)).toHaveAttribute('data-condition', 'ok', {
      timeout: POLL_WAIT,
    });
  await page.screenshot({ path: testInfo.outputPath('restored.png'), fullPage: true });
});

test('a viewer seat without the token is told so and shows no status', async ({ page }) => {
  await page.goto(`${estate.url}/`);
  await expect(page.locator('[data-status="up"]')).toHaveCount(0);
});
