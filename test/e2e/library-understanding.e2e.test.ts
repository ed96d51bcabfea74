import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPoster } from '../../apps/server/src/imaging/local/ocr/testing/poster.ts';
import { REAL_PHOTOS } from '../support/real-photos.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { studioSession } from './support/session.ts';

describe.skipIf(!chromiumAvailable())('Library: automatic tags and text found in images', () => {
  const session = studioSession();
  let page: Page;
  const ids: Record<string, number> = {};

  const upload = async (bytes: Buffer, title: string) => {
    const res = await page.request.post('/api/content-assets/upload', {
      headers: { origin: session.server.baseUrl },
      data: { image_base64: bytes.toString('base64'), title },
    });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { id: number }).id;
  };

  beforeAll(async () => {
    page = session.page;
    // Titles that say nothing of the pictures: only their analysis can find them.
    ids.poster = await upload(await renderPoster(fs.readFileSync(REAL_PHOTOS.dune.path())), 'Scan 1');
    ids.dog = await upload(fs.readFileSync(REAL_PHOTOS.dog.path()), 'Scan 2');
  });

  const search = async (words: string) => {
    const box = page.getByRole('searchbox', { name: 'Search the library' });
    await box.fill(words);
  };

  it('the drawer shows the text read in a poster, and a search for its words finds it', async () => {
    await page.goto(`/library?asset=${ids.poster}`);
    const text = page.getByTestId('recognised-text');
    // The background analysis reaches the new images within seconds; the drawer asks again until then.
    await text.waitFor({ timeout: 90_000 });
    expect(await text.textContent()).toBe('SUMMER SALE\nEverything half price\nHarbour Street market');
    await text.scrollIntoViewIfNeeded();
    await shoot(page, 'library-recognised-text');
    await page.keyboard.press('Escape');

    await search('summer sale');
    await page.getByRole('button', { name: 'Open Scan 2' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Open Scan 1' }).waitFor();
    expect(await page.getByRole('button', { name: /^Open / }).count()).toBe(1);
    await search('');
  });

  it('the drawer shows automatic tags as chips; a removed one is gone from the photo and its search', async () => {
    await search('dog');
    await page.getByRole('button', { name: 'Open Scan 2' }).waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Open Scan 1' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Open Scan 2' }).click();

    const tags = page.getByTestId('auto-tags');
    await tags.waitFor();
    const chip = page.getByTestId('auto-tag-dog');
    expect(await chip.textContent()).toMatch(/^dog · \d+%$/);
    await tags.scrollIntoViewIfNeeded();
    await shoot(page, 'library-auto-tags');
    await page.getByRole('button', { name: 'Remove automatic tag dog' }).click();
    await chip.waitFor({ state: 'detached' });

    const analysis = await page.request.get(`/api/content-assets/${ids.dog}/analysis`);
    const labels = ((await analysis.json()) as { auto_tags: Array<{ label: string }> }).auto_tags.map(
      (t) => t.label,
    );
    expect(labels).not.toContain('dog');
    await page.keyboard.press('Escape');
    await page.getByText('Nothing matches “dog”.').waitFor();
    session.expectNoErrors();
  });
});
