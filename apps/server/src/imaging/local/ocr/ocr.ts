import sharp from 'sharp';
import type { RawImage } from '../../ingest.ts';
import { runModel } from '../onnx/onnx-thread.ts';
import { ctcGreedy } from './ctc.ts';
import { ocrSymbols } from './ocr-models.ts';
import { readingOrder, type TextBox, textBoxes } from './text-boxes.ts';

/**
 * Longest side the detector sees, sides multiples of 32. PaddleOCR uses 960; at 768 the detector
 * costs about half as much and still finds 16-pixel print on a 1920-wide picture.
 */
const DETECT_SIDE = 768;
/** Longest side of the copy lines are cut from: small print survives, a 12 MP decode is avoided. */
export const READ_SIDE = 1920;
/** The recogniser's input height and its narrowest padded width (PP-OCRv4's `rec_image_shape`). */
const LINE_HEIGHT = 48;
const LINE_MIN_WIDTH = 320;
/** Widest line read, in the recogniser's pixels: about 40 characters at once. */
const LINE_MAX_WIDTH = 1600;
/** Lines recognised per run: the padded batch stays small. */
const BATCH = 6;
/** The largest regions first; a page of tiny print is not read word by word. */
const MAX_LINES = 40;
/** Lines read with less mean confidence are dropped (mostly texture read as letters). */
const MIN_LINE_SCORE = 0.6;

export interface OcrLine {
  text: string;
  score: number;
  box: TextBox;
}

export interface OcrResult {
  /** Lines in reading order, words of a row joined by spaces, rows by newlines. */
  text: string;
  /** Boxes in source pixels. */
  lines: OcrLine[];
}

interface Rgb {
  data: Buffer;
  width: number;
  height: number;
}

// PaddleOCR normalises in OpenCV's BGR order with ImageNet's RGB means: the models expect exactly that.
const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];

function detectionTensor(rgb: Rgb): Float32Array {
  const plane = rgb.width * rgb.height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = (rgb.data[i * 3 + (2 - c)] ?? 0) / 255;
      out[c * plane + i] = (v - (DET_MEAN[c] ?? 0)) / (DET_STD[c] ?? 1);
    }
  }
  return out;
}

