import type { EditJobInput } from '@studio/contracts';
import type { RawMask } from '../imaging/local/raw-image.ts';
import { encodeMask } from '../imaging/studio-encode.ts';
import type { EditOp, ProviderRequest } from '../providers/types.ts';
import type { StudioIo } from '../studio/studio-io.ts';
import { prepareMask } from './local-edit.ts';

const DEFAULT_STABILITY_GROW = 5;

/**
 * The provider request for a cloud edit. The mask is the normalised one the local path uses too
 * (feathered when asked);
 * Stability grows it itself (`grow_mask`, default 5 as in the original). Relight's prompt is the
 * new background, its images the background and light references.
 */
export async function editRequest(
  io: StudioIo,
  userId: number,
  input: EditJobInput,
  image: { bytes: Buffer; width: number; height: number },
  normalisedMask: RawMask | undefined,
  operation: `edit.${EditOp}`,
  signal: AbortSignal,
): Promise<Omit<ProviderRequest, 'model'>> {
  const size = { width: image.width, height: image.height };
  const mask = normalisedMask
    ? await encodeMask(await prepareMask(normalisedMask, { feather: input.feather }))
    : undefined;
  const ref = async (id: number | undefined) =>
    id === undefined ? undefined : (await io.reload(userId, id)).bytes;
  return {
    operation,
    image: image.bytes,
    mask,
    prompt: input.operation === 'relight' ? undefined : input.prompt,
    backgroundPrompt: input.operation === 'relight' ? input.prompt : undefined,
    referenceImage: input.operation === 'relight' ? await ref(input.backgroundAssetId) : undefined,
    lightReference: input.operation === 'relight' ? await ref(input.lightingAssetId) : undefined,
    lightDirection: input.lightDirection,
    lightStrength: input.lightStrength,
    preserveSubject: input.preserveSubject,
    negativePrompt: input.negativePrompt,
    searchPrompt: input.searchPrompt,
    selectPrompt: input.selectPrompt,
    expand: input.operation === 'outpaint' ? input.expand : undefined,
    stylePreset: input.stylePreset,
    guidance: input.guidance,
    steps: input.steps,
    seed: input.seed,
    growMask:
      input.operation === 'inpaint' || input.operation === 'erase'
        ? (input.growMask ?? DEFAULT_STABILITY_GROW)
        : input.growMask,
    width: input.operation === 'general_edit' ? size.width : undefined,
    height: input.operation === 'general_edit' ? size.height : undefined,
    outputFormat:
      input.outputFormat === 'jpeg' && operation === 'edit.remove_background' ? 'png' : input.outputFormat,
    signal,
  };
}
