/**
 * Dashboards and the wall in Debian Chromium against `vigie serve --estate`: the built-in zone
 * dashboard draws the estate's collected data, and the wall rotates a playlist with its clock and
 * last update. Screenshots of both are kept as artifacts.
 */
import { expect, test } from '@playwright/test';
import { openAs } from './support/sign-in';
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

test('a version 1 file imports as version 2 and keeps a fixed period, shown as not live', async ({
  page,
}, testInfo) => {
  await openAs(page, estate.url, estate.token, 'operator', '/?view=dashboards');
  await page.getByTestId('dashboard-import').click();
  // As Vigie 0.1 exported it: `range: '24h'`, format version 1.
  await page
    .getByTestId('import-file')
    .setInputFiles(new URL('../fixtures/dashboards/night-shift-v1.json', import.meta.url).pathname);
  await expect(page.getByTestId('import-json')).toContainText('"schemaVersion": 1');
  await page.getByTestId('import-check').click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('Converted from format version 1.');
  await expect(preview).toContainText('period 24 h');
  await preview.getByTestId('import-save').click();
  await expect(page.getByTestId('dashboard-title')).toHaveText('Night shift');
  await expect(page.getByTestId('dashboard-preset-24h')).toHaveAttribute('aria-pressed', 'true');

  // An incident review: a fixed period typed in the operator's zone, kept with the dashboard.
  await page.getByTestId('dashboard-period-from').fill('2024-03-10T14:00');
  await page.getByTestId('dashboard-period-to').fill('2024-03-10T16:30');
  await page.getByTestId('dashboard-period-apply').click();
  const mode = page.getByTestId('dashboard-mode');
  await expect(mode).toHaveAttribute('data-live', 'false');
  await expect(mode).toContainText('Fixed period');
  await page.getByTestId('dashboard-keep-period').click();
  await page.getByTestId('dashboard-save').click();
  await expect(page.getByTestId('dashboard-unsaved')).toHaveCount(0);
  // Nothing was collected then: the panels say so instead of drawing a calm line.
  await expect(page.getByTestId('panel-ups-battery').getByTestId('metric-chart-notice')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('dashboard-fixed-period.png'), fullPage: true });

  await page.reload();
  await page.getByTestId('dashboard-item-night-shift').getByRole('button').click();
  await expect(page.getByTestId('dashboard-mode')).toHaveAttribute('data-live', 'false');
  await expect(page.getByTestId('dashboard-period-from')).toHaveValue('2024-03-10T14:00');
});
