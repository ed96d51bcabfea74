import fs from 'node:fs';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seriousViolations } from './support/axe.ts';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { openFromNav } from './support/flows.ts';
import { studioSession } from './support/session.ts';

const W = 320;
const H = 240;
const DISC = { x: 100, y: 95, r: 38 };
/** A far corner the erase must leave untouched. */
const CORNER = { left: 270, top: 190, width: 40, height: 40 };

/** A warm textured background (little blue anywhere) with a solid bright-blue disc off-centre. */
function discImage(): Promise<Buffer> {
  const data = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      if (Math.hypot(x - DISC.x, y - DISC.y) <= DISC.r) {
        data.set([20, 70, 250], i);
      } else {
        data.set(
          [
            Math.round(150 + 60 * Math.sin(x / 6)),
            Math.round(130 + 50 * Math.cos(y / 5)),
            Math.round(50 + 25 * Math.sin((x + y) / 9)),
          ],
          i,
        );
      }
    }
  }
  return sharp(data, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toBuffer();
}

/** Mean R, G, B of a region (alpha dropped). */
async function meanRgb(
  png: Buffer,
  region: { left: number; top: number; width: number; height: number },
): Promise<number[]> {
  // stats() reads its input, not the pipeline's output, so the region is cut out first.
  const cut = await sharp(png).removeAlpha().extract(region).png().toBuffer();
  const stats = await sharp(cut).stats();
  return stats.channels.slice(0, 3).map((c) => c.mean);
}

/** A larger photo-like image, shown smaller than its pixels, so the mask's size is the image's and not the screen's. */
const BIG = { width: 900, height: 600 };
function bigImage(): Promise<Buffer> {
  const data = Buffer.alloc(BIG.width * BIG.height * 3);
  for (let y = 0; y < BIG.height; y++) {
    for (let x = 0; x < BIG.width; x++) {
      data.set(
        [
          Math.round(120 + 80 * Math.sin(x / 40)),
          Math.round(140 + 60 * Math.cos(y / 30)),
          Math.round(110 + 50 * Math.sin((x + y) / 50)),
        ],
        (y * BIG.width + x) * 3,
      );
    }
  }
  return sharp(data, { raw: { width: BIG.width, height: BIG.height, channels: 3 } })
    .png()
    .toBuffer();
}

const SavedEdit = z.object({ params: z.object({ mask_asset_id: z.number() }) });

const FramedSample = z.object({
  size: z.array(z.number()),
  disc: z.array(z.number()),
  added: z.array(z.number()),
});

/** Distance from a pixel centre to the segment a→b. */
function distance(x: number, y: number, a: [number, number], b: [number, number]): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

/** Pixels of the mask canvas that carry paint. */
const PAINTED =
  "(() => { const c = document.querySelector('[data-testid=edit-mask]'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()";

