import type ort from 'onnxruntime-node';
import type { SessionLoader } from './session-loader.ts';

/** What a caller may choose about one detector: where its log goes, and its session (tests, benches). */
export interface DetectorOptions<L extends SessionLoader = SessionLoader> {
  log?: (message: string) => void;
  loader?: L;
}

export interface LazyDetectorSpec<P, R, L extends SessionLoader> {
  loader: L;
  log?: (message: string) => void;
  /** Logged once when the session cannot load, e.g. "Face detection unavailable, smart crop goes on without faces". */
  unavailable: string;
  /** Logged for an image the session failed on, e.g. "Face detection failed on one image". */
  failed: string;
  run(session: ort.InferenceSession, pixels: P, loader: L): Promise<R[]>;
}

/**
 * One of the subject detectors (blazeface, CenterNet, MoveNet) on its onnxruntime session: the
 * session loads on the first call and stays; a failed load is logged once and every later call
 * finds nothing, so smart crop goes on with the other detectors and saliency. An image the session
 * fails on is logged and finds nothing. Calls run one after another on the caller's thread.
 */
export function lazyDetector<P, R, L extends SessionLoader>(spec: LazyDetectorSpec<P, R, L>) {
  const log = spec.log ?? ((m: string) => console.warn(m));
  let session: Promise<ort.InferenceSession | undefined> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const once = async (pixels: P): Promise<R[]> => {
    session ??= spec.loader.load().catch((e: unknown) => {
      log(`${spec.unavailable}: ${String(e)}`);
      return undefined;
    });
    const loaded = await session;
    if (!loaded) return [];
    try {
      return await spec.run(loaded, pixels, spec.loader);
    } catch (e) {
      log(`${spec.failed}: ${String(e)}`);
      return [];
    }
  };

  return {
    detect(pixels: P): Promise<R[]> {
      const next = queue.then(() => once(pixels));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
