/**
 * Signing in on a browser seat as one of the training estate's demo users, through the console's
 * own sign-in form (the header's "Sign in", or the full-screen form where anonymous viewing is
 * off), as a person would.
 */
import { expect, type Page } from '@playwright/test';
import { DEMO_USERS } from '../../../electron/engine/estate/demo-users';

export function demoPassword(login: string): string {
  const user = DEMO_USERS.find((u) => u.login === login);
  if (!user) throw new Error(`no demo user "${login}"`);
  return user.password;
}

/** Signs `login` in on the seat shown in `page`; resolves once the header names them. */
export async function signIn(page: Page, login: string): Promise<void> {
  const form = page.getByTestId('sign-in-form');
  if (!(await form.isVisible())) await page.getByTestId('session-sign-in').click();
  await expect(form).toBeVisible();
  await page.getByTestId('sign-in-login').fill(login);
  await page.getByTestId('sign-in-password').fill(demoPassword(login));
  await form.locator('button[type="submit"]').click();
  await expect(page.getByTestId('person')).toHaveText(login, { timeout: 15_000 });
}

/** Opens the console at `path` (view and query) with the seat token, then signs `login` in. */
export async function openAs(
  page: Page,
  url: string,
  token: string,
  login: string,
  path = '/',
): Promise<void> {
  await page.goto(`${url}${path}#token=${token}`);
  await expect(page.getByTestId('training-banner')).toBeVisible();
  await signIn(page, login);
}
