import {
  createMovenetDetector,
  MovenetSessionLoader,
} from '../../apps/server/src/imaging/local/movenet/movenet-session.ts';
import type { CropCaseResult } from './crop.ts';
import { detectorVersusTfjs } from './detector-case.ts';

/**
 * movenet: MoveNet lightning alone per annotated real photo, the product's ONNX graph (with its TS
 * pre-processing and head) against Human's tfjs-wasm model, idle and beside a 12 MP decode loop.
 */
export const movenetCase = (): Promise<CropCaseResult> =>
  detectorVersusTfjs({
    model: 'MoveNet lightning',
    tfjs: { faces: false, objects: false, bodies: true },
    read: (r) => r.body,
    one: createMovenetDetector({ loader: new MovenetSessionLoader(1) }),
    two: createMovenetDetector({ loader: new MovenetSessionLoader(2) }),
    productThreads: 1,
    passes: 3,
  });
