import fs from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { lookDifference } from '../support/images.ts';
import { unzip } from '../support/unzip.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { openFromNav } from './support/flows.ts';
import { studioSession } from './support/session.ts';

interface CatalogueFormat {
  id: string;
  name: string;
  width: number;
  height: number;
}
interface Catalogue {
  platforms: Array<{ id: string; display_name: string; formats: CatalogueFormat[] }>;
}

/** The formats the test picks: three across two platforms, named as the checkboxes name them. */
const PICKS = [
  { label: 'Instagram Story', id: 'instagram.story' },
  { label: 'Instagram Feed Post (Portrait)', id: 'instagram.feed_portrait' },
  { label: 'YouTube Thumbnail', id: 'youtube.thumbnail' },
] as const;

/** 1200×800, dark, with one bright disc well right of and above the centre. */
function sourceImage(): Promise<Buffer> {
  const disc = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><circle cx="930" cy="260" r="120" fill="#ffe066"/></svg>',
  );
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 24, g: 40, b: 64 } } })
    .composite([{ input: disc }])
    .png()
    .toBuffer();
}

/** Drops a file on an element the way a browser drag-and-drop does (a DataTransfer with one File). */
async function dropFile(page: Page, testId: string, name: string, bytes: Buffer): Promise<void> {
  // A string so the test's Node typings need no DOM lib; it runs in the page.
  const transfer = await page.evaluateHandle(
    `(() => { const t = new DataTransfer(); const b = Uint8Array.from(atob(${JSON.stringify(
      bytes.toString('base64'),
    )}), (c) => c.charCodeAt(0)); t.items.add(new File([b], ${JSON.stringify(name)}, { type: 'image/png' })); return t; })()`,
  );
  await page.getByTestId(testId).dispatchEvent('drop', { dataTransfer: transfer });
}

