import { Box } from '@mantine/core';
import { assetUrls } from '../../api/endpoints.ts';
import type { StudioJobResult } from '../../api/studio.ts';
import { StudioResult } from '../../components/studio/StudioResult.tsx';
import { useAsset } from '../../hooks/useLibrary.ts';
import { placeOriginal } from './compareFrame.ts';
import classes from './EditStage.module.css';
import { useFramedOriginal } from './useFramedOriginal.ts';

/**
 * A finished edit in the shared result panel: before/after with a divider, or for a cut-out the result
 * alone on a checkerboard (over the original its transparent areas would show the original through).
 * An outpaint's original is placed where it lies in the larger result, so both sides show the same pixels.
 */
export function EditResult({ result, label }: { result: StudioJobResult; label: string }) {
  const op = result.operation.replace(/^edit\./, '');
  const cutout = op === 'remove_background';
  const output = useAsset(op === 'outpaint' ? result.asset_id : null).data;
  const input = useAsset(op === 'outpaint' ? result.input_asset_id : null).data;
  const place = output && input ? placeOriginal(input, result, output.params.expand) : null;
  const original = assetUrls.file(result.input_asset_id);
  const framed = useFramedOriginal(original, result, place);
  return (
    <div data-framed={framed ? 'true' : undefined}>
      <StudioResult
        result={result}
        testId="edit"
        afterLabel="edited"
        title={label}
        before={framed ?? original}
        preview={
          cutout ? (
            <Box
              className={classes.frame}
              style={{
                aspectRatio: `${result.width} / ${result.height}`,
                maxWidth: `calc(65vh * ${result.width / result.height})`,
                outline: 'none',
              }}
            >
              <img
                className={classes.image}
                src={assetUrls.file(result.asset_id)}
                alt={`Result: ${label}`}
                draggable={false}
              />
            </Box>
          ) : undefined
        }
      />
    </div>
  );
}
