import fs from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
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
      await card.getByText('700×300').waitFor();
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
  },
);
