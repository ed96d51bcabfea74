/**
 * Convs of the esrgan-thick 4× graph left in float32 by its int8 form: the head (the input conv)
 * and the tail (the conv after the residual blocks, the one before the pixel shuffle and the output
 * conv), ≈ 1% of the network's multiply-adds. Found by `bench/local-models/esrgan-sensitivity.ts`:
 * keeping one group of convs float at a time, on real photo crops shrunk 4× and restored, the tail
 * alone brought the portrait crop's gain over Lanczos from +1.72 to +1.86 dB and the head from there
 * to +1.87 (float32 +1.87; on a smooth blurred background +0.50 → +0.74, float32 +0.88); any one of
 * the ten residual blocks (≈ 10% of the work each) nothing measurable.
 * The head's rounding matters because its output runs along the residual trunk, scaled by 1.2 in
 * each of the ten blocks. (source: measured on @upscalerjs/esrgan-thick weights; verified 2026-12-03)
 */
export const ESRGAN_FLOAT_CONVS: ReadonlySet<string> = new Set([
  'Pre_blocks_conv',
  'post_blocks_conv',
  'PreShuffle',
  'SR',
]);
