import type { ProviderInfoT, ProviderModelT } from '../../api/providers.ts';
import type { CreateInput } from '../../api/studio.ts';
import type { ChosenSource } from '../../components/studio/chosenSource.ts';

type Choice = NonNullable<CreateInput['provider']>;
type Listed = Pick<ProviderInfoT, 'id' | 'available'> & {
  models: Pick<ProviderModelT, 'id' | 'operations' | 'supports'>[];
};

const referenceModels = (p: Listed) =>
  p.models.filter((m) => m.operations.includes('create') && m.supports.imageToImage === true);

/**
 * Whether the chosen provider/model can create from a reference image (image-to-image). `auto` can when
 * any usable provider can: the server then picks only among models that take one.
 */
export function takesReference(providers: Listed[], provider: Choice, model: string | null): boolean {
  if (provider === 'auto') return providers.some((p) => p.available && referenceModels(p).length > 0);
  const chosen = providers.find((p) => p.id === provider);
  if (!chosen) return false;
  const models = referenceModels(chosen);
  return model ? models.some((m) => m.id === model) : models.length > 0;
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the reference image.'));
    reader.readAsDataURL(blob);
  });
}

/** The request's reference fields: a library asset by id, a file from the device as a data URL. */
export async function referenceFields(
  chosen: ChosenSource | null,
  strength: number,
): Promise<Pick<CreateInput, 'reference_asset_id' | 'reference_image_base64' | 'strength'>> {
  if (!chosen) return {};
  return chosen.source.kind === 'asset'
    ? { reference_asset_id: chosen.source.assetId, strength }
    : { reference_image_base64: await dataUrl(chosen.source.file), strength };
}
