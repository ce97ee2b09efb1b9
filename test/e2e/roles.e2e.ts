/**
 * Issue 6, "signing in as each demo role shows exactly what that role may see and do", in Debian
 * Chromium against `vigie serve --estate`: for every demo user, the views in the navigation are
 * exactly those its capabilities open, the header names the person and their roles, the drill
 * buttons are enabled only for those who may run drills, and the eHealth-only operator's overview
 * holds the eHealth services alone. Then a seat is locked (nothing of the console left on screen)
 * and unlocked, and a signed-out seat shows the read-only console again.
 */
import { expect, test } from '@playwright/test';
import { capabilitiesOf } from '../../shared/api';
import { DEMO_USERS } from '../../electron/engine/estate/demo-users';
import type { Capability } from '../../shared/api';
import { engineCall } from './support/engine-call';
import { serveEstate, type ServedEstate } from './support/serve-estate';
import { demoPassword, openAs } from './support/sign-in';

let estate: ServedEstate;

/** What each view of the navigation needs: the specification this test holds the console to. */
const VIEW_ACCESS: Readonly<Record<string, Capability>> = {
  overview: 'view',
  alarms: 'view',
  equipment: 'view.infrastructure',
  explorer: 'view.infrastructure',
  dashboards: 'view.infrastructure',
  wall: 'view',
  audit: 'audit.read',
  accounts: 'users.manage',
  secrets: 'secrets.manage',
};

test.beforeAll(async () => {
  estate = await serveEstate();
});
test.afterAll(async () => {
  await estate?.stop();
});

for (const user of DEMO_USERS) {
  test(`${user.login} sees and may do exactly what ${user.roles.join(' + ')} allows`, async ({
    browser,
  }, testInfo) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openAs(page, estate.url, estate.token, user.login);
    const capabilities = capabilitiesOf(user.roles, user.clients);
    await expect(page.getByTestId('role').last()).toHaveAttribute('data-roles', user.roles.join(' '));

    const expected = Object.entries(VIEW_ACCESS)
      .filter(([, capability]) => capabilities.includes(capability))
      .map(([view]) => `view-${view}`)
      .sort();
    await expect
      .poll(async () =>
        (
          await page
            .locator('nav.view-switch [data-testid^="view-"]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))
        ).sort(),
      )
      .toEqual(expected);

    // Drills: the buttons act only for those who may run them, and say why to the others.
    const drill = page.getByTestId('scenario-restore');
    await expect(drill).toBeVisible();
    if (capabilities.includes('estate.drill')) await expect(drill).toBeEnabled();
    else {
      await expect(drill).toBeDisabled();
      await expect(page.getByTestId('drills-viewer-explanation')).toBeVisible();
    }

    // A scoped person's overview holds their clients' services only.
    const tiles = await page
      .locator('[data-tile-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tile-id') ?? ''));
    if (user.clients.includes('*')) expect(tiles.length).toBeGreaterThanOrEqual(31);
    else expect([...new Set(tiles)].sort()).toEqual(['a-ehealth', 'b-ehealth']);

    await page.screenshot({ path: testInfo.outputPath(`signed-in-${user.login}.png`) });
    await context.close();
  });
}

test('a locked seat shows nothing of the console until its person unlocks it; signing out leaves the read-only view', async ({
  page,
}, testInfo) => {
  await openAs(page, estate.url, estate.token, 'operator');
  await expect(page.getByTestId('overview')).toBeVisible();
  await page.keyboard.press('Shift+L');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('overview')).toHaveCount(0);
  await expect(page.getByTestId('lock-person')).toContainText('Demo operator');
  await page.screenshot({ path: testInfo.outputPath('locked.png') });
  // The engine holds the lock, not the page: the seat's session refuses to act while locked.
  await page.getByTestId('unlock-password').fill('not the password');
  await page.getByTestId('unlock-password').press('Enter');
  await expect(page.getByTestId('lock-screen').getByRole('alert')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('overview')).toHaveCount(0);
  await page.getByTestId('unlock-password').fill(demoPassword('operator'));
  await page.getByTestId('unlock-password').press('Enter');
  await expect(page.getByTestId('overview')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('session-sign-out').click();
  await expect(page.getByTestId('session-sign-in')).toBeVisible();
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('scenario-restore')).toBeDisabled();
  // What the engine says of this estate's sign-ins: the audit trail has them, read as the machine.
  const audit = await engineCall(
    estate.url,
    estate.token,
    'audit.query',
    { action: 'identity.signIn', limit: 50 },
    estate.operatorKey,
  );
  expect(audit.entries.some((e) => e.target === 'operator')).toBe(true);
});
