import { Button, Card, FileButton, Group, Image, Stack, Text } from '@mantine/core';
import { IconLibraryPhoto, IconPhotoUp, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { Asset } from '../../api/endpoints.ts';
import type { ChosenSource } from '../../components/studio/chosenSource.ts';
import { DropZone } from '../../components/studio/DropZone.tsx';
import { LibraryPicker } from '../../components/studio/LibraryPicker.tsx';

/** The image to upscale: dropped or chosen from disk, or picked from the library; shown with its size. */
export function SourceCard({
  chosen,
  onFile,
  onAsset,
  onClear,
  onSize,
  disabled,
}: {
  chosen: ChosenSource | null;
  onFile: (file: File) => void;
  onAsset: (asset: Asset) => void;
  onClear: () => void;
  onSize: (size: { width: number; height: number }) => void;
  disabled: boolean;
}) {
  const [picking, setPicking] = useState(false);
  const [unreadable, setUnreadable] = useState<string | null>(null);

  const buttons = (
    <Group gap="xs" justify="center">
      <FileButton onChange={(file) => file && onFile(file)} accept="image/*" disabled={disabled}>
        {(props) => (
          <Button {...props} leftSection={<IconPhotoUp size={16} />} variant={chosen ? 'default' : 'filled'}>
            {chosen ? 'Choose another file' : 'Choose a file'}
          </Button>
        )}
      </FileButton>
      <Button
        variant="default"
        leftSection={<IconLibraryPhoto size={16} />}
        onClick={() => setPicking(true)}
        disabled={disabled}
      >
        Pick from library
      </Button>
    </Group>
  );

  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        1. Image
      </Text>
      <DropZone testId="upscale-dropzone" onFile={onFile} disabled={disabled}>
        {chosen ? (
          <Stack gap="xs" align="center">
            {unreadable === chosen.url ? (
              <Text size="sm" c="dimmed" py="lg">
                Your browser cannot preview this file; the server checks it when you upscale.
              </Text>
            ) : (
              <Image
                src={chosen.url}
                alt={`Source: ${chosen.name}`}
                mah={220}
                w="auto"
                fit="contain"
                radius="sm"
                onLoad={(e) =>
                  onSize({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })
                }
                onError={() => setUnreadable(chosen.url)}
              />
            )}
            <Text size="sm" data-testid="upscale-source-name">
              {chosen.name}
              {chosen.width && chosen.height ? (
                <Text span c="dimmed">
                  {' '}
                  · {chosen.width}×{chosen.height}
                </Text>
              ) : null}
            </Text>
            <Button
              size="compact-sm"
              variant="subtle"
              color="gray"
              leftSection={<IconX size={14} />}
              onClick={onClear}
              disabled={disabled}
            >
              Remove
            </Button>
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