describe.skipIf(!chromiumAvailable())(
  'edit: upload → erase with a painted mask → result → remove background',
  () => {
    const session = studioSession();
    let page: Page;
    let image: Buffer;
    let resultUrl: string;

    /** Image pixel → page coordinates on the mask canvas. */
    async function at(x: number, y: number): Promise<[number, number]> {
      const box = await page.getByTestId('edit-mask').boundingBox();
      if (!box) {
        throw new Error('The mask canvas is not shown');
      }
      return [box.x + (x / W) * box.width, box.y + (y / H) * box.height];
    }

    async function stroke(points: [number, number][]): Promise<void> {
      const [first, ...rest] = points;
      if (!first) {
        return;
      }
      await page.mouse.move(...(await at(...first)));
      await page.mouse.down();
      for (const p of rest) {
        await page.mouse.move(...(await at(...p)), { steps: 6 });
      }
      await page.mouse.up();
    }

    beforeAll(async () => {
      page = session.page;
      image = await discImage();
    });

    it('opens Edit from the navigation', async () => {
      await page.getByTestId('studio-edit').getByText('Live').waitFor();
      await openFromNav(page, 'Edit');
      await page.getByRole('heading', { name: 'Edit', exact: true }).waitFor();
      await page.getByTestId('op-erase').getByText('Free').waitFor();
      await shoot(page, 'edit-empty');
      session.expectNoErrors();
    });

    it('shows an operation that needs a key as disabled, saying which key', async () => {
      for (const op of ['search_replace', 'general_edit', 'relight']) {
        const card = page.getByTestId(`op-${op}`);
        await card.getByText(/^Needs a .+ key$/).waitFor();
        expect(await card.isDisabled()).toBe(true);
      }
      expect(await page.getByTestId('op-erase').isDisabled()).toBe(false);
      expect(await page.getByTestId('op-remove_background').isDisabled()).toBe(false);
    });

    it('takes an uploaded image and shows it on the canvas with the cost', async () => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose a file' }).click(),
      ]);
      await chooser.setFiles({ name: 'disc.png', mimeType: 'image/png', buffer: image });
      await page.getByTestId('edit-source-name').getByText('disc.png · 320×240').waitFor();
      await page.getByTestId('op-erase').click();
      await page.getByTestId('edit-mask').waitFor();
      expect(
        await page
          .getByTestId('edit-mask')
          .evaluate((c: { width: number; height: number }) => [c.width, c.height]),
      ).toEqual([W, H]);
      await page.getByTestId('edit-cost').getByText('Cost: free (0 credits)').waitFor();
      await page.getByTestId('edit-blocker').getByText('Paint over the area to edit.').waitFor();
      expect(await page.getByRole('button', { name: 'Run Erase Object' }).isDisabled()).toBe(true);
      session.expectNoErrors();
    });

    it("shows the server's message when the mask ends up empty", async () => {
      await stroke([
        [200, 30],
        [240, 30],
      ]);
      await page.getByTestId('edit-mask-tools').getByRole('radio', { name: 'Eraser' }).dispatchEvent('click');
      await stroke([
        [180, 30],
        [260, 30],
      ]);
      await stroke([
        [180, 20],
        [260, 20],
        [260, 40],
        [180, 40],
      ]);
      expect(await page.evaluate(PAINTED)).toBe(0);
      await page.getByRole('button', { name: 'Run Erase Object' }).click();
      await page
        .getByRole('alert')
        .getByText(/The mask has no white pixels/)
        .waitFor();
      expect(page.url()).not.toContain('job=');
      // The refused request is the one expected console error.
      session.expectNoErrors(/\/api\/image-studio\/edit/);
      await page.getByRole('button', { name: 'Clear' }).click();
      await page.getByTestId('edit-mask-tools').getByRole('radio', { name: 'Paint' }).dispatchEvent('click');
    });

    it('paints over the disc; undo removes the last stroke and redo restores it', async () => {
      const rows: [number, number][] = [];
      for (let y = DISC.y - DISC.r - 6, i = 0; y <= DISC.y + DISC.r + 6; y += 8, i++) {
        const [a, b] = [DISC.x - DISC.r - 8, DISC.x + DISC.r + 8];
        rows.push(i % 2 === 0 ? [a, y] : [b, y], i % 2 === 0 ? [b, y] : [a, y]);
      }
      await stroke(rows);
      const first = (await page.evaluate(PAINTED)) as number;
      expect(first).toBeGreaterThan(Math.PI * DISC.r * DISC.r);
      // A second pass down the middle, then undo and redo by button and by keyboard.
      await stroke([
        [DISC.x, DISC.y - DISC.r - 12],
        [DISC.x, DISC.y + DISC.r + 20],
      ]);
      const both = (await page.evaluate(PAINTED)) as number;
      expect(both).toBeGreaterThan(first);
      await page.getByRole('button', { name: 'Undo' }).click();
      expect(await page.evaluate(PAINTED)).toBe(first);
      await page.getByRole('button', { name: 'Redo' }).click();
      expect(await page.evaluate(PAINTED)).toBe(both);
      await page.keyboard.press('Control+z');
      expect(await page.evaluate(PAINTED)).toBe(first);
      await page.keyboard.press('Shift+Control+z');
      expect(await page.evaluate(PAINTED)).toBe(both);
      await page.mouse.move(640, 700);
      await shoot(page, 'edit-painted');
      session.expectNoErrors();
    });

    it('erases the disc as a job: the download is 320×240, no blue left, the far corner unchanged', async () => {
      await page.getByRole('button', { name: 'Run Erase Object' }).click();
      await page.waitForURL(/[?&]job=/);
      const result = page.getByTestId('edit-result');
      await result.waitFor({ timeout: 120_000 });
      await result.getByText('320×240 · PNG').waitFor();
      const link = page.getByTestId('edit-download');
      resultUrl = (await link.getAttribute('href')) ?? '';
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      const out = fs.readFileSync(await download.path());
      const meta = await sharp(out).metadata();
      expect([meta.width, meta.height]).toEqual([W, H]);
      const inner = Math.floor(DISC.r * 0.7);
      const [r, g, b] = await meanRgb(out, {
        left: DISC.x - inner,
        top: DISC.y - inner,
        width: inner * 2,
        height: inner * 2,
      });
      expect((b ?? 255) - Math.max(r ?? 0, g ?? 0)).toBeLessThan(10);
      const before = await meanRgb(image, CORNER);
      const after = await meanRgb(out, CORNER);
      after.forEach((v, i) => {
        expect(Math.abs(v - (before[i] ?? 0))).toBeLessThan(1);
      });
      await page.getByRole('img', { name: /^After/ }).waitFor();
      await shoot(page, 'edit-result');
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await page.mouse.move(640, 400);
      await shoot(page, 'edit-result-dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
      session.expectNoErrors();
    });

    it('shows the same result after a reload (the job is in the address)', async () => {
      const url = page.url();
      await page.reload();
      const result = page.getByTestId('edit-result');
      await result.waitFor();
      expect(page.url()).toBe(url);
      expect(await page.getByTestId('edit-download').getAttribute('href')).toBe(resultUrl);
      // The source comes back from the job's input asset.
      await page
        .getByTestId('edit-source-name')
        .getByText(/· 320×240$/)
        .waitFor();
      session.expectNoErrors();
    });

    it('removes the background of the same image: a PNG with alpha', async () => {
      const shown = new URL(page.url()).searchParams.get('job');
      await page.getByTestId('op-remove_background').click();
      expect(await page.getByTestId('edit-mask').count()).toBe(0);
      await page.getByTestId('edit-cost').getByText('Cost: free (0 credits)').waitFor();
      await page.getByRole('button', { name: 'Run Remove Background' }).click();
      await page.waitForURL((u) => u.searchParams.get('job') !== shown);
      const result = page.getByTestId('edit-result');
      await result.getByText('Remove Background').waitFor({ timeout: 120_000 });
      const file = await page.request.get(
        (await page.getByTestId('edit-download').getAttribute('href')) ?? '',
      );
      const meta = await sharp(await file.body()).metadata();
      expect(meta.format).toBe('png');
      expect(meta.hasAlpha).toBe(true);
      expect([meta.width, meta.height]).toEqual([W, H]);
      // A cut-out is shown alone on a checkerboard: over the original its transparency would hide the change.
      await result.getByRole('img', { name: 'Result: Remove Background' }).waitFor();
      expect(await result.getByTestId('compare').count()).toBe(0);
      await shoot(page, 'edit-cutout');
      session.expectNoErrors();
    });

    it('previews the larger outpaint canvas from the extents typed per side', async () => {
      await page.getByTestId('op-outpaint').click();
      await page.getByTestId('edit-blocker').getByText('Extend at least one side.').waitFor();
      await page.getByLabel('Left').fill('64');
      await page.getByLabel('Bottom').fill('40');
      await page.getByTestId('edit-outpaint-size').getByText('New canvas 384×280 (from 320×240)').waitFor();
      expect(await page.getByRole('button', { name: 'Run Outpaint' }).isDisabled()).toBe(false);
      await shoot(page, 'edit-outpaint');
      session.expectNoErrors();
    });
    it('runs the outpaint: the before/after shows the original at its place in the larger canvas', async () => {
      const shown = new URL(page.url()).searchParams.get('job');
      await page.getByRole('button', { name: 'Run Outpaint' }).click();
      await page.waitForURL((u) => u.searchParams.get('job') !== shown);
      const result = page.getByTestId('edit-result');
      await result.getByText('384×280 · PNG').waitFor({ timeout: 120_000 });
      await page.locator('[data-framed=true] [data-testid=edit-result]').waitFor();
      // The "before" side is drawn at the result's size with the disc where it lies in the result.
      await page.getByRole('img', { name: 'Before: the original' }).waitFor();
      const sample = FramedSample.parse(
        await page.evaluate(`(async () => {
          const img = document.querySelector('[data-testid=edit-result] img[alt="Before: the original"]');
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.naturalWidth;
          c.height = img.naturalHeight;
          const ctx = c.getContext('2d');
          ctx.drawImage(img, 0, 0);
          const at = (x, y) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
          return { size: [img.naturalWidth, img.naturalHeight], disc: at(${64 + DISC.x}, ${DISC.y}), added: at(10, 270) };
        })()`),
      );
      expect(sample.size).toEqual([384, 280]);
      const { disc, added } = sample;
      const [r, g, bl] = disc;
      expect((bl ?? 0) - Math.max(r ?? 0, g ?? 0)).toBeGreaterThan(100);
      // The added strip is the neutral checkerboard, not a stretched original.
      const [ar, ag, ab] = added;
      expect(Math.max(ar ?? 0, ag ?? 0, ab ?? 0) - Math.min(ar ?? 0, ag ?? 0, ab ?? 0)).toBeLessThan(12);
      await shoot(page, 'edit-outpaint-result');
      session.expectNoErrors();
    });

    it('with no key, inpaint with a prompt runs on this server and the result says the prompt was not used', async () => {
      const shown = new URL(page.url()).searchParams.get('job');
      await page.getByTestId('op-inpaint').click();
      await page.getByTestId('edit-mask').waitFor();
      const rows: [number, number][] = [];
      for (let y = DISC.y - DISC.r - 6, i = 0; y <= DISC.y + DISC.r + 6; y += 8, i++) {
        const [a, b] = [DISC.x - DISC.r - 8, DISC.x + DISC.r + 8];
        rows.push(i % 2 === 0 ? [a, y] : [b, y], i % 2 === 0 ? [b, y] : [a, y]);
      }
      await stroke(rows);
      await page.getByLabel('Prompt (optional)').fill('a red balloon');
      // Before running: the prompt needs a key this server lacks, so it will not be used; still free.
      await page.getByText(/Without one, this server fills from the surroundings/).waitFor();
      await page.getByTestId('edit-cost').getByText('Cost: free (0 credits)').waitFor();
      await page.getByRole('button', { name: 'Run Inpaint & Fix' }).click();
      await page.waitForURL((u) => u.searchParams.get('job') !== shown);
      const notice = page.getByTestId('edit-notice');
      await notice.waitFor({ timeout: 120_000 });
      expect(await notice.getAttribute('data-code')).toBe('prompt_ignored_local');
      expect(await notice.getAttribute('role')).toBe('alert');
      await notice.getByText(/The prompt was not used/).waitFor();
      const result = page.getByTestId('edit-result');
      await result.getByText('320×240 · PNG').waitFor();
      await result.getByText('local · content-aware-fill').waitFor();
      await result.getByText('Free').waitFor();
      // The disc was filled from its surroundings; the far corner is unchanged.
      const file = await page.request.get(
        (await page.getByTestId('edit-download').getAttribute('href')) ?? '',
      );
      const out = await file.body();
      const inner = Math.floor(DISC.r * 0.7);
      const [r, g, b] = await meanRgb(out, {
        left: DISC.x - inner,
        top: DISC.y - inner,
        width: inner * 2,
        height: inner * 2,
      });
      expect((b ?? 255) - Math.max(r ?? 0, g ?? 0)).toBeLessThan(10);
      const [before, after] = [await meanRgb(image, CORNER), await meanRgb(out, CORNER)];
      after.forEach((v, i) => {
        expect(Math.abs(v - (before[i] ?? 0))).toBeLessThan(1);
      });
      await shoot(page, 'edit-local-first-notice');
      session.expectNoErrors();
    });

    it('zoomed in, paints a stroke and inverts it: the mask sent has the image pixel size and keeps only the stroke', async () => {
      const big = await bigImage();
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose another file' }).click(),
      ]);
      await chooser.setFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
      await page.getByTestId('edit-source-name').getByText('big.png · 900×600').waitFor();
      await page.getByTestId('op-search_recolor').click();
      const canvas = page.getByTestId('edit-mask');
      await canvas.waitFor();
      expect(await canvas.evaluate((c: { width: number; height: number }) => [c.width, c.height])).toEqual([
        BIG.width,
        BIG.height,
      ]);
      // The wheel zooms where the pointer is, so the whole stage must be in the window.
      await page
        .getByTestId('edit-stage')
        .evaluate((e: { scrollIntoView: (o: object) => void }) => e.scrollIntoView({ block: 'center' }));
      const stage = await page.getByTestId('edit-stage').boundingBox();
      const fitted = await canvas.boundingBox();
      if (!stage || !fitted) {
        throw new Error('The stage is not shown');
      }
      // The image is shown smaller than its pixels, whole, before zooming.
      expect(fitted.width).toBeLessThan(BIG.width);
      expect(Math.abs(fitted.width - stage.width)).toBeLessThan(2);
      // Two wheel notches over the middle zoom in about it.
      await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
      await page.mouse.wheel(0, -300);
      await page.mouse.wheel(0, -300);
      await expect
        .poll(async () => (await canvas.boundingBox())?.width ?? 0)
        .toBeGreaterThan(2 * fitted.width);
      const zoomed = await canvas.boundingBox();
      if (!zoomed) {
        throw new Error('The mask canvas is not shown');
      }
      expect(zoomed.width / fitted.width).toBeGreaterThan(2);
      const toPage = (x: number, y: number): [number, number] => [
        zoomed.x + (x / BIG.width) * zoomed.width,
        zoomed.y + (y / BIG.height) * zoomed.height,
      ];
      const a: [number, number] = [400, 300];
      const b: [number, number] = [500, 320];
      await page.mouse.move(...toPage(...a));
      await page.mouse.down();
      await page.mouse.move(...toPage(...b), { steps: 12 });
      await page.mouse.up();
      await page.getByRole('button', { name: 'Invert' }).click();
      // The ring under the pointer is as wide as the brush.
      await page.mouse.move(...toPage(450, 250));
      const ring = await page.getByTestId('edit-brush-ring').boundingBox();
      expect(Math.abs((ring?.width ?? 0) - 40)).toBeLessThan(2);
      await shoot(page, 'edit-zoomed-inverted');
      // The screen's own markup: names of sliders, buttons and fields, ARIA. Colour contrast comes from
      // the app theme's tokens (dimmed text, light badges), shared by every screen, not from this one.
      expect(await seriousViolations(page, { within: 'main', except: ['color-contrast'] })).toEqual([]);

      await page.getByRole('button', { name: 'Run Search & Recolor' }).click();
      const result = page.getByTestId('edit-result');
      await result.getByText('900×600 · PNG').waitFor({ timeout: 120_000 });
      // The mask as the server received it: the result records the stored mask asset.
      const href = (await page.getByTestId('edit-download').getAttribute('href')) ?? '';
      const resultId = /content-assets\/(\d+)\//.exec(href)?.[1];
      const saved = SavedEdit.parse(await (await page.request.get(`/api/content-assets/${resultId}`)).json());
      const sent = await page.request.get(`/api/content-assets/${saved.params.mask_asset_id}/file`);
      const { data, info } = await sharp(await sent.body())
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([BIG.width, BIG.height]);
      // A 40 px brush on screen is 20 / (screen px per image px) image pixels in radius.
      const radius = 20 / (zoomed.width / BIG.width);
      let core = 0;
      let coreKept = 0;
      let outside = 0;
      let outsideEdited = 0;
      for (let y = 0; y < info.height; y++) {
        for (let x = 0; x < info.width; x++) {
          const d = distance(x + 0.5, y + 0.5, a, b);
          const v = data[y * info.width + x] ?? 0;
          if (d < radius * 0.7) {
            core++;
            coreKept += v < 30 ? 1 : 0;
          } else if (d > radius + 2) {
            outside++;
            outsideEdited += v > 225 ? 1 : 0;
          }
        }
      }
      expect(core).toBeGreaterThan(1000);
      expect(coreKept / core).toBeGreaterThan(0.99);
      expect(outsideEdited / outside).toBeGreaterThan(0.99);

      // The recolour changed the image everywhere but under the stroke.
      const file = await page.request.get(href);
      const out = await file.body();
      // On the stroke's centre line: the server grows the edited area by a few pixels into the kept stroke.
      const under = { left: 445, top: 309, width: 10, height: 2 };
      const far = { left: 50, top: 50, width: 100, height: 100 };
      const [before, after] = [await meanRgb(big, under), await meanRgb(out, under)];
      expect(Math.max(...before.map((v, i) => Math.abs(v - (after[i] ?? 0))))).toBeLessThan(6);
      const [farBefore, farAfter] = [await meanRgb(big, far), await meanRgb(out, far)];
      expect(Math.max(...farBefore.map((v, i) => Math.abs(v - (farAfter[i] ?? 0))))).toBeGreaterThan(20);
      session.expectNoErrors();
    });

    it('keys: ] and [ change the brush size, 0 fits the image again', async () => {
      await page.getByTestId('edit-stage').hover();
      await page.keyboard.press(']');
      await page.getByText('Brush 46px').waitFor();
      await page.keyboard.press('[');
      await page.keyboard.press('[');
      await page.getByText(/^Brush 3\dpx$/).waitFor();
      await page.keyboard.press('0');
      const stage = await page.getByTestId('edit-stage').boundingBox();
      const canvas = await page.getByTestId('edit-mask').boundingBox();
      expect(Math.abs((canvas?.width ?? 0) - (stage?.width ?? 0))).toBeLessThan(2);
      session.expectNoErrors();
    });
  },
);
