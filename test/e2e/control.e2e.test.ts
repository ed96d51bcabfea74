import fs from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StabilityFake } from '../fakes/stability.ts';
import { seriousViolations } from './support/axe.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { openFromNav } from './support/flows.ts';
import { studioSession } from './support/session.ts';

const W = 512;
const H = 384;

/** A sketch: black strokes (a house outline) on white. */
function sketch(): Promise<Buffer> {
  const data = Buffer.alloc(W * H, 255);
  const line = (x0: number, y0: number, x1: number, y1: number) => {
    const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
    for (let i = 0; i <= steps; i++) {
      const x = Math.round(x0 + ((x1 - x0) * i) / steps);
      const y = Math.round(y0 + ((y1 - y0) * i) / steps);
      for (let d = -2; d <= 2; d++) data[(y + d) * W + x] = 0;
    }
  };
  line(140, 200, 370, 200);
  line(140, 200, 140, 340);
  line(370, 200, 370, 340);
  line(140, 340, 370, 340);
  line(140, 200, 255, 90);
  line(255, 90, 370, 200);
  return sharp(data, { raw: { width: W, height: H, channels: 1 } })
    .png()
    .toBuffer();
}

const AssetParents = z.object({
  id: z.number(),
  width: z.number(),
  height: z.number(),
  parent_ids: z.array(z.number()),
});
const Balance = z.object({ balance: z.number() });

describe.skipIf(!chromiumAvailable())(
  'control: no key → key added → sketch to image, canceled and then run',
  () => {
    const stability = new StabilityFake();
    const session = studioSession({
      // The fake is there, but no key: the screen must say which key is missing.
      env: async () => ({ STABILITY_BASE_URL: await stability.start() }),
      cleanup: () => stability.stop(),
    });
    let image: Buffer;

    it('shows Control on the dashboard as needing a Stability key, and the screen says so', async () => {
      const { page } = session;
      image = await sketch();
      const card = page.getByTestId('studio-control');
      await card.getByText('Needs setup').waitFor();
      await card.getByText(/Needs a Stability AI key/).waitFor();
      await openFromNav(page, 'Control');
      await page.getByRole('heading', { name: 'Control', exact: true }).waitFor();
      await page.getByTestId('control-key-needed').getByText('Needs a Stability AI key').waitFor();
      await page.getByTestId('control-blocker').getByText('Needs a Stability AI key.').waitFor();
      expect(await page.getByRole('button', { name: /^Run / }).isDisabled()).toBe(true);
      expect(await seriousViolations(page, { within: 'main', except: ['color-contrast'] })).toEqual([]);
      await shoot(page, 'control-no-key');
      session.expectNoErrors();
    });

    it('with a key: takes a sketch and shows the server defaults and the price before running', async () => {
      const { page } = session;
      const saved = await session.call('PUT', '/api/provider-keys/stability', {
        api_key: 'e2e-stability-key',
      });
      expect(saved.status).toBe(200);
      await page.reload();
      await page.getByTestId('control-op-sketch').waitFor();
      expect(await page.getByTestId('control-key-needed').count()).toBe(0);
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose a file for 2. Control image' }).click(),
      ]);
      await chooser.setFiles({ name: 'house.png', mimeType: 'image/png', buffer: image });
      await page.getByTestId('control-source-name').getByText(`house.png · ${W}×${H}`).waitFor();
      // The default comes from /control/operations (the seed's 0.7), not from the screen.
      await page.getByTestId('control-control_strength-value').getByText('0.70').waitFor();
      await page.getByTestId('control-blocker').getByText('Describe the image you want.').waitFor();
      await page.getByLabel(/^Prompt/).fill('A cosy cottage, watercolour');
      await page.getByLabel('Seed').fill('4242');
      await page.getByText('JPEG', { exact: true }).click();
      const credits = page.getByTestId('estimate-credits');
      await credits.waitFor();
      expect(Number(await credits.getAttribute('data-credits'))).toBeGreaterThan(0);
      expect(await page.getByTestId('control-blocker').count()).toBe(0);
      await shoot(page, 'control-ready');
      session.expectNoErrors();
    });

    it('style transfer asks for a style image', async () => {
      const { page } = session;
      await page.getByTestId('control-op-style_transfer').click();
      await page.getByText('2. Initial image').waitFor();
      await page.getByTestId('control-blocker').getByText('Choose a style image.').waitFor();
      await page.getByTestId('control-style_strength-value').getByText('1.00').waitFor();
      await page.getByTestId('control-op-sketch').click();
      await page.getByTestId('control-control_strength-value').getByText('0.70').waitFor();
      session.expectNoErrors();
    });

    it('cancels a run waiting on the provider: shown as canceled, nothing charged', async () => {
      const { page } = session;
      const before = Balance.parse((await session.call('GET', '/api/credits')).body).balance;
      const held = stability.holdNext(/control\/sketch/);
      await page.getByRole('button', { name: 'Run Sketch to Image' }).click();
      await page.waitForURL(/[?&]job=/);
      await held.reached;
      await page.getByTestId('job-progress').getByRole('button', { name: 'Cancel' }).click();
      await page.getByTestId('control-canceled').waitFor();
      held.release();
      const after = Balance.parse((await session.call('GET', '/api/credits')).body).balance;
      expect(after).toBe(before);
      session.expectNoErrors();
    });

    it('runs sketch to image: a 512×384 JPEG saved with the sketch as its parent, seed and strength sent', async () => {
      const { page } = session;
      const shown = new URL(page.url()).searchParams.get('job');
      await page.getByRole('button', { name: 'Run Sketch to Image' }).click();
      await page.waitForURL((u) => u.searchParams.get('job') !== shown);
      const result = page.getByTestId('control-result');
      await result.waitFor({ timeout: 120_000 });
      await page.getByTestId('control-output-size').getByText(`${W}×${H} · JPG`).waitFor();
      await page.getByTestId('control-seed').getByText('seed 4242').waitFor();
      const sent = stability.requests.filter((r) => r.path.endsWith('/control/sketch')).at(-1);
      expect(sent?.fields?.control_strength).toBe('0.7');
      expect(sent?.fields?.seed).toBe('4242');
      expect(sent?.fields?.prompt).toContain('A cosy cottage');

      const link = page.getByTestId('control-download');
      const href = (await link.getAttribute('href')) ?? '';
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const out = fs.readFileSync(await download.path());
      const meta = await sharp(out).metadata();
      expect(meta.format).toBe('jpeg');
      expect([meta.width, meta.height]).toEqual([W, H]);

      const id = Number(/content-assets\/(\d+)\//.exec(href)?.[1]);
      const asset = AssetParents.parse((await session.call('GET', `/api/content-assets/${id}`)).body);
      expect(asset.parent_ids).toHaveLength(1);
      const parent = AssetParents.parse(
        (await session.call('GET', `/api/content-assets/${asset.parent_ids[0]}`)).body,
      );
      expect([parent.width, parent.height]).toEqual([W, H]);
      await page.getByRole('img', { name: /^After: generated/ }).waitFor();
      expect(await seriousViolations(page, { within: 'main', except: ['color-contrast'] })).toEqual([]);
      await shoot(page, 'control-result');
      session.expectNoErrors();
    });
  },
);
