/**
 * The metric explorer in Debian Chromium against `vigie serve --estate`: from a tile's details,
 * "Open in explorer" draws what the engine collected for that tile, read back from the embedded
 * metric store. A screenshot is kept as an artifact.
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

test('opens a tile in the explorer and draws its collected history', async ({ page }, testInfo) => {
  await page.goto(`${estate.url}/#token=${estate.token}`);
  const tile = page.getByTestId('tile-a-ups-1');
  await expect(tile).toHaveAttribute('data-stale', 'false', { timeout: 25_000 });
  await tile.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('open-in-explorer').click();

  await expect(page.getByTestId('explorer')).toBeVisible();
  await expect(page.getByTestId('source-state').first()).toContainText(/connected/i, { timeout: 25_000 });
  await expect(page.getByTestId('explorer-measurement')).toHaveValue('vigie');
  await expect(page.getByTestId('explorer-field')).toHaveValue('batteryCharge');
  // The engine writes through its durable queue (flushed about every second): the chart fills
  // once the first points reach the store.
  await expect(page.getByTestId('metric-chart-legend-item').first()).toBeVisible({ timeout: 25_000 });
  await expect(page.getByTestId('metric-chart-notice')).toHaveCount(0, { timeout: 25_000 });
  await page.screenshot({ path: testInfo.outputPath('explorer.png'), fullPage: true });
});

test('vigie query prints the same frames the explorer draws', async () => {
  const { code, out } = await estate.cli([
    'query',
    '--measurement',
    'vigie',
    '--field',
    'latency',
    '--where',
    'source=a-api-gw',
    '--agg',
    'raw',
    '--from',
    'now-15m',
    '--json',
  ]);
  expect(code, out).toBe(0);
  const result = JSON.parse(out) as {
    frames: { name: string; values: (number | null)[] }[];
    queryText: string;
    truncated: boolean;
  };
  expect(result.frames).toHaveLength(1);
  expect(result.frames[0]?.values.some((v) => typeof v === 'number' && v > 0)).toBe(true);
  expect(result.queryText).toMatch(/latency/);
  expect(result.truncated).toBe(false);
  const bad = await estate.cli([
    'query',
    '--measurement',
    'vigie',
    '--field',
    'latency',
    '--from',
    'tomorrow',
  ]);
  expect(bad.code).toBe(2);
  expect(bad.out).toMatch(/not a time/);
});
