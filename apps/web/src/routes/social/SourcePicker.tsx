import { Button, Card, FileButton, Group, Stack, Text } from '@mantine/core';
import { IconFocusCentered, IconLibraryPhoto, IconPhotoUp, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { Asset } from '../../api/endpoints.ts';
import type { ChosenSource } from '../../components/studio/chosenSource.ts';
import { DropZone } from '../../components/studio/DropZone.tsx';
import { LibraryPicker } from '../../components/studio/LibraryPicker.tsx';
import { type FocalPoint, FocalPointImage } from './FocalPointImage.tsx';

/** The source image: dropped or chosen from disk, or picked from the library; with its focal point. */
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
  const [picking, setPicking] = useState(false);
  const [unreadable, setUnreadable] = useState<string | null>(null);

  const buttons = (
    <Group gap="xs" justify="center">
      <FileButton onChange={(file) => file && onFile(file)} accept="image/*">
        {(props) => (
          <Button {...props} leftSection={<IconPhotoUp size={16} />} variant={chosen ? 'default' : 'filled'}>
            {chosen ? 'Choose another file' : 'Choose a file'}
          </Button>
        )}
      </FileButton>
      <Button variant="default" leftSection={<IconLibraryPhoto size={16} />} onClick={() => setPicking(true)}>
        Pick from library
      </Button>
    </Group>
  );

  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        1. Source image
      </Text>
      <DropZone testId="source-dropzone" onFile={onFile}>
        {chosen ? (
          <Stack gap="xs" align="center">
            {unreadable === chosen.url ? (
              <Text size="sm" c="dimmed" py="lg">
                Your browser cannot preview this file; the server checks it when you optimize.
              </Text>
            ) : (
              <FocalPointImage
                src={chosen.url}
                alt={`Source: ${chosen.name}`}
                focal={focal}
                onFocal={onFocal}
                onLoad={onSize}
                onError={() => setUnreadable(chosen.url)}
              />
            )}
            <Text size="sm" data-testid="source-name">
              {chosen.name}
              {chosen.width && chosen.height ? (
                <Text span c="dimmed">
                  {' '}
                  · {chosen.width}×{chosen.height}
                </Text>
              ) : null}
            </Text>
            <Group gap="xs" justify="center">
              {unreadable === chosen.url ? null : focal ? (
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
              )}
              <Button
                size="compact-sm"
                variant="subtle"
                color="gray"
                leftSection={<IconX size={14} />}
                onClick={onClear}
              >
                Remove
              </Button>
            </Group>
            {buttons}
          </Stack>
        ) : (
          <Stack gap="xs" align="center" py="lg">
            <IconPhotoUp size={36} aria-hidden />
            <Text size="sm">Drop an image here (JPEG, PNG, WebP, AVIF…)</Text>
            {buttons}
          </Stack>
        )}
      </DropZone>
      <LibraryPicker
        opened={picking}
        onClose={() => setPicking(false)}
        onPick={(asset) => {
          setPicking(false);
          onAsset(asset);
        }}
      />
    </Card>
  );
}
