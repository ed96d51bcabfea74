import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageDir } from '../../apps/server/src/imaging/local/package-dir.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { openFromNav } from './support/flows.ts';
import { studioSession } from './support/session.ts';

const photo = (name: string) => fs.readFileSync(path.join(packageDir('@vladmandic/human'), 'assets', name));

describe.skipIf(!chromiumAvailable())('Library: duplicates, colours and share links', () => {
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
    const samples = photo('samples.jpg');
    ids.samples = await upload(samples, 'Samples');
    ids.small = await upload(
      await sharp(samples).resize(500).jpeg({ quality: 55 }).toBuffer(),
      'Samples small',
    );
    ids.face = await upload(photo('screenshot-facedetect.jpg'), 'Face');
    const blue = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#2255ff' } })
      .png()
      .toBuffer();
    ids.blue = await upload(blue, 'Blue card');
  });

  it('the Duplicates tab shows the resized copy with its original; keeping one trashes the other', async () => {
    await openFromNav(page, 'Library');
    await page.getByRole('tab', { name: 'Duplicates' }).click();
    const group = page.getByTestId('duplicate-group-similar');
    await group.waitFor();
    await group.getByRole('img', { name: `Asset ${ids.samples}` }).waitFor();
    await group.getByRole('img', { name: `Asset ${ids.small}` }).waitFor();
    expect(await page.getByTestId('duplicate-group-similar').count()).toBe(1);
    await shoot(page, 'library-duplicates');
    await group.getByRole('button', { name: /trash 1/ }).click();
    await page.getByText('No duplicates found.').waitFor();
    const trashed = await page.request.get(`/api/content-assets/${ids.small}`);
    expect(((await trashed.json()) as { deleted_at: string | null }).deleted_at).not.toBeNull();
  });

  it("the asset drawer shows the image's colours", async () => {
    await page.goto(`/library?asset=${ids.blue}`);
    const swatches = page.getByTestId('colour-swatches');
    await swatches.waitFor();
    await swatches.getByLabel(/^#2255ff/).waitFor();
    await page.keyboard.press('Escape');

    // The same colour as a filter: only the blue card is left.
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByLabel('Colour').fill('#2255ff');
    await page.getByRole('button', { name: 'Open Samples' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: /^Open / }).allTextContents()).toHaveLength(1);
    await page.getByRole('button', { name: 'Open Blue card' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Open Samples' }).waitFor();
    expect(await page.getByLabel('Colour').inputValue()).toBe('');
    await page.goto(`/library?asset=${ids.blue}`);
  });

  it('sharing an asset opens a public page without an account, until the link is revoked', async () => {
    const drawer = page.getByRole('dialog').filter({ hasText: 'Blue card' });
    await drawer.getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog', { name: /Share/ });
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = (await dialog.getByTestId('share-url').textContent()) ?? '';
    expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const { page: visitor, errors: visitorErrors } = await session.newPage();
    // The tile's web-sized copy comes through the public route, as a WebP.
    const tile = visitor.waitForResponse((r) => r.url().includes('/image?size=small'));
    await visitor.goto(url);
    await visitor.getByRole('heading', { name: 'Blue card' }).waitFor();
    const image = visitor.getByRole('img', { name: 'Blue card' });
    await image.waitFor();
    const answer = await tile;
    expect(answer.status()).toBe(200);
    expect(answer.headers()['content-type']).toBe('image/webp');
    expect(visitor.url()).toBe(url);
    await shoot(visitor, 'share-gallery');

    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Shared links' }).click();
    await page.getByRole('table', { name: 'Share links' }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('table', { name: 'Share links' }).getByText('revoked').waitFor();

    await visitor.reload();
    await visitor.getByRole('heading', { name: 'This link does not open' }).waitFor();
    expect(visitorErrors.filter((e) => !e.includes('status of 404')).join('\n')).toBe('');
    session.expectNoErrors();
  });
});
