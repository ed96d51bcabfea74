import type { Page } from 'playwright-core';

export const EMAIL = 'admin@example.com';
export const PASSWORD = 'correct horse battery';

/** First-run setup through the UI; ends on the dashboard. */
export async function setupThroughUi(page: Page, email = EMAIL, password = PASSWORD): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/setup');
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByLabel(/^Confirm password/).fill(password);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await page.getByRole('heading', { name: 'Studios' }).waitFor();
}

export async function loginThroughUi(page: Page, email = EMAIL, password = PASSWORD): Promise<void> {
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function logoutThroughUi(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
}

/** Navigates with the app's own navigation (no full reload), as a user would. */
export async function openFromNav(page: Page, label: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  const toggle = page.getByRole('button', { name: 'Toggle navigation' });
  // Right after a sign-in the layout may not be drawn yet: wait for one of the two to show.
  await nav.or(toggle).first().waitFor();
  if (!(await nav.isVisible())) {
    await toggle.click();
  }
  await nav.getByRole('link', { name: label, exact: true }).click();
}
