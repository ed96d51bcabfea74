import fs from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { StabilityFake } from '../fakes/stability.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { openFromNav } from './support/flows.ts';
import { studioSession } from './support/session.ts';

/** A detailed RGB pattern (fine stripes, rings and a diagonal lattice) so super-resolution has work to do. */
function patternImage(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const ring = Math.hypot(x - width / 2, y - height / 2);
      data[i] = (x * 9 + y * 3) % 256 < 128 ? 230 : 30;
      data[i + 1] = Math.round(127 + 120 * Math.sin(ring / 3));
      data[i + 2] = ((x ^ y) & 8) === 0 ? 200 : 60;
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
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

describe.skipIf(!chromiumAvailable())('upscale: upload → target → mode → job → compare → download', () => {
  const session = studioSession();
  let page: Page;
  let small: Buffer;
  let resultUrl: string;

  beforeAll(async () => {
    page = session.page;
    small = await patternImage(200, 150);
  });

  it('opens Upscale from the navigation', async () => {
    await page.getByTestId('studio-upscale').getByText('Live').waitFor();
    await openFromNav(page, 'Upscale');
    await page.getByRole('heading', { name: 'Upscale', exact: true }).waitFor();
    // Without a Stability key, creative says so and auto is the default.
    await page.getByTestId('mode-creative').getByText('Needs a Stability key', { exact: true }).waitFor();
    expect(await page.getByRole('radio', { name: /^Auto/ }).isChecked()).toBe(true);
    await shoot(page, 'upscale-empty');
    session.expectNoErrors();
  });

  it('takes an uploaded image and shows the output size and cost before running', async () => {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Choose a file' }).click(),
    ]);
    await chooser.setFiles({ name: 'detail.png', mimeType: 'image/png', buffer: small });
    await page.getByTestId('upscale-source-name').getByText('detail.png · 200×150').waitFor();
    await page.getByText('2×', { exact: true }).click();
    await page.getByTestId('upscale-planned-size').getByText('400×300').waitFor();
    await page.getByText('Web', { exact: true }).click();
    await page.getByTestId('upscale-planned-size').getByText('2048×1536').waitFor();
    await page.getByText('4×', { exact: true }).click();
    await page.getByTestId('upscale-planned-size').getByText('800×600').waitFor();
    await page.getByRole('radio', { name: /^Conservative/ }).check();
    await page.getByTestId('upscale-plan').getByText('local ESRGAN 4× super-resolution').waitFor();
    await page.getByTestId('upscale-cost').getByText('Cost: free (0 credits)').waitFor();
    await page.getByRole('button', { name: 'Upscale to 800×600' }).waitFor();
    await shoot(page, 'upscale-ready');
    session.expectNoErrors();
  });

  it("refuses an exact size out of range with the server's message", async () => {
    // What the server answers for this target, so the test checks its very message reaches the user.
    const direct = await page.request.post('/api/image-studio/upscale', {
      headers: { origin: session.server.baseUrl },
      multipart: {
        file: { name: 'detail.png', mimeType: 'image/png', buffer: small },
        target_width: '8000',
        target_height: '8000',
      },
    });
    expect(direct.status()).toBe(400);
    const message = ((await direct.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(/8000×8000/);

    await page.getByText('Exact', { exact: true }).click();
    await page.getByLabel('Width (px)').fill('8000');
    await page.getByLabel('Height (px)').fill('8000');
    await page.getByText(/the server makes at most 36,000,000/).waitFor();
    await page.getByRole('button', { name: 'Upscale to 8000×8000' }).click();
    await page.getByTestId('upscale-error').getByText(message).waitFor();
    await shoot(page, 'upscale-refused');
    expect(page.url()).not.toContain('job=');
    // The refused request is the one expected console error.
    session.expectNoErrors(/\/api\/image-studio\/upscale/);
    // Another choice clears the refusal.
    await page.getByText('4×', { exact: true }).click();
    await page.getByTestId('upscale-planned-size').getByText('800×600').waitFor();
    await page.getByTestId('upscale-error').waitFor({ state: 'detached' });
  });

  it('runs 4× conservative as a job and shows the result at 800×600', async () => {
    await page.getByRole('button', { name: 'Upscale to 800×600' }).click();
    await page.waitForURL(/[?&]job=/);
    const result = page.getByTestId('upscale-result');
    await result.waitFor({ timeout: 120_000 });
    expect(await result.getByTestId('upscale-output-size').textContent()).toMatch(/^800×600 · [A-Z]+$/);
    await result
      .getByTestId('upscale-model')
      .getByText(/esrgan-thick-4x/)
      .waitFor();
    await page.getByRole('img', { name: 'After: upscaled, 800×600' }).waitFor();
    await shoot(page, 'upscale-result');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await page.mouse.move(640, 400);
    await shoot(page, 'upscale-result-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    session.expectNoErrors();
  });

  it('downloads the result at exactly 800×600 pixels', async () => {
    const link = page.getByTestId('upscale-download');
    resultUrl = (await link.getAttribute('href')) ?? '';
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const meta = await sharp(fs.readFileSync(await download.path())).metadata();
    expect([meta.width, meta.height]).toEqual([800, 600]);
    // The result is in the library, with its size.
    await page.getByRole('button', { name: 'Open in library' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('800×600', { exact: false }).first().waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    session.expectNoErrors();
  });

  it('shows before and after at the same size, with a divider the keyboard moves', async () => {
    const before = await page.getByRole('img', { name: 'Before: the original' }).boundingBox();
    const after = await page.getByRole('img', { name: 'After: upscaled, 800×600' }).boundingBox();
    expect(before).not.toBeNull();
    expect([before?.width, before?.height]).toEqual([after?.width, after?.height]);
    const divider = page.getByRole('slider', { name: 'Before and after divider' });
    expect(await divider.getAttribute('aria-valuenow')).toBe('50');
    await divider.focus();
    await divider.press('ArrowRight');
    expect(await divider.getAttribute('aria-valuenow')).toBe('55');
    await divider.press('ArrowLeft');
    await divider.press('ArrowLeft');
    expect(await divider.getAttribute('aria-valuenow')).toBe('45');
    await divider.press('End');
    expect(await divider.getAttribute('aria-valuenow')).toBe('100');
    await divider.press('Home');
    expect(await divider.getAttribute('aria-valuenow')).toBe('0');
    session.expectNoErrors();
  });

  it('shows the same result after a reload (the job is in the address)', async () => {
    const url = page.url();
    await page.reload();
    const result = page.getByTestId('upscale-result');
    await result.waitFor();
    expect(page.url()).toBe(url);
    expect(await result.getByTestId('upscale-output-size').textContent()).toMatch(/^800×600 · [A-Z]+$/);
    expect(await page.getByTestId('upscale-download').getAttribute('href')).toBe(resultUrl);
    // The source comes back from the job's input asset, with its size.
    await page
      .getByTestId('upscale-source-name')
      .getByText(/· 200×150$/)
      .waitFor();
    session.expectNoErrors();
  });

  it('cancels a long local run: the job shows canceled and no result appears', async () => {
    const shown = new URL(page.url()).searchParams.get('job');
    await dropFile(page, 'upscale-dropzone', 'large.png', await patternImage(900, 900));
    await page.getByTestId('upscale-source-name').getByText('large.png · 900×900').waitFor();
    await page.getByText('4×', { exact: true }).click();
    await page.getByRole('radio', { name: /^Conservative/ }).check();
    await page.getByRole('button', { name: 'Upscale to 3600×3600' }).click();
    await page.waitForURL((u) => u.searchParams.get('job') !== shown);
    const jobId = new URL(page.url()).searchParams.get('job');
    const progress = page.getByTestId('job-progress');
    // The server's step message, as the job reports it.
    await progress
      .getByTestId('job-step')
      .getByText(/^super-resolution \d+%$/)
      .waitFor({ timeout: 60_000 });
    await shoot(page, 'upscale-running');
    await progress.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('upscale-canceled').waitFor();
    expect(await page.getByTestId('upscale-result').count()).toBe(0);
    const job = (await (await page.request.get(`/api/jobs/${jobId}`)).json()) as {
      status: string;
      result: unknown;
    };
    expect(job.status).toBe('canceled');
    expect(job.result).toBeNull();
    await shoot(page, 'upscale-canceled');
    // A reload shows the canceled run, still without a result.
    await page.reload();
    await page.getByTestId('upscale-canceled').waitFor();
    expect(await page.getByTestId('upscale-result').count()).toBe(0);
    session.expectNoErrors();
  });
  it('upscales a library image with auto, which says what it chose', async () => {
    await page.getByRole('button', { name: 'Pick from library' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pick an image from your library' });
    await dialog.getByRole('button', { name: /^Use upscale · conservative \(800×600\)/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('upscale-source-name').getByText('upscale · conservative · 800×600').waitFor();
    await page.getByRole('radio', { name: /^Auto/ }).check();
    // 4× of a 0.48 MP image without a cloud key: auto keeps it quick with Lanczos.
    await page.getByTestId('upscale-plan').getByText('Runs: Lanczos3 on this server.').waitFor();
    await page.getByRole('button', { name: 'Upscale to 3200×2400' }).click();
    const result = page.getByTestId('upscale-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getByTestId('upscale-output-size').textContent()).toMatch(/^3200×2400 · [A-Z]+$/);
    await result.getByTestId('upscale-model').getByText('local · lanczos3').waitFor();
    await result
      .getByText(/^Auto chose this: 4\.00× of a large image without a cloud key: Lanczos3\.$/)
      .waitFor();
    // "Send to → Upscale" elsewhere links here with the asset in the address.
    const id = (await result.getByTestId('upscale-download').getAttribute('href'))?.match(
      /\/(\d+)\/file/,
    )?.[1];
    await page.goto(`/upscale?asset=${id}`);
    await page
      .getByTestId('upscale-source-name')
      .getByText(/· 3200×2400$/)
      .waitFor();
    session.expectNoErrors();
  });
});

describe.skipIf(!chromiumAvailable())('upscale with a Stability key: creative at the estimated price', () => {
  const stability = new StabilityFake();
  const session = studioSession({
    env: async () => ({
      STABILITY_BASE_URL: await stability.start(),
      STABILITY_API_KEY: 'e2e-stability-key',
    }),
    cleanup: () => stability.stop(),
  });
  let page: Page;

  beforeAll(() => {
    page = session.page;
  });

  it('auto picks Stability Conservative, and creative runs at Stability for the price shown', async () => {
    await openFromNav(page, 'Upscale');
    await page.getByRole('heading', { name: 'Upscale', exact: true }).waitFor();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Choose a file' }).click(),
    ]);
    await chooser.setFiles({
      name: 'detail.png',
      mimeType: 'image/png',
      buffer: await patternImage(200, 150),
    });
    await page.getByTestId('upscale-source-name').getByText('detail.png · 200×150').waitFor();
    await page.getByTestId('upscale-plan').getByText('Runs: Stability Conservative.').waitFor();
    expect(await page.getByText('Needs a Stability key', { exact: true }).count()).toBe(0);

    await page.getByText('Web', { exact: true }).click();
    await page.getByRole('radio', { name: /^Creative/ }).check();
    await page.getByLabel(/^Prompt/).fill('colourful concentric rings');
    await page.getByTestId('upscale-plan').getByText('Runs: Stability Creative.').waitFor();
    const cost = page.getByTestId('upscale-cost');
    await cost.getByText(/^Cost: \d+(\.\d+)? credits/).waitFor();
    const credits = await cost.getAttribute('data-credits');
    expect(Number(credits)).toBeGreaterThan(0);
    await shoot(page, 'upscale-creative-ready');

    await page.getByRole('button', { name: 'Upscale to 2048×1536' }).click();
    const result = page.getByTestId('upscale-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.getByTestId('upscale-output-size').textContent()).toMatch(/^2048×1536 · [A-Z]+$/);
    await result
      .getByTestId('upscale-model')
      .getByText(/^stability · upscale-creative$/)
      .waitFor();
    await result.getByText(`${credits} credits`, { exact: true }).waitFor();
    const file = await page.request.get(
      (await result.getByTestId('upscale-download').getAttribute('href')) ?? '',
    );
    const meta = await sharp(await file.body()).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 1536]);
    await shoot(page, 'upscale-creative-result');
    session.expectNoErrors();
  });
});
