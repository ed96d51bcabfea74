import fs from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { REAL_PHOTOS } from '../../../../../../test/support/real-photos.ts';
import { ctcGreedy } from './ctc.ts';
import { decodeForReading, recognizeText } from './ocr.ts';
import { checkOcrFiles, ocrSymbols } from './ocr-models.ts';
import { POSTER_LINES, renderPoster } from './testing/poster.ts';
import { readingOrder, textBoxes } from './text-boxes.ts';

const words = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

describe('PP-OCR text recognition', () => {
  it('reads every line of a poster on a photograph, in reading order', async () => {
    const poster = await renderPoster(fs.readFileSync(REAL_PHOTOS.dune.path()));
    const result = await recognizeText(await decodeForReading(poster));
    expect(result.text.split('\n')).toEqual(POSTER_LINES.map((l) => l.text));
    for (const line of result.lines) expect(line.score).toBeGreaterThan(0.8);
    // Boxes are in the poster's own pixels: the big line is wider and taller than the small one.
    const [big, , small] = result.lines;
    expect(big?.box.height).toBeGreaterThan((small?.box.height ?? 0) * 2);
    expect(big?.box.x).toBeGreaterThan(200);
    expect((big?.box.x ?? 0) + (big?.box.width ?? 0)).toBeLessThan(1400);
  }, 120_000);

  it('reads the words of a 12 MP photograph through its downscaled copy, and small print', async () => {
    const small = [
      { text: 'SUMMER SALE', size: 300 },
      { text: 'Open daily from nine', size: 60 },
    ];
    const poster = await renderPoster(fs.readFileSync(REAL_PHOTOS.wood.path()), 4000, small);
    expect((await sharp(poster).metadata()).width).toBe(4000);
    const result = await recognizeText(await decodeForReading(poster));
    // Boxes in the 4000-wide source's pixels, though read from a 1920-wide copy.
    expect(Math.max(...result.lines.map((l) => l.box.x + l.box.width))).toBeGreaterThan(2000);
    expect(words(result.text)).toEqual(words('SUMMER SALE Open daily from nine'));
  }, 120_000);

  it('reads 16-pixel print of a 1920×1080 screenshot (dark on light)', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1920" height="1080">
      <rect width="1920" height="1080" fill="#f4f4f4"/>
      <text x="40" y="100" font-family="DejaVu Sans" font-size="16" fill="#222">Invoice total due by Friday</text>
      <text x="900" y="600" font-family="DejaVu Sans" font-size="16" fill="#222">Settings and privacy</text>
    </svg>`;
    const screenshot = await sharp(Buffer.from(svg)).png().toBuffer();
    const result = await recognizeText(await decodeForReading(screenshot));
    expect(result.text).toBe('Invoice total due by Friday\nSettings and privacy');
  }, 120_000);

  it('finds no text in a photograph without any, nor in a flat image', async () => {
    expect((await recognizeText(await decodeForReading(fs.readFileSync(REAL_PHOTOS.dog.path())))).text).toBe(
      '',
    );
    const grey = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    expect(await recognizeText(await decodeForReading(grey))).toEqual({ text: '', lines: [] });
  }, 120_000);

  it('fails on bytes that are not an image', async () => {
    await expect(decodeForReading(Buffer.from('not an image'))).rejects.toThrow();
  });
});

describe('DB boxes and CTC decoding', () => {
  it('turns each region of the probability map into one grown box, dropping faint and thin ones', () => {
    const width = 40;
    const height = 20;
    const prob = new Float32Array(width * height);
    const fill = (x0: number, y0: number, w: number, h: number, p: number) => {
      for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) prob[y * width + x] = p;
    };
    fill(2, 4, 10, 4, 0.9); // a line of text
    fill(20, 4, 10, 4, 0.45); // above the pixel threshold, below the box threshold
    fill(20, 14, 15, 2, 0.9); // thinner than three pixels
    const boxes = textBoxes(prob, width, height);
    expect(boxes).toHaveLength(1);
    // Grown by area × 1.5 / perimeter = 40 × 1.5 / 28 ≈ 2.1 on each side.
    expect(boxes[0]).toMatchObject({ x: 0, y: 1, width: 15, height: 10 });
    expect(boxes[0]?.score).toBeCloseTo(0.9);
  });

  it('orders boxes in rows, top to bottom and left to right', () => {
    const box = (x: number, y: number) => ({ x, y, width: 10, height: 10 });
    const rows = readingOrder([box(50, 41), box(0, 0), box(30, 2), box(0, 40)]);
    expect(rows).toEqual([
      [box(0, 0), box(30, 2)],
      [box(0, 40), box(50, 41)],
    ]);
  });

  it('collapses repeats and drops blanks', () => {
    const symbols = ['', 'a', 'b'];
    // Steps: a a blank a b b → "aab"
    const steps = [1, 1, 0, 1, 2, 2];
    const probs = new Float32Array(steps.length * 3);
    steps.forEach((c, t) => {
      probs[t * 3 + c] = 0.9;
    });
    expect(ctcGreedy(probs, steps.length, 3, symbols)).toEqual({ text: 'aab', score: expect.closeTo(0.9) });
  });

  it('the model files ship with the package, and the dictionary fits the recogniser', () => {
    expect(() => checkOcrFiles()).not.toThrow();
    expect(ocrSymbols()).toHaveLength(6625);
    expect(() => checkOcrFiles('/nonexistent')).toThrow(/ch_PP-OCRv4_det_infer.onnx is missing/);
  });
});
