import {
  CENTERNET_THREADS,
  centernetSessionLoader,
  createCenternetDetector,
} from '../../apps/server/src/imaging/local/centernet/centernet-session.ts';
import type { CropCaseResult } from './crop.ts';
import { detectorVersusTfjs } from './detector-case.ts';

/**
 * centernet: CenterNet alone per annotated real photo, the product's ONNX graph (on
 * CENTERNET_THREADS intra-op threads, and on the other count) against Human's tfjs-wasm model,
 * idle and beside a 12 MP decode loop.
 */
export const centernetCase = (): Promise<CropCaseResult> =>
  detectorVersusTfjs({
    model: 'CenterNet',
    tfjs: { faces: false, objects: true, bodies: false },
    read: (r) => r.object,
    one: createCenternetDetector({ loader: centernetSessionLoader(1) }),
    two: createCenternetDetector({ loader: centernetSessionLoader(2) }),
    productThreads: CENTERNET_THREADS,
    passes: 1,
  });
