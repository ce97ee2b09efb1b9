/**
 * Maintenance windows in Debian Chromium against `vigie serve --estate`: an operator opens the
 * alarms view (g a), the maintenance windows (m), plans a one-off window for zone B from this
 * minute for an hour (n, the form's defaults) with a reason, sees it active now, finds it in the
 * engine's own list, then deletes it with a reason.
 */
import { expect, test } from '@playwright/test';
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

const TITLE = 'Zone B switchboard inspection';

test('an operator plans a one-off window for zone B, sees it active, and deletes it with a reason', async ({
  page,
}, testInfo) => {
  await openAs(page, estate.url, estate.token, 'operator');
  await expect(page.getByTestId('overview')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page.getByTestId('alarms')).toHaveAttribute('data-mode', 'list');
  await page.keyboard.press('m');
  const panel = page.getByTestId('maintenance');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('maintenance-new')).toBeEnabled();

  const before = Date.now();
  await page.keyboard.press('n');
  const form = page.getByTestId('maintenance-form');
  await expect(form).toBeVisible();
  // The focus starts on the title; the schedule defaults to once, from this minute for an hour.
  await expect(form.getByTestId('maintenance-title')).toBeFocused();
  await expect(form.getByTestId('maintenance-kind-once')).toBeChecked();
  await page.keyboard.type(TITLE);
  await form
    .getByTestId('maintenance-reason')
    .fill('Annual inspection by the electrician, breakers tested one by one');
  await form.getByTestId('maintenance-zones-zone-b').check();
  await expect(form.getByTestId('maintenance-preview')).toBeVisible();
  await form.getByTestId('maintenance-submit').click();
  await expect(form).toBeHidden();

  const item = panel.locator('[data-testid="maintenance-window"]', { hasText: TITLE });
  await expect(item).toHaveAttribute('data-timing', 'active');
  await expect(item.getByTestId('maintenance-scope')).toContainText('Zone B');
  await panel.screenshot({ path: testInfo.outputPath('maintenance-active.png') });

  const list = await engineCall(estate.url, estate.token, 'maintenance.list', {});
  const entry = list.windows.find((e) => e.window.title === TITLE);
  expect(entry, JSON.stringify(list)).toBeDefined();
  const { window, activeNow } = entry!;
  expect(window.reason).toBe('Annual inspection by the electrician, breakers tested one by one');
  expect(window.scope).toEqual({ devices: [], services: [], zones: ['zone-b'], tags: [] });
  if (window.schedule.kind !== 'once') throw new Error(`a one-off window, not ${window.schedule.kind}`);
  expect(window.schedule.from).toBeLessThanOrEqual(before);
  expect(window.schedule.from).toBeGreaterThan(before - 60_000);
  expect(window.schedule.to - window.schedule.from).toBe(3_600_000);
  expect(activeNow).toEqual({ from: window.schedule.from, to: window.schedule.to });
  await expect(item).toHaveAttribute('data-window-id', window.id);

  // Delete: a reason is asked for first.
  await item.getByTestId('maintenance-delete').click();
  const dialog = page.getByTestId('maintenance-delete-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('maintenance-delete-submit').click();
  await expect(dialog.getByTestId('maintenance-delete-required')).toBeVisible();
  await dialog.getByTestId('maintenance-delete-reason').fill('Electrician postponed to next week');
  await dialog.getByTestId('maintenance-delete-submit').click();
  await expect(dialog).toBeHidden();
  await expect(item).toHaveCount(0);
  const after = await engineCall(estate.url, estate.token, 'maintenance.list', {});
  expect(after.windows.some((e) => e.window.id === window.id)).toBe(false);

  // Esc goes back to the alarms.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('alarms')).toHaveAttribute('data-mode', 'list');
});
