import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { realPhoto } from '../../../../test/support/real-photos.ts';
import type { Rect, Size } from '../imaging/geometry.ts';
import { ingestBytes, type RawImage } from '../imaging/ingest.ts';
import type { RawImage as Rgb } from '../imaging/local/raw-image.ts';
import { psnr } from '../imaging/local/testing/metrics.ts';
import { OutputPainter } from '../imaging/social-render.ts';
import { BandQueue } from './bands.ts';
import { findFormat, findPlatform, type PlatformFormat } from './platforms.ts';
import { decodeScale } from './social.service.ts';

const limits = { maxUploadBytes: 25 * 1024 * 1024, maxInputPixels: 50_000_000 };
const format = (platform: string, name: string): PlatformFormat => findFormat(findPlatform(platform)!, name)!;
const post = format('twitter', 'Post');
const pin = format('pinterest', 'Pin');
const story = format('instagram', 'Story');

/** Fine wood grain, 2560×1920: a cut off by a pixel shows. */
async function wood() {
  const image = await ingestBytes(realPhoto('wood'), { limits });
  const scale = decodeScale(image, { formats: [post, pin, story], cropMode: 'smart' });
  return { image, scale, raw: image.decodeRaw(scale) };
}

const drawn = (raw: RawImage, crop: Rect, target: Size) =>
  new OutputPainter(raw, { crop, strategy: 'saliency', subjects: [] }, target, {
    background: 'color',
    color: '#fff',
    matte: '#fff',
  }).rawAt(target);

function pixels(frame: { data: Buffer; info: { width: number; height: number; channels: number } }): Rgb {
  const { width, height, channels } = frame.info;
  if (channels !== 3) throw new Error(`expected RGB, got ${channels} channels`);
  return { data: frame.data, width, height, channels };
}

describe('BandQueue', () => {
  it('cuts an output from a band made while detection runs: the same picture as resampling the crop from the decode', async () => {
    const { image, scale, raw } = await wood();
    const bands = new BandQueue(image, [post, pin, story], scale);
    bands.start(raw);
    const decoded = await raw;
    expect(decoded.width).toBe(2560);
    // Off-centre positions with odd offsets, as a smart crop picks them.
    const cases: Array<[PlatformFormat, Rect, Size]> = [
      [post, { left: 0, top: 123, width: 2560, height: 1440 }, { width: 2560 * (675 / 1440), height: 900 }],
      [pin, { left: 331, top: 0, width: 1280, height: 1920 }, { width: 2000, height: 1500 }],
    ];
    for (const [f, crop, bandSize] of cases) {
      const target = { width: f.width, height: f.height };
      const band = await bands.bandFor(f.id, crop);
      expect(band && { width: band.width, height: band.height }, f.id).toEqual({
        width: Math.round(bandSize.width),
        height: bandSize.height,
      });
      const reference = pixels(
        await sharp(image.bytes).extract(crop).resize(target.width, target.height).raw().toBuffer({
          resolveWithObject: true,
        }),
      );
      const fromBand = psnr(pixels(await drawn(band!, crop, target)), reference, 2);
      // One output pixel along the free axis, in source pixels.
      const px = Math.round(crop.width / target.width);
      const shifted = crop.width < 2560 ? { ...crop, left: crop.left + px } : { ...crop, top: crop.top + px };
      const offByAPixel = psnr(pixels(await drawn(decoded, shifted, target)), reference, 2);
      // The full-size decode resampled is the reference itself; the band differs by the rounding of a
      // sub-pixel offset, far less than a cut one pixel off (measured: 42.2 and 44.6 dB against 34.4
      // and 39.4).
      expect(fromBand, `${f.id}: band ${fromBand.toFixed(1)} dB`).toBeGreaterThan(40);
      expect(fromBand, `${f.id}: a cut one pixel off scores ${offByAPixel.toFixed(1)} dB`).toBeGreaterThan(
        offByAPixel + 4,
      );
    }
    // The decode already is the story's scale: no band for it.
    expect(await bands.bandFor(story.id, { left: 740, top: 0, width: 1080, height: 1920 })).toBeUndefined();
  }, 60_000);

  it('leaves a crop of another size (given by the caller, or zoomed in) to the decode', async () => {
    const { image, scale, raw } = await wood();
    const bands = new BandQueue(image, [post], scale);
    bands.start(raw);
    await raw;
    expect(await bands.bandFor(post.id, { left: 0, top: 123, width: 2560, height: 1440 })).toBeDefined();
    expect(await bands.bandFor(post.id, { left: 100, top: 123, width: 2400, height: 1350 })).toBeUndefined();
  }, 60_000);

  it('starts nothing once stopped: the crops are known and the cores are the exports’', async () => {
    const { image, scale, raw } = await wood();
    const bands = new BandQueue(image, [post, pin], scale);
    bands.stop();
    bands.start(raw);
    await raw;
    expect(await bands.bandFor(post.id, { left: 0, top: 0, width: 2560, height: 1440 })).toBeUndefined();
    expect(await bands.bandFor(pin.id, { left: 0, top: 0, width: 1280, height: 1920 })).toBeUndefined();
  }, 60_000);
});
