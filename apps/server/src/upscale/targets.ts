import {
  exceedsMaxOutput,
  MAX_OUTPUT_PIXELS,
  type Size,
  type Target,
  type TargetRequest,
  upscaleTargetSize,
} from '@studio/contracts/rules';
import { validationFailed } from '../errors.ts';

export { scaleFactor } from '@studio/contracts/rules';

/** The exact output size (the rule the web shows is the one applied), refused past the server's maximum. */
export function upscaleTarget(src: Size, r: TargetRequest): Target {
  const t = upscaleTargetSize(src, r);
  if (exceedsMaxOutput(t)) {
    throw validationFailed(
      `The output would be ${t.width}×${t.height} px; the most this server makes is ${MAX_OUTPUT_PIXELS.toLocaleString('en')} pixels.`,
    );
  }
  return t;
}
