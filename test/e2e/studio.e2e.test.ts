import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, DESKTOP, launch, shoot, watchErrors } from './support/browser.ts';
import { logoutThroughUi, openFromNav, setupThroughUi } from './support/flows.ts';
import { type RunningServer, startServer } from './support/server.ts';

const colour = (r: number, g: number, b: number) =>
  sharp({ create: { width: 96, height: 64, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();

describe.skipIf(!chromiumAvailable())('studio: library, favorites, search, ZIP, tokens', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
    context = await browser.newContext({ viewport: DESKTOP, baseURL: server.baseUrl, acceptDownloads: true });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sets up the admin', async () => {
    await setupThroughUi(page);
    expect(errors.join('\n')).toBe('');
  });

  it('seeds two images into the library', async () => {
    const images = [
      {
        title: 'Lighthouse at dawn',
        prompt: 'a lighthouse at dawn, soft light',
        bytes: await colour(200, 120, 40),
      },
      { title: 'Forest cabin', prompt: 'a cabin in a pine forest', bytes: await colour(30, 120, 60) },
    ];
    for (const image of images) {
      const response = await page.request.post('/api/content-assets/upload', {
        headers: { origin: server.baseUrl },
        data: { image_base64: image.bytes.toString('base64'), title: image.title, prompt: image.prompt },
      });
      expect(response.status()).toBe(201);
    }
  });

  it('shows both in the library grid, with a list view and a detail drawer', async () => {
    await openFromNav(page, 'Library');
    await page.getByRole('heading', { name: 'Asset Library' }).waitFor();
    await page.getByTestId('asset-card').nth(1).waitFor();
    expect(await page.getByTestId('asset-card').count()).toBe(2);
    await shoot(page, 'library-grid');

    await page.getByText('List', { exact: true }).click();
    await page.getByTestId('asset-row').nth(1).waitFor();
    await shoot(page, 'library-list');
    await page.getByRole('button', { name: 'Forest cabin', exact: true }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('a cabin in a pine forest').waitFor();
    await shoot(page, 'library-detail');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('Grid', { exact: true }).click();
    expect(errors.join('\n')).toBe('');
  });

  it('favorites one, and the favorite persists across a reload', async () => {
    await page.getByRole('button', { name: 'Favorite Lighthouse at dawn' }).click();
    await page.getByRole('button', { name: 'Unfavorite Lighthouse at dawn' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Unfavorite Lighthouse at dawn' }).waitFor();
    await page.getByRole('tab', { name: 'Favorites' }).click();
    await page.getByRole('button', { name: 'Open Forest cabin' }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('asset-card').count()).toBe(1);
    await page.getByRole('tab', { name: 'All' }).click();
    expect(errors.join('\n')).toBe('');
  });

  it('search finds it as you type', async () => {
    await page.getByLabel('Search the library').fill('lighthouse');
    await page.getByRole('button', { name: 'Open Forest cabin' }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('asset-card').count()).toBe(1);
    await shoot(page, 'library-search');
    await page.getByLabel('Search the library').fill('');
    await page.getByTestId('asset-card').nth(1).waitFor();
  });

  it('bulk-downloads the selection as a ZIP', async () => {
    await page.getByLabel(/^Select all loaded/).check();
    await page.getByRole('toolbar', { name: 'Bulk actions' }).waitFor();
    await shoot(page, 'library-bulk');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download ZIP' }).click(),
    ]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    await page.getByRole('button', { name: 'Clear' }).click();
    expect(errors.join('\n')).toBe('');
  });

  it('creates an API token, shown once, that authenticates the API', async () => {
    await openFromNav(page, 'Settings');
    await page.getByLabel('New token name').fill('e2e script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
    expect(token.length).toBeGreaterThan(20);
    await shoot(page, 'settings-token-created');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'e2e script', exact: true }).waitFor();
    await shoot(page, 'settings-tokens');
    const me = await fetch(`${server.baseUrl}/api/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    expect(errors.join('\n')).toBe('');
  });

  it('keeps brand personas and shows the plan with its credit history', async () => {
    await page.getByRole('tab', { name: 'Brand personas' }).click();
    await page.getByRole('button', { name: 'New persona' }).click();
    const dialog = page.getByRole('dialog', { name: 'New persona' });
    await dialog.getByLabel(/^Name/).fill('Acme');
    await dialog.getByLabel('Tone').fill('warm, optimistic');
    await dialog.getByLabel('Brand colours').fill('#ff6600');
    await dialog.getByLabel('Brand colours').press('Enter');
    await dialog.getByRole('button', { name: 'Save persona' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('warm, optimistic').waitFor();
    await shoot(page, 'settings-personas');
    await page.getByRole('tab', { name: 'Plan & credits' }).click();
    await page.getByText('Credit history').waitFor();
    await shoot(page, 'settings-plan');
    await page.getByTestId('credits-balance').waitFor();
    expect(errors.join('\n')).toBe('');
  });

  it('logs out', async () => {
    await logoutThroughUi(page);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(errors.join('\n')).toBe('');
  });
});
