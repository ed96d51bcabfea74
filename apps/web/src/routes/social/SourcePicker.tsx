import { Button, Text } from '@mantine/core';
import { IconFocusCentered } from '@tabler/icons-react';
import type { Asset } from '../../api/endpoints.ts';
import type { ChosenSource } from '../../components/studio/chosenSource.ts';
import { SourceCard } from '../../components/studio/SourceCard.tsx';
import { type FocalPoint, FocalPointImage } from './FocalPointImage.tsx';

/** The source image in the shared source card, drawn with its focal point to click. */
export function SourcePicker({
  chosen,
  onFile,
  onAsset,
  onClear,
  onSize,
  focal,
  onFocal,
}: {
  chosen: ChosenSource | null;
  onFile: (file: File) => void;
  onAsset: (asset: Asset) => void;
  onClear: () => void;
  onSize: (size: { width: number; height: number }) => void;
  focal: FocalPoint | null;
  onFocal: (point: FocalPoint | null) => void;
}) {
  return (
    <SourceCard
      title="1. Source image"
      testId="social"
      chosen={chosen}
      onFile={onFile}
      onAsset={onAsset}
      onClear={onClear}
      onSize={onSize}
      disabled={false}
      preview={(image) => <FocalPointImage {...image} focal={focal} onFocal={onFocal} />}
      actions={
        focal ? (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconFocusCentered size={14} />}
            onClick={() => onFocal(null)}
          >
            Clear focal point
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            Click the image to choose what every crop keeps in frame.
          </Text>
        )
      }
    />
  );
}
