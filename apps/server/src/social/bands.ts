import { availableParallelism } from 'node:os';
import type { Rect, Size } from '../imaging/geometry.ts';
import type { RawImage } from '../imaging/ingest.ts';
import { resizedRaw } from '../imaging/raw-resize.ts';
import { planFor } from '../imaging/subjects.ts';
import type { PlatformFormat } from './platforms.ts';

/**
 * The source resized whole to the scale one or more outputs need, made while subject detection
 * runs. A smart crop's size is fixed before detection (the largest rectangle of the output's
 * ratio; only its position waits for the subjects), so its resample can run on the cores the
 * detector leaves idle, and each export after it only cuts and encodes.
 */
interface Band {
  size: Size;
  /** Crop size (source pixels) of the outputs this band serves, by format id. */
  crops: Map<string, Size>;
  made?: Promise<RawImage>;
}

/** Bands made at once: the detector holds one core; the rest are free while it runs. */
const BAND_CONCURRENCY = Math.max(1, availableParallelism() - 1);

export class BandQueue {
  private readonly bands: Band[];
  private readonly byFormat = new Map<string, Band>();
  private stopped = false;

  /**
   * `decodeScale` is the shared decode's: a band at least that large would be the decode itself.
   * `formats` are the outputs whose crops wait for detection.
   */
  constructor(source: Size, formats: readonly PlatformFormat[], decodeScale: number) {
    const bySize = new Map<string, Band>();
    for (const f of formats) {
      const target = { width: f.width, height: f.height };
      const crop = planFor(source, target, 'center').crop;
      const size = bandSize(source, crop, target);
      if (!size || size.width >= Math.round(source.width * decodeScale)) continue;
      const key = `${size.width}x${size.height}`;
      const band = bySize.get(key) ?? { size, crops: new Map() };
      bySize.set(key, band);
      band.crops.set(f.id, { width: crop.width, height: crop.height });
      this.byFormat.set(f.id, band);
    }
    // Those serving the most outputs first: if detection ends early, they saved the most.
    this.bands = [...bySize.values()].sort((a, b) => b.crops.size - a.crops.size);
  }

  /** Starts making the bands from the shared decode, a few at a time, until `stop()`. */
  start(decoded: Promise<RawImage>): void {
    let next = 0;
    const worker = async (): Promise<void> => {
      const raw = await decoded;
      while (!this.stopped && next < this.bands.length) {
        const band = this.bands[next++] as Band;
        band.made = resizedRaw(raw, band.size);
        await band.made;
      }
    };
    for (let i = 0; i < BAND_CONCURRENCY; i++) {
      // A failed band is only a missed shortcut: the output is drawn from the decode instead.
      worker().catch(() => undefined);
    }
  }

  /** The crops are known: nothing more starts (what runs finishes and is used). */
  stop(): void {
    this.stopped = true;
  }

  /**
   * The band for this output's crop, when one was started and the crop has the size it was made
   * for (a crop given by the caller, or a plan that zoomed in, is drawn from the decode).
   */
  async bandFor(formatId: string, crop: Rect): Promise<RawImage | undefined> {
    const band = this.byFormat.get(formatId);
    const size = band?.crops.get(formatId);
    if (!band?.made || !size || size.width !== crop.width || size.height !== crop.height) return undefined;
    return band.made.catch(() => undefined);
  }
}

/**
 * The whole source at the scale that makes `crop` exactly `target` along the axis the crop spans
 * in full; undefined for a crop that spans neither (it is drawn from the decode).
 */
function bandSize(source: Size, crop: Rect, target: Size): Size | undefined {
  const k =
    crop.width === source.width
      ? target.width / source.width
      : crop.height === source.height
        ? target.height / source.height
        : undefined;
  if (k === undefined || k >= 1) return undefined;
  return {
    width: Math.max(target.width, Math.round(source.width * k)),
    height: Math.max(target.height, Math.round(source.height * k)),
  };
}
