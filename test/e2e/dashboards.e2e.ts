/**
 * Dashboards and the wall in Debian Chromium against `vigie serve --estate`: the built-in zone
 * dashboard draws the estate's collected data, and the wall rotates a playlist with its clock and
 * last update. Screenshots of both are kept as artifacts.
 */
import { expect, test } from '@playwright/test';
import { serveEstate, type ServedEstate } from './support/serve-estate';

let estate: ServedEstate;

test.beforeAll(async () => {
  estate = await serveEstate();
});
test.afterAll(async () => {
  await estate?.stop();
});

test('the built-in Zone A dashboard draws what the estate collected', async ({ page }, testInfo) => {
  await page.goto(`${estate.url}/?view=dashboards#token=${estate.token}`);
  await expect(page.getByTestId('dashboards')).toBeVisible();
  const item = page.getByTestId('dashboard-item-auto-zone-zone-a');
  await expect(item).toHaveAttribute('data-origin', 'auto');
  await item.getByRole('button').click();
  await expect(page.getByTestId('dashboard-title')).toContainText('Zone A');
  const battery = page.getByTestId('panel-ups-battery-charge');
  await expect(battery).toBeVisible();
  // Points reach the store through the durable queue about once a second.
  await expect(battery.getByTestId('metric-chart-legend-item').first()).toBeVisible({ timeout: 30_000 });
  await expect(battery.getByTestId('metric-chart-notice')).toHaveCount(0, { timeout: 30_000 });
  await page.screenshot({ path: testInfo.outputPath('dashboard-zone-a.png'), fullPage: true });
});

test('the wall rotates its playlist and shows its clock and last update', async ({ page }, testInfo) => {
  await page.goto(
    `${estate.url}/?view=wall&playlist=overview,auto-zone-zone-a&interval=5#token=${estate.token}`,
  );
  await expect(page.getByTestId('wall')).toBeVisible();
  await expect(page.getByTestId('wall-clock')).not.toBeEmpty();
  await expect(page.getByTestId('wall-last-update')).not.toBeEmpty({ timeout: 30_000 });
  const title = page.getByTestId('wall-title');
  const first = await title.textContent();
  await expect(title).not.toHaveText(first ?? '', { timeout: 15_000 });
  await expect(page.getByTestId('wall-not-updating')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('wall.png'), fullPage: true });
});
