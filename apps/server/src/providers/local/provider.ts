import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import { encodePngAs } from '../../imaging/encode-png.ts';
import { providerError } from '../errors.ts';
import { finishResult, outputSize, requireModel } from '../shared.ts';
import type { ImageProvider, ProviderRequest, ProviderResult } from '../types.ts';
import { localCatalogue } from './catalog.ts';
import { familyOrFallback, fontsFor, loadFonts } from './fonts.ts';
import { buildLayout, resolveStyle } from './layout.ts';

type SatoriElement = Parameters<typeof satori>[0];

/** Renders the layout for `create`: satori lays out the text with real fonts, resvg rasterizes it. */
export async function renderLayout(req: ProviderRequest, width: number, height: number): Promise<Buffer> {
  const fonts = loadFonts();
  const family = familyOrFallback(fonts, resolveStyle(req.stylePreset).font);
  const { tree } = buildLayout(
    {
      width,
      height,
      prompt: req.prompt ?? '',
      headline: req.headline,
      stylePreset: req.stylePreset,
      brandColors: req.brandColors,
      seed: req.seed,
    },
    family,
  );
  // satori takes a React-like node; ours has the same {type, props} shape without depending on React.
  const svg = await satori(tree as unknown as SatoriElement, {
    width,
    height,
    fonts: fontsFor(fonts, family),
  });
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
  return encodePngAs(png, req.outputFormat);
}

/**
 * The always-available `local` provider. It needs no key and no network; its `create` output is a
 * typeset layout (labelled `kind: 'layout'`), never presented as an AI image.
 */
export function createLocalProvider(): ImageProvider {
  return {
    id: 'local',
    catalogue: localCatalogue,
    async run(req): Promise<ProviderResult> {
      const spec = requireModel('local', localCatalogue.models, req);
      if (!req.prompt?.trim() && !req.headline?.trim()) {
        throw providerError('provider_rejected', 'local', { providerMessage: 'prompt: is required' });
      }
      const size = outputSize(spec, req);
      const image = await renderLayout(req, size.width, size.height);
      return finishResult('local', req.operation, spec.id, image, { seed: req.seed, kind: 'layout' });
    },
  };
}