async function detect(read: Rgb): Promise<TextBox[]> {
  const scale = Math.min(1, DETECT_SIDE / Math.max(read.width, read.height));
  const width = Math.max(32, Math.round((read.width * scale) / 32) * 32);
  const height = Math.max(32, Math.round((read.height * scale) / 32) * 32);
  const data = await sharp(read.data, { raw: { width: read.width, height: read.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer();
  const [map] = await runModel({
    model: 'ppocr-det',
    inputs: [{ data: detectionTensor({ data, width, height }), dims: [1, 3, height, width] }],
  });
  if (!map) throw new Error('PP-OCR detection gave no output');
  const sx = read.width / width;
  const sy = read.height / height;
  return textBoxes(map.data, width, height).map((b) => {
    const x = Math.floor(b.x * sx);
    const y = Math.floor(b.y * sy);
    return {
      x,
      y,
      width: Math.min(read.width - x, Math.ceil(b.width * sx)),
      height: Math.min(read.height - y, Math.ceil(b.height * sy)),
      score: b.score,
    };
  });
}

interface Cut {
  box: TextBox;
  width: number;
  pixels: Buffer;
}

async function cut(read: Rgb, box: TextBox): Promise<Cut> {
  const width = Math.min(LINE_MAX_WIDTH, Math.max(1, Math.ceil((LINE_HEIGHT * box.width) / box.height)));
  const pixels = await sharp(read.data, { raw: { width: read.width, height: read.height, channels: 3 } })
    .extract({ left: box.x, top: box.y, width: box.width, height: box.height })
    .resize(width, LINE_HEIGHT, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { box, width, pixels };
}

/** One padded batch, PaddleOCR's way: each line at its own width, zeros (mid-grey) to the right. */
async function recognise(cuts: Cut[], symbols: string[]): Promise<OcrLine[]> {
  const width = Math.max(LINE_MIN_WIDTH, ...cuts.map((c) => c.width));
  const plane = LINE_HEIGHT * width;
  const input = new Float32Array(cuts.length * 3 * plane);
  cuts.forEach((c, n) => {
    for (let y = 0; y < LINE_HEIGHT; y++) {
      for (let x = 0; x < c.width; x++) {
        const src = (y * c.width + x) * 3;
        for (let ch = 0; ch < 3; ch++) {
          const v = (c.pixels[src + (2 - ch)] ?? 0) / 255;
          input[n * 3 * plane + ch * plane + y * width + x] = (v - 0.5) / 0.5;
        }
      }
    }
  });
  const [out] = await runModel({
    model: 'ppocr-rec',
    inputs: [{ data: input, dims: [cuts.length, 3, LINE_HEIGHT, width] }],
  });
  if (!out) throw new Error('PP-OCR recognition gave no output');
  const [, steps = 0, classes = 0] = out.dims;
  return cuts.map((c, n) => {
    const line = ctcGreedy(
      out.data.subarray(n * steps * classes, (n + 1) * steps * classes),
      steps,
      classes,
      symbols,
    );
    return { text: line.text, score: line.score, box: c.box };
  });
}

/**
 * The copy analysis reads from: one decode, shrunk on load to at most READ_SIDE, upright, alpha
 * flattened on white; `scale` relates it to the source's pixels. Decode failures throw.
 */
export async function decodeForReading(bytes: Buffer): Promise<RawImage> {
  const meta = await sharp(bytes, { failOn: 'none' }).metadata();
  const sourceWidth = meta.autoOrient.width;
  const { data, info } = await sharp(bytes, { failOn: 'none' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(READ_SIDE, READ_SIDE, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new Error(`decoded to ${info.channels} channels, ${data.length} bytes: not 8-bit RGB`);
  }
  return { data, width: info.width, height: info.height, channels: 3, scale: info.width / sourceWidth };
}

/**
 * Text in a picture (a copy from `decodeForReading`): PP-OCRv4 detection on a copy at most
 * DETECT_SIDE wide, then recognition of the regions found only, cut from the reading copy. Boxes
 * are in source pixels. Runs the models on the model thread.
 */
export async function recognizeText(image: RawImage): Promise<OcrResult> {
  if (image.channels !== 3) throw new Error('recognizeText reads 3-channel pixels');
  const read = { data: image.data, width: image.width, height: image.height };
  const boxes = (await detect(read))
    .filter((b) => b.width > 1 && b.height > 1)
    .sort((a, b) => b.width * b.height - a.width * a.height)
    .slice(0, MAX_LINES);
  const cuts = await Promise.all(boxes.map((b) => cut(read, b)));
  // Similar widths share a batch, so little of it is padding.
  cuts.sort((a, b) => a.width - b.width);
  const symbols = ocrSymbols();
  const lines: OcrLine[] = [];
  for (let i = 0; i < cuts.length; i += BATCH) {
    lines.push(...(await recognise(cuts.slice(i, i + BATCH), symbols)));
  }
  const kept = lines.filter((l) => l.text !== '' && l.score >= MIN_LINE_SCORE);
  const rows = readingOrder(kept.map((l) => ({ ...l.box, line: l })));
  const toSource = (b: TextBox): TextBox => ({
    x: Math.round(b.x / image.scale),
    y: Math.round(b.y / image.scale),
    width: Math.round(b.width / image.scale),
    height: Math.round(b.height / image.scale),
    score: b.score,
  });
  return {
    text: rows.map((row) => row.map((b) => b.line.text).join(' ')).join('\n'),
    lines: rows.flatMap((row) => row.map((b) => ({ ...b.line, box: toSource(b.line.box) }))),
  };
}
