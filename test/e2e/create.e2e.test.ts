import fs from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StabilityFake } from '../fakes/stability.ts';
import { seriousViolations } from './support/axe.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { openFromNav } from './support/flows.ts';
import { studioSession } from './support/session.ts';

describe.skipIf(!chromiumAvailable())(
  'create at any size: presets, free size, seed reuse, use as input',
  () => {
    const stability = new StabilityFake();
    const session = studioSession({
      env: async () => ({
        STABILITY_BASE_URL: await stability.start(),
        STABILITY_API_KEY: 'e2e-stability-key',
      }),
      cleanup: () => stability.stop(),
    });

    it('shows the size that will come out for a preset and refuses a size outside the contract', async () => {
      const { page } = session;
      await openFromNav(page, 'Create');
      await page.getByRole('heading', { name: 'Create', exact: true }).waitFor();
      const out = page.getByTestId('create-output-size');
      await out.getByText('Comes out at 1024×1024.').waitFor();
      await page.getByTestId('create-size').getByText('16:9', { exact: true }).click();
      await out.getByText('Comes out at 1024×576.').waitFor();
      await page.getByTestId('create-size').getByText('9:16', { exact: true }).click();
      await out.getByText('Comes out at 576×1024.').waitFor();
      await page.getByLabel('Width').fill('9000');
      await page.getByText('Width is 64–8192 px.').waitFor();
      await page.getByLabel(/^Prompt/).fill('A lighthouse at dusk, wide banner');
      expect(await page.getByRole('button', { name: /^Generate/ }).isDisabled()).toBe(true);
      session.expectNoErrors();
    });

    it('generates at a free 700×300: the download has exactly that size, the seed is shown', async () => {
      const { page } = session;
      await page.getByLabel('Width').fill('700');
      await page.getByLabel('Height').fill('300');
      await page.getByTestId('create-output-size').getByText('Comes out at 700×300.').waitFor();
      await page.getByRole('button', { name: 'Advanced options' }).click();
      await page.getByRole('textbox', { name: 'Seed' }).fill('1234');
      expect(await seriousViolations(page, { within: 'main', except: ['color-contrast'] })).toEqual([]);
      await shoot(page, 'create-size');
      await page.getByRole('button', { name: 'Generate 1 image' }).click();
      const card = page.getByTestId('result-card');
      await card.waitFor({ timeout: 60_000 });
      // The shared result panel: size and format, who made it, what it cost.
      await card
        .getByTestId('create-variation-1-output-size')
        .getByText(/^700×300 · /)
        .waitFor();
      await card
        .getByTestId('create-variation-1-model')
        .getByText(/^stability · /)
        .waitFor();
      await card.getByTestId('result-seed').getByText('Seed 1234').waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download variation 1' }).click(),
      ]);
      const meta = await sharp(fs.readFileSync(await download.path())).metadata();
      expect([meta.width, meta.height]).toEqual([700, 300]);
      const sent = stability.requests.filter((r) => r.path.includes('/generate/')).at(-1);
      expect(sent?.fields?.seed).toBe('1234');
      session.expectNoErrors();
    });

    it('"Vary this" puts the seed back in the form, and "Use as input" opens Control with the image', async () => {
      const { page } = session;
      await page.getByRole('textbox', { name: 'Seed' }).fill('');
      await page.getByRole('button', { name: 'Vary this: variation 1, seed 1234' }).click();
      expect(await page.getByRole('textbox', { name: 'Seed' }).inputValue()).toBe('1234');
      await page.getByRole('button', { name: 'Use as input' }).click();
      await page.getByRole('menuitem', { name: 'Control' }).click();
      await page.waitForURL(/\/control\?asset=\d+/);
      await page
        .getByTestId('control-source-name')
        .getByText(/· 700×300$/)
        .waitFor();
      await shoot(page, 'control-from-create');
      session.expectNoErrors();
    });

    it('creates from a reference image with a strength: SD3 gets image-to-image, the result descends from it', async () => {
      const { page } = session;
      await openFromNav(page, 'Create');
      await page.getByRole('heading', { name: 'Create', exact: true }).waitFor();
      await page.getByRole('combobox', { name: 'Provider' }).click();
      await page.getByRole('option', { name: 'Stability AI' }).click();
      await page.getByRole('combobox', { name: 'Model' }).click();
      await page.getByRole('option', { name: /^SD 3\.5 Large ·/ }).click();
      const reference = await sharp({
        create: { width: 400, height: 300, channels: 3, background: { r: 20, g: 120, b: 200 } },
      })
        .png()
        .toBuffer();
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose a file for Reference image (optional)' }).click(),
      ]);
      await chooser.setFiles({ name: 'ref.png', mimeType: 'image/png', buffer: reference });
      await page.getByTestId('reference-source-name').getByText('ref.png · 400×300').waitFor();
      await page.getByRole('slider', { name: 'Reference strength' }).focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
      await page.getByText('Strength: 0.30').waitFor();
      await page.getByLabel(/^Prompt/).fill('The same scene as a watercolour');
      await page.getByLabel('Width').fill('600');
      await page.getByLabel('Height').fill('400');
      expect(await seriousViolations(page, { within: 'main', except: ['color-contrast'] })).toEqual([]);
      await shoot(page, 'create-reference');
      stability.reset();
      await page.getByRole('button', { name: 'Generate 1 image' }).click();
      const card = page.getByTestId('result-card');
      await card.getByText('600×400').waitFor({ timeout: 60_000 });

      const sent = stability.requests.filter((r) => r.path.includes('/generate/')).at(-1);
      expect(sent?.path).toBe('/v2beta/stable-image/generate/sd3');
      expect(sent?.fields).toMatchObject({ mode: 'image-to-image', strength: '0.3', model: 'sd3.5-large' });
      expect(sent?.fields?.aspect_ratio).toBeUndefined();
      const sentImage = await sharp(sent?.files?.image?.bytes).metadata();
      expect([sentImage.width, sentImage.height]).toEqual([400, 300]);

      const link = page.getByRole('link', { name: 'Download variation 1' });
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const meta = await sharp(fs.readFileSync(await download.path())).metadata();
      expect([meta.width, meta.height]).toEqual([600, 400]);
      const assetId = /content-assets\/(\d+)\//.exec((await link.getAttribute('href')) ?? '')?.[1];
      const result = z
        .object({ parent_ids: z.array(z.number()) })
        .parse((await session.call('GET', `/api/content-assets/${assetId}`)).body);
      expect(result.parent_ids).toHaveLength(1);
      const parent = z
        .object({ width: z.number(), height: z.number(), source_module: z.string() })
        .parse((await session.call('GET', `/api/content-assets/${result.parent_ids[0]}`)).body);
      expect(parent).toEqual({ ...parent, width: 400, height: 300, source_module: 'upload' });

      // Core takes no reference image: the source is not offered for it.
      await page.getByRole('combobox', { name: 'Model' }).click();
      await page.getByRole('option', { name: /^Stable Image Core ·/ }).click();
      await page.getByTestId('reference-dropzone').waitFor({ state: 'detached' });
      session.expectNoErrors();
    });
  },
);
