/** The offline parts the health report checks by their files. */
export type LocalModel = 'isnet' | 'esrgan' | 'detector' | 'ocr' | 'layout_fonts';

/**
 * The offline models each module relies on for one of its ways of working: without one the module
 * is `degraded` (the server) and its card says which file is missing (the web).
 */
export const MODULE_LOCAL_MODELS: Record<string, readonly LocalModel[]> = {
  create_studio: ['layout_fonts'],
  edit_studio: ['isnet'],
  upscale_studio: ['esrgan'],
  social_optimizer: ['detector'],
  library: ['detector', 'ocr'],
};
