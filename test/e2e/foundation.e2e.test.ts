import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { EMAIL, PASSWORD } from './support/flows.ts';
import { studioSession } from './support/session.ts';

const STUDIOS = ['Create', 'Edit', 'Upscale', 'Social', 'Control', 'Library'];

describe.skipIf(!chromiumAvailable())('foundation: setup → login → dashboard → logout', () => {
  // This file is the first-run setup's own test: the session leaves it to the steps below.
  const session = studioSession({ setup: false });
  let page: Page;

  beforeAll(() => {
    page = session.page;
  });

  it('creates the admin on first run and lands on the dashboard', async () => {
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByRole('heading', { name: 'Welcome to Image Studio' }).waitFor();
    await shoot(page, 'setup');
    await page.getByLabel(/^Email/).fill(EMAIL);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByLabel(/^Confirm password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Studios' }).waitFor();
    session.expectNoErrors();
  });

  it('lists every studio with its status on the dashboard', async () => {
    for (const studio of STUDIOS) {
      const heading = page.getByRole('heading', { name: studio, exact: true });
      await heading.first().waitFor();
      expect(await heading.count()).toBe(1);
    }
    await shoot(page, 'dashboard');
    session.expectNoErrors();
  });

  it('is keyboard navigable with a visible focus ring', async () => {
    let reached = '';
    for (let i = 0; i < 25 && reached !== 'studio-create'; i++) {
      await page.keyboard.press('Tab');
      reached = String(await page.evaluate("document.activeElement?.getAttribute('data-testid') ?? ''"));
    }
    expect(reached).toBe('studio-create');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/create');
    await page.getByRole('heading', { name: 'Create', exact: true }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Studios' }).waitFor();
    session.expectNoErrors();
  });

  it('switches between light and dark themes', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await shoot(page, 'dashboard-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
  });

  it('logs out, and login brings the user back', async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shoot(page, 'login');
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(401);

    await page.getByLabel(/^Email/).fill(EMAIL);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Studios' }).waitFor();
    session.expectNoErrors();
  });

  it('a fresh install refuses a second setup', async () => {
    const again = await page.request.post('/api/auth/setup', {
      data: { email: 'other@example.com', password: PASSWORD },
      headers: { origin: session.server.baseUrl },
    });
    expect(again.status()).toBe(409);
  });
});
