import {
  blazefaceSessionLoader,
  createBlazefaceDetector,
} from '../../apps/server/src/imaging/local/blazeface/blazeface-session.ts';
import type { CropCaseResult } from './crop.ts';
import { detectorVersusTfjs } from './detector-case.ts';

/**
 * blazeface: blazeface alone per annotated real photo, the product's ONNX graph (with its TS
 * decode and NMS) against Human's tfjs-wasm model, idle and beside a 12 MP decode loop.
 */
export const blazefaceCase = (): Promise<CropCaseResult> =>
  detectorVersusTfjs({
    model: 'Blazeface',
    tfjs: { faces: true, objects: false, bodies: false },
    read: (r) => r.face,
    one: createBlazefaceDetector({ loader: blazefaceSessionLoader(1) }),
    two: createBlazefaceDetector({ loader: blazefaceSessionLoader(2) }),
    productThreads: 1,
    passes: 3,
  });