describe.skipIf(!chromiumAvailable())(
  'social optimizer: upload → formats → optimize → download → ZIP',
  () => {
    const session = studioSession();
    let formats: Map<string, CatalogueFormat>;
    /** The YouTube Thumbnail crop before and after the test drags it (source pixels). */
    let shownCrop: number[] = [];
    let sourceBytes: Buffer;
    let draggedCrop: number[] = [];

    const assetTotal = async () => {
      const { page } = session;
      const response = await page.request.get('/api/content-assets?limit=1');
      expect(response.ok()).toBe(true);
      return ((await response.json()) as { total: number }).total;
    };

    it('opens Social from the navigation', async () => {
      const { page } = session;
      await page.getByTestId('studio-social').getByText('Live').waitFor();
      await openFromNav(page, 'Social');
      await page.getByRole('heading', { name: 'Social Optimizer' }).waitFor();
      const catalogue = (await (
        await page.request.get('/api/image-studio/social/platforms')
      ).json()) as Catalogue;
      formats = new Map(catalogue.platforms.flatMap((p) => p.formats.map((f) => [f.id, f] as const)));
      // A first visit starts from a few common formats taken from the catalogue.
      await page.getByTestId('format-count').getByText(`3 of ${formats.size} formats selected`).waitFor();
      await shoot(page, 'social-empty');
      session.expectNoErrors();
    });

    it('takes an uploaded image, a focal point and three formats on two platforms', async () => {
      const { page } = session;
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose a file' }).click(),
      ]);
      sourceBytes = await sourceImage();
      await chooser.setFiles({ name: 'Launch hero.png', mimeType: 'image/png', buffer: sourceBytes });
      await page.getByTestId('social-source-name').getByText('Launch hero.png · 1200×800').waitFor();

      // A click on the disc sets the focal point there; "Clear" removes it again.
      const source = page.getByRole('img', { name: 'Source image: Launch hero.png' });
      const box = await source.boundingBox();
      if (!box) throw new Error('the source image is not on screen');
      await source.click({ position: { x: box.width * (930 / 1200), y: box.height * (260 / 800) } });
      await page.getByTestId('focal-marker').waitFor();
      await page.getByText(/^Focal point 7[78]%, 3[23]%$/).waitFor();
      await page.getByRole('button', { name: 'Clear focal point' }).click();
      await page.getByTestId('focal-marker').waitFor({ state: 'detached' });
      await source.click({ position: { x: box.width * (930 / 1200), y: box.height * (260 / 800) } });
      await page.getByTestId('focal-marker').waitFor();
      // The keyboard moves it too (5% a step), and back.
      const focusable = page.getByRole('group', { name: /^Source image/ });
      await focusable.press('ArrowLeft');
      await page.getByText(/^Focal point 7[23]%, 3[23]%$/).waitFor();
      await focusable.press('ArrowRight');
      await page.getByText(/^Focal point 7[78]%, 3[23]%$/).waitFor();

      await page.getByLabel('Select all formats').check();
      await page.getByText(`${formats.size} of ${formats.size} formats selected`).waitFor();
      await page.getByLabel('Select all formats').uncheck();
      await page.getByText(`0 of ${formats.size} formats selected`).waitFor();
      for (const pick of PICKS) {
        await page.getByRole('checkbox', { name: pick.label, exact: true }).check();
      }
      await page.getByText(`3 of ${formats.size} formats selected`).waitFor();
      await page.getByText('3 formats for Instagram, YouTube, around your focal point.').waitFor();
      await shoot(page, 'social-ready');
      session.expectNoErrors();
    });

    it('shows a live preview for every chosen format and moves one crop by dragging it', async () => {
      const { page } = session;
      const previews = page.getByTestId('live-crop');
      await previews.nth(2).waitFor({ timeout: 30_000 });
      expect(await previews.count()).toBe(3);
      // Safe zones are drawn over the previews; the portrait post also shows the profile grid's 3:4 crop.
      const portrait = page.locator('[data-testid="live-crop"][data-format-id="instagram.feed_portrait"]');
      await portrait.getByTestId('safe-zone-overlay').waitFor();
      await portrait.getByTestId('safe-area').waitFor();
      const thumb = page
        .locator('[data-testid="live-crop"][data-format-id="youtube.thumbnail"]')
        .getByRole('slider', { name: /^Crop of YouTube Thumbnail/ });
      const read = async () => ((await thumb.getAttribute('data-crop')) ?? '').split(',').map(Number);
      // Half size first (so there is room to move), then drag the picture right: the crop moves left.
      await page.getByRole('slider', { name: 'Crop size of YouTube Thumbnail' }).focus();
      for (let i = 0; i < 50; i++) await page.keyboard.press('ArrowLeft');
      shownCrop = await read();
      expect(shownCrop[2]).toBeLessThan(1200);
      const box = await thumb.boundingBox();
      if (!box) throw new Error('the preview is not on screen');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 10, { steps: 5 });
      await page.mouse.up();
      draggedCrop = await read();
      expect(draggedCrop[0]).toBeLessThan(shownCrop[0] ?? 0);
      expect(draggedCrop.slice(2)).toEqual(shownCrop.slice(2));
      await page
        .locator('[data-testid="live-crop"][data-format-id="youtube.thumbnail"]')
        .getByText('adjusted')
        .waitFor();
      await shoot(page, 'social-previews');
      session.expectNoErrors();
    });

    it('shows progress while it runs and refuses a second submit', async () => {
      const { page } = session;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let posts = 0;
      await page.route('**/api/image-studio/social/optimize', async (route) => {
        posts += 1;
        await gate;
        await route.continue();
      });
      const run = page.getByRole('button', { name: 'Optimize 3 formats' });
      await run.click();
      await page.getByText(/^Optimizing 3 formats/).waitFor();
      expect(await run.isDisabled()).toBe(true);
      await shoot(page, 'social-running');
      await run.click({ force: true });
      release();
      await page.getByTestId('social-result').nth(2).waitFor({ timeout: 60_000 });
      await page.unroute('**/api/image-studio/social/optimize');
      expect(posts).toBe(1);
      expect(await page.getByTestId('social-result').count()).toBe(3);
      session.expectNoErrors();
    });

    it('shows each export at its format size, cropped around the focal point', async () => {
      const { page } = session;
      for (const pick of PICKS) {
        const format = formats.get(pick.id);
        if (!format) throw new Error(`${pick.id} is not in the catalogue`);
        const card = page.locator(`[data-testid="social-result"][data-format-id="${pick.id}"]`);
        expect(await card.getByTestId('result-size').textContent()).toBe(`${format.width}×${format.height}`);
        await card.getByText(pick.id === 'youtube.thumbnail' ? 'Your crop' : 'Your focal point').waitFor();
        await card.getByRole('img', { name: `${pick.label}, ${format.width}×${format.height}` }).waitFor();
        await card.getByRole('img', { name: `The part of the source used for ${pick.label}` }).waitFor();
      }
      await page.getByText('3 exports').waitFor();
      await shoot(page, 'social-results');
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      // Away from the toggle, so its tooltip is not in the shot.
      await page.mouse.move(640, 400);
      await shoot(page, 'social-results-dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
      session.expectNoErrors();
    });

    it('downloads each export at exactly its format size', async () => {
      const { page } = session;
      for (const pick of PICKS) {
        const format = formats.get(pick.id);
        const card = page.locator(`[data-testid="social-result"][data-format-id="${pick.id}"]`);
        const href = await card.getByTestId('result-download').getAttribute('href');
        expect(href).toBeTruthy();
        const response = await page.request.get(href ?? '');
        expect(response.ok()).toBe(true);
        const meta = await sharp(await response.body()).metadata();
        expect([meta.width, meta.height]).toEqual([format?.width, format?.height]);
      }
      // The button itself downloads the file too (the session cookie authenticates it).
      const story = page.locator('[data-testid="social-result"][data-format-id="instagram.story"]');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        story.getByRole('link', { name: 'Download Instagram Story' }).click(),
      ]);
      const meta = await sharp(fs.readFileSync(await download.path())).metadata();
      expect([meta.width, meta.height]).toEqual([1080, 1920]);
      expect(download.suggestedFilename()).toMatch(/\.jpg$/);
      session.expectNoErrors();
    });

    it('exports exactly the dragged crop (pixels, not layout)', async () => {
      const { page } = session;
      const card = page.locator('[data-testid="social-result"][data-format-id="youtube.thumbnail"]');
      const response = await page.request.get(
        (await card.getByTestId('result-download').getAttribute('href')) ?? '',
      );
      const file = await response.body();
      const [left, top, width, height] = draggedCrop as [number, number, number, number];
      const render = (l: number, t: number) =>
        sharp(sourceBytes)
          .extract({ left: l, top: t, width, height })
          .resize(1280, 720, { fit: 'fill' })
          .png()
          .toBuffer();
      const asDragged = await lookDifference(file, await render(left, top));
      const asShownFirst = await lookDifference(file, await render(shownCrop[0] ?? 0, shownCrop[1] ?? 0));
      expect(asDragged).toBeLessThan(3);
      expect(asShownFirst).toBeGreaterThan(asDragged + 3);
      session.expectNoErrors();
    });

    it('downloads all exports as one ZIP', async () => {
      const { page } = session;
      const link = page.getByRole('link', { name: 'Download all (ZIP)' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const bytes = fs.readFileSync(await download.path());
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      expect(download.suggestedFilename()).toMatch(/\.zip$/);
      const response = await page.request.get((await link.getAttribute('href')) ?? '');
      expect(response.headers()['content-type']).toBe('application/zip');
      session.expectNoErrors();
    });

    it('draws the safe zone over an export and hides it on request', async () => {
      const { page } = session;
      const card = page.locator('[data-testid="social-result"][data-format-id="instagram.story"]');
      // The live previews above draw theirs too; these counts are about the results.
      const resultOverlays = () =>
        page.locator('[data-testid="social-result"] [data-testid="safe-zone-overlay"]');
      await card.getByTestId('safe-zone-overlay').waitFor();
      await card.getByRole('switch', { name: 'Show the safe zone on Instagram Story' }).uncheck();
      await card.getByTestId('safe-zone-overlay').waitFor({ state: 'detached' });
      // The other cards keep theirs; the panel's switch hides them all.
      expect(await resultOverlays().count()).toBe(2);
      await page.getByRole('switch', { name: /^Show safe zones on the results/ }).uncheck();
      await resultOverlays().first().waitFor({ state: 'detached' });
      expect(await resultOverlays().count()).toBe(0);
      await card.getByRole('switch', { name: 'Show the safe zone on Instagram Story' }).check();
      await card.getByTestId('safe-zone-overlay').waitFor();
      expect(await resultOverlays().count()).toBe(1);
      session.expectNoErrors();
    });

    it('opens an export in the library drawer', async () => {
      const { page } = session;
      await page.getByRole('button', { name: 'Open YouTube Thumbnail in the library' }).click();
      const drawer = page.getByRole('dialog');
      await drawer.getByRole('heading', { name: 'YouTube Thumbnail' }).first().waitFor();
      await drawer.getByText('1280×720', { exact: false }).first().waitFor();
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      session.expectNoErrors();
    });

    it('optimizes a library image picked in the library picker', async () => {
      const { page } = session;
      await page.getByRole('button', { name: 'Pick from library' }).click();
      const dialog = page.getByRole('dialog', { name: 'Pick an image from your library' });
      await dialog.getByRole('button', { name: /^Use / }).first().waitFor();
      await shoot(page, 'social-library-picker');
      await dialog.getByRole('button', { name: /^Use Launch hero \(1200×800\)/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByTestId('social-source-name').getByText('Launch hero · 1200×800').waitFor();
      await page.getByRole('checkbox', { name: 'Instagram Story', exact: true }).uncheck();
      await page.getByRole('checkbox', { name: 'Instagram Feed Post (Portrait)', exact: true }).uncheck();
      // Fit keeps the whole 3:2 source in the 16:9 frame and pads the sides with the chosen colour.
      await page.getByText('Fit', { exact: true }).click();
      await page.getByRole('combobox', { name: 'Background' }).click();
      await page.getByRole('option', { name: 'Colour' }).click();
      await page.getByLabel('Background colour').fill('#ff0066');
      await page.getByLabel('Background colour').press('Tab');
      await shoot(page, 'social-fit-options');
      await page.getByRole('button', { name: 'Optimize 1 format' }).click();
      const card = page.locator('[data-testid="social-result"][data-format-id="youtube.thumbnail"]');
      await card.getByText('Fitted').waitFor();
      await page.getByText('1 export', { exact: true }).waitFor();
      expect(await page.getByTestId('social-result').count()).toBe(1);
      const file = await page.request.get(
        (await card.getByTestId('result-download').getAttribute('href')) ?? '',
      );
      const { data, info } = await sharp(await file.body())
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([1280, 720]);
      const i = (360 * info.width + 20) * info.channels;
      const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
      expect(Math.abs(r - 0xff) + Math.abs(g - 0x00) + Math.abs(b - 0x66)).toBeLessThan(30);
      session.expectNoErrors();
    });

    it('exports two images as a campaign: one ZIP, a folder per image, every file at its format size', async () => {
      const { page } = session;
      const photo = (color: string) =>
        sharp({ create: { width: 1000, height: 700, channels: 3, background: color } })
          .png()
          .toBuffer();
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByTestId('campaign-add-files').click(),
      ]);
      await chooser.setFiles([
        { name: 'Spring sale.png', mimeType: 'image/png', buffer: await photo('#3a7d44') },
        { name: 'Summer sale.png', mimeType: 'image/png', buffer: await photo('#d9822b') },
      ]);
      const rows = page.getByTestId('campaign-source');
      await rows.nth(1).waitFor();
      expect(await rows.count()).toBe(2);
      await page.getByRole('img', { name: 'Spring sale.png' }).waitFor();
      await page.getByTestId('campaign-run').click();
      await page.getByTestId('campaign-zip').waitFor({ timeout: 60_000 });
      expect([
        await rows.nth(0).getAttribute('data-state'),
        await rows.nth(1).getAttribute('data-state'),
      ]).toEqual(['done', 'done']);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('campaign-zip').click(),
      ]);
      const entries = unzip(fs.readFileSync((await download.path()) ?? ''));
      const folders = [...new Set([...entries.keys()].map((k) => k.split('/')[0]))].sort();
      expect(folders).toEqual(['Spring-sale', 'Summer-sale']);
      const byFile = new Map([...formats.values()].map((f) => [f.id.replace(/[^a-z0-9]+/gi, '-'), f]));
      expect(entries.size).toBeGreaterThanOrEqual(2);
      for (const [path, bytes] of entries) {
        const name = (path.split('/')[1] ?? '').replace(/\.[a-z]+$/, '');
        const format = byFile.get(name);
        expect(format, path).toBeDefined();
        const meta = await sharp(bytes).metadata();
        expect([path, meta.width, meta.height]).toEqual([path, format?.width, format?.height]);
      }
      expect(entries.size % 2).toBe(0);
      await shoot(page, 'social-campaign');
      session.expectNoErrors();
    });

    it("refuses a file that is not an image with the server's message, and saves nothing", async () => {
      const { page } = session;
      const before = await assetTotal();
      const notAnImage = Buffer.from('These are meeting notes, not a picture.\n'.repeat(20));
      // What the server answers for these bytes, so the test checks its very message reaches the user.
      const direct = await page.request.post('/api/image-studio/social/optimize', {
        headers: { origin: session.server.baseUrl },
        multipart: {
          file: { name: 'notes.png', mimeType: 'image/png', buffer: notAnImage },
          platforms: 'instagram',
        },
      });
      expect(direct.status()).toBeGreaterThanOrEqual(400);
      expect(direct.status()).toBeLessThan(500);
      const message = ((await direct.json()) as { error: { message: string } }).error.message;

      await dropFile(page, 'social-dropzone', 'notes.png', notAnImage);
      await page.getByTestId('social-source-name').getByText('notes.png').waitFor();
      await page.getByText('Your browser cannot preview this file').waitFor();
      await page.getByRole('button', { name: 'Optimize 1 format' }).click();
      await page.getByTestId('optimize-error').getByText(message).waitFor();
      // The notification carries the same message; a refused file offers no pointless Retry.
      const toast = page.getByRole('alert').filter({ hasText: 'Could not optimize the image' });
      await toast.getByText(message).waitFor();
      expect(await toast.getByRole('button', { name: 'Retry' }).count()).toBe(0);
      await shoot(page, 'social-bad-upload');
      expect(await assetTotal()).toBe(before);
      // The refused request is the one expected console error.
      session.expectNoErrors(/\/api\/image-studio\/social\/(optimize|preview)/);
    });

    it('opens with a library image named in the address (Send to → Social)', async () => {
      const { page } = session;
      const list = await page.request.get('/api/content-assets?source_module=upload&limit=5');
      const assets = ((await list.json()) as { assets: Array<{ id: number; title: string | null }> }).assets;
      const source = assets.find((a) => a.title === 'Launch hero');
      expect(source).toBeDefined();
      await page.goto(`/social?asset=${source?.id}`);
      await page.getByTestId('social-source-name').getByText('Launch hero · 1200×800').waitFor();
      await page.getByRole('img', { name: 'Source image: Launch hero' }).waitFor();
      session.expectNoErrors();
    });
  },
);
