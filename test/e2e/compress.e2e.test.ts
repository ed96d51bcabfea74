import fs from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lookDifference } from '../support/images.ts';
import { seriousViolations } from './support/axe.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { openFromNav } from './support/flows.ts';
import { studioSession } from './support/session.ts';

/** A photo-like texture (waves plus a little deterministic grain), so quality changes the size. */
function texture(width: number, height: number, seed: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let n = seed * 7919 + 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      n = (n * 1103515245 + 12345) % 2147483648;
      const grain = (n % 24) - 12;
      const i = (y * width + x) * 3;
      data[i] = Math.max(0, Math.min(255, 128 + 90 * Math.sin(x / (9 + seed)) + grain));
      data[i + 1] = Math.max(0, Math.min(255, 120 + 80 * Math.cos(y / 7) + grain));
      data[i + 2] = Math.max(0, Math.min(255, 100 + 60 * Math.sin((x + y) / 13) + grain));
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** The entries of a stored (uncompressed) ZIP, read from its local headers. */
function unzipStored(zip: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    expect(zip.readUInt16LE(at + 8)).toBe(0);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extra = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const start = at + 30 + nameLength + extra;
    entries.set(name, zip.subarray(start, start + size));
    at = start + size;
  }
  expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50);
  return entries;
}

async function downloadOf(
  page: Page,
  link: ReturnType<Page['getByRole']>,
): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
}

const AssetMeta = z.object({
  width: z.number(),
  height: z.number(),
  mime_type: z.string(),
  file_size: z.number(),
});

describe.skipIf(!chromiumAvailable())(
  'compress & convert: two files → JPEG, ZIP, library; target size; convert',
  () => {
    const session = studioSession();
    let beach: Buffer;
    let forest: Buffer;

    it('takes two files and shows a live size estimate that follows the quality', async () => {
      const { page } = session;
      beach = await texture(480, 360, 1);
      forest = await texture(300, 400, 2);
      await page.getByTestId('studio-compress').getByText('Live').waitFor();
      await openFromNav(page, 'Compress & Convert');
      await page.getByRole('heading', { name: 'Compress & Convert' }).waitFor();
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose files' }).click(),
      ]);
      await chooser.setFiles([
        { name: 'beach.png', mimeType: 'image/png', buffer: beach },
        { name: 'forest.png', mimeType: 'image/png', buffer: forest },
      ]);
      await page.getByTestId('compress-file').nth(1).waitFor();
      const estimate = page.getByTestId('compress-estimate-kb');
      await estimate.waitFor();
      const at85 = await estimate.textContent();
      // Twenty steps down with the keyboard: quality 65, a smaller estimate.
      await page.getByRole('slider', { name: 'Quality' }).focus();
      for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
      await page.getByTestId('compress-quality').getByText('65').waitFor();
      await expect.poll(() => estimate.textContent(), { timeout: 15_000 }).not.toBe(at85);
      const kb = (text: string | null) => Number.parseFloat(text ?? '');
      expect(kb(await estimate.textContent())).toBeLessThan(kb(at85));
      await shoot(page, 'compress-ready');
      session.expectNoErrors();
    });

    it('compresses both to JPEG: per-file download, a ZIP of both, the zoomed detail', async () => {
      const { page } = session;
      await page.getByRole('button', { name: 'Compress 2 images' }).click();
      const results = page.getByTestId('compress-result');
      await results.nth(1).getByTestId('compress-result-kb').waitFor({ timeout: 60_000 });
      await results.first().getByTestId('compress-result-kb').waitFor();
      const first = await downloadOf(page, page.getByRole('link', { name: 'Download beach.jpg' }));
      expect(first.name).toBe('beach.jpg');
      const meta = await sharp(first.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 480, 360]);
      expect(first.bytes.length).toBeLessThan(beach.length);
      expect(await lookDifference(first.bytes, beach)).toBeLessThan(6);

      const archive = await downloadOf(page, page.getByTestId('compress-zip'));
      expect(archive.name).toBe('compressed-images.zip');
      const entries = unzipStored(archive.bytes);
      expect([...entries.keys()]).toEqual(['beach.jpg', 'forest.jpg']);
      expect(entries.get('beach.jpg')?.equals(first.bytes)).toBe(true);
      const second = await sharp(entries.get('forest.jpg')).metadata();
      expect([second.format, second.width, second.height]).toEqual(['jpeg', 300, 400]);

      await page.getByTestId('zoom-detail').getByRole('img', { name: 'After, 4× detail' }).waitFor();
      await page.getByRole('img', { name: /^After: JPEG at/ }).waitFor();
      expect(await seriousViolations(page, { within: 'main', except: ['color-contrast'] })).toEqual([]);
      await shoot(page, 'compress-result');
      session.expectNoErrors();
    });

    it('saves one result to the library only when asked', async () => {
      const { page } = session;
      const count = async () =>
        z.object({ total: z.number() }).parse((await session.call('GET', '/api/content-assets')).body).total;
      expect(await count()).toBe(0);
      await page.getByRole('button', { name: 'Save to library: forest.jpg' }).click();
      await page.getByTestId('compress-saved').waitFor();
      expect(await count()).toBe(1);
      const list = z
        .object({ assets: z.array(AssetMeta) })
        .parse((await session.call('GET', '/api/content-assets')).body);
      expect(list.assets[0]).toMatchObject({ width: 300, height: 400, mime_type: 'image/jpeg' });
      // Once saved, the shared result actions open it in the library.
      await page.getByRole('button', { name: 'Open forest.jpg in library' }).click();
      const drawer = page.getByRole('dialog');
      await drawer.getByText('300×400 JPEG').waitFor();
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      expect(await page.getByRole('button', { name: 'Open beach.jpg in library' }).count()).toBe(0);
      session.expectNoErrors();
    });

    it('meets a target size in KB', async () => {
      const { page } = session;
      await page.getByRole('button', { name: 'Remove forest.png' }).click();
      await page.getByText('Target size', { exact: true }).click();
      await page.getByLabel('Target size (KB)').fill('15');
      await page.getByTestId('compress-estimate').getByText('Each file aims for at most 15 KB.').waitFor();
      await page.getByRole('button', { name: 'Compress 1 image' }).click();
      await page
        .getByTestId('compress-result')
        .getByText(/quality \d+/)
        .waitFor({ timeout: 60_000 });
      const out = await downloadOf(page, page.getByRole('link', { name: 'Download beach.jpg' }));
      expect(out.bytes.length).toBeLessThanOrEqual(15 * 1024);
      const meta = await sharp(out.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 480, 360]);
      session.expectNoErrors();
    });

    it('converts to WebP', async () => {
      const { page } = session;
      await page.getByText('Convert format', { exact: true }).click();
      await page.getByTestId('compress-recommendation').waitFor();
      await page.getByRole('button', { name: 'Convert 1 image' }).click();
      await page
        .getByTestId('compress-result')
        .getByText('WEBP', { exact: true })
        .waitFor({ timeout: 60_000 });
      const out = await downloadOf(page, page.getByRole('link', { name: 'Download beach.webp' }));
      const meta = await sharp(out.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 480, 360]);
      await shoot(page, 'compress-convert');
      session.expectNoErrors();
    });
  },
);
