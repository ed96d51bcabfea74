import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seriousViolations } from './support/axe.ts';
import { chromiumAvailable, DESKTOP, PHONE, SCREENSHOT_DIR } from './support/browser.ts';
import { loginThroughUi, openFromNav, setupThroughUi } from './support/flows.ts';
import { studioSession } from './support/session.ts';

/** Every screen of the app, by its navigation label and the heading it shows when it is ready. */
const SCREENS = [
  { nav: 'Dashboard', heading: 'Studios' },
  { nav: 'Create', heading: 'Create' },
  { nav: 'Edit', heading: 'Edit' },
  { nav: 'Upscale', heading: 'Upscale' },
  { nav: 'Social', heading: /Social/ },
  { nav: 'Control', heading: /Control/ },
  { nav: 'Compress & Convert', heading: /Compress/ },
  { nav: 'Library', heading: 'Library' },
  { nav: 'Settings', heading: 'Settings' },
] as const;

const SETTINGS_TABS = ['API tokens', 'Provider keys', 'Brand personas', 'Plan & credits', 'Account', 'Users'];

/**
 * Checks the screen as it is now at desktop and at phone width: no serious or critical axe-core
 * violation (colour contrast included, so in both themes), and a screenshot of each that is a PNG of
 * the viewport's size with more than one colour in it. Sizes only: nothing here depends on how one
 * Chromium lays out or which fonts it has.
 */
async function checkScreen(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    // Layout, Mantine's media-query hooks and the navbar's collapse settle at the new width.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    await page.evaluate(
      'Promise.all(document.getAnimations().filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))).then(() => undefined)',
    );
    expect(await seriousViolations(page), `${name} at ${label} width`).toEqual([]);
    const png = await page.screenshot({ path: path.join(SCREENSHOT_DIR, `a11y-${name}-${label}.png`) });
    const image = sharp(png);
    const meta = await image.metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', size.width, size.height]);
    const stats = await image.stats();
    expect(
      stats.channels.slice(0, 3).some((c) => c.max > c.min),
      `${name} at ${label} width is blank`,
    ).toBe(true);
  }
  await page.setViewportSize(DESKTOP);
}

describe.skipIf(!chromiumAvailable())('accessibility: every screen, both themes, desktop and phone', () => {
  // The setup screen is one of the screens checked: the first step sets the admin up itself.
  const session = studioSession({ setup: false });
  let assetId = 0;
  let shareUrl = '';

  it('the first-run setup screen', async () => {
    const { page } = session;
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByRole('button', { name: 'Create admin account' }).waitFor();
    await checkScreen(page, 'setup');
    await setupThroughUi(page);
    session.expectNoErrors();

    // An image in the library: for Edit's ?asset= and a public share page.
    const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#2255ff' } })
      .png()
      .toBuffer();
    const uploaded = await page.request.post('/api/content-assets/upload', {
      headers: { origin: session.server.baseUrl },
      data: { image_base64: png.toString('base64'), title: 'Blue card' },
    });
    expect(uploaded.status()).toBe(201);
    assetId = z.object({ id: z.number() }).parse(await uploaded.json()).id;
    const shared = await page.request.post('/api/share-links', {
      headers: { origin: session.server.baseUrl },
      data: { asset_id: assetId },
    });
    expect(shared.status()).toBe(201);
    shareUrl = z.object({ url: z.string() }).parse(await shared.json()).url;
  });

  for (const scheme of ['light', 'dark'] as const) {
    describe(`${scheme} theme`, () => {
      let page: Page;
      let errors: string[];

      beforeAll(async () => {
        ({ page, errors } = await session.newPage({ colorScheme: scheme }));
      });

      it('the sign-in screen', async () => {
        await page.goto('/login');
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        await checkScreen(page, `login-${scheme}`);
        await loginThroughUi(page);
        await page.getByRole('heading', { name: 'Studios' }).waitFor();
        expect(errors.join('\n')).toBe('');
      });

      for (const screen of SCREENS) {
        it(screen.nav, async () => {
          await openFromNav(page, screen.nav);
          await page.getByRole('heading', { name: screen.heading, level: 1 }).first().waitFor();
          // Lists and catalogues load after the heading; check what the user will see.
          await page.waitForLoadState('networkidle');
          await checkScreen(page, `${screen.nav.replace(/\W+/g, '-').toLowerCase()}-${scheme}`);
          expect(errors.join('\n')).toBe('');
        });
      }

      it('every Settings tab', async () => {
        for (const tab of SETTINGS_TABS) {
          await page.getByRole('tab', { name: tab }).click();
          await page.waitForLoadState('networkidle');
          await checkScreen(page, `settings-${tab.replace(/\W+/g, '-').toLowerCase()}-${scheme}`);
        }
        expect(errors.join('\n')).toBe('');
      });

      it('the phone navigation, open', async () => {
        await page.setViewportSize(PHONE);
        await page.getByRole('button', { name: 'Toggle navigation' }).click();
        await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await page.getByRole('button', { name: 'Toggle navigation' }).click();
        await page.setViewportSize(DESKTOP);
      });

      it('Edit opened with ?asset= has that image loaded', async () => {
        await page.goto(`/edit?asset=${assetId}`);
        await page.getByTestId('edit-source-name').getByText('· 320×240').waitFor();
        expect(await page.getByTestId('edit-source-name').textContent()).toBe('Blue card · 320×240');
        await page.waitForLoadState('networkidle');
        await checkScreen(page, `edit-asset-${scheme}`);
        expect(errors.join('\n')).toBe('');
      });

      it('the public share page', async () => {
        await page.goto(shareUrl);
        await page.getByRole('heading', { name: 'Blue card' }).waitFor();
        await page.getByRole('img', { name: 'Blue card' }).waitFor();
        await checkScreen(page, `share-${scheme}`);
        expect(errors.join('\n')).toBe('');
      });
    });
  }
});
