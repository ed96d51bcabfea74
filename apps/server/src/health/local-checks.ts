import type { LocalModel } from '@studio/contracts/rules';
import {
  checkDetectorFiles,
  checkEsrganFiles,
  checkIsnetFiles,
  detectorModelDir,
  esrganModelDir,
  isnetDistDir,
} from '../imaging/local/model-files.ts';
import { checkOcrFiles, ocrModelDir } from '../imaging/local/ocr/ocr-models.ts';
import { loadFonts } from '../providers/local/fonts.ts';

export interface Check {
  status: 'ok' | 'error';
  error?: string;
}

/** What the local checks look at; tests point them at broken copies. */
export interface LocalCheckTargets {
  isnetDir: () => string;
  esrganDir: () => string;
  detectorDir: () => string;
  ocrDir: () => string;
  fonts: () => unknown;
}

export const INSTALLED_TARGETS: LocalCheckTargets = {
  isnetDir: isnetDistDir,
  esrganDir: esrganModelDir,
  detectorDir: detectorModelDir,
  ocrDir: ocrModelDir,
  fonts: loadFonts,
};

/** Results are kept this long: the checks stat a few dozen files, and health is polled. */
const CACHE_MS = 60_000;

function check(run: () => void): Check {
  try {
    run();
    return { status: 'ok' };
  } catch (e) {
    return { status: 'error', error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The offline parts the studios load on first use: ISNet (background removal), ESRGAN (AI
 * upscale), the subject detector (smart crops, automatic tags), PP-OCR (text in library images)
 * and the layout renderer's fonts. Each is checked by its files (present, whole), not by
 * loading or running it, and the answer is cached.
 */
export class LocalChecks {
  private cached: { at: number; result: Record<LocalModel, Check> } | undefined;

  constructor(
    private readonly targets: LocalCheckTargets = INSTALLED_TARGETS,
    private readonly clock: () => number = Date.now,
  ) {}

  results(): Record<LocalModel, Check> {
    const now = this.clock();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      this.cached = {
        at: now,
        result: {
          isnet: check(() => checkIsnetFiles(this.targets.isnetDir())),
          esrgan: check(() => checkEsrganFiles(this.targets.esrganDir())),
          detector: check(() => checkDetectorFiles(this.targets.detectorDir())),
          ocr: check(() => checkOcrFiles(this.targets.ocrDir())),
          layout_fonts: check(() => void this.targets.fonts()),
        },
      };
    }
    return this.cached.result;
  }
}
