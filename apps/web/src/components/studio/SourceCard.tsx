import { Button, Card, FileButton, Group, Image, Stack, Text } from '@mantine/core';
import { IconLibraryPhoto, IconPhotoUp, IconX } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { Asset } from '../../api/endpoints.ts';
import type { ChosenSource } from './chosenSource.ts';
import { DropZone } from './DropZone.tsx';
import { LibraryPicker } from './LibraryPicker.tsx';

/** What a screen's own `preview` draws the chosen image with. */
export interface SourceImage {
  src: string;
  alt: string;
  onLoad: (size: { width: number; height: number }) => void;
  onError: () => void;
}

/**
 * An input image of a studio screen: dropped or chosen from disk, or picked from the library; shown
 * with its pixel size. `testId` prefixes the drop zone (`<id>-dropzone`) and the name line
 * (`<id>-source-name`), so two cards on one screen stay apart. A screen can draw the image itself
 * (`preview`, e.g. with a focal point to click) and add `actions` beside Remove while it is readable.
 */
export function SourceCard({
  title,
  testId,
  chosen,
  onFile,
  onAsset,
  onClear,
  onSize,
  disabled,
  hint = 'Drop an image here (JPEG, PNG, WebP, AVIF…)',
  preview,
  actions,
}: {
  title: string;
  testId: string;
  chosen: ChosenSource | null;
  onFile: (file: File) => void;
  onAsset: (asset: Asset) => void;
  onClear: () => void;
  onSize: (size: { width: number; height: number }) => void;
  disabled: boolean;
  hint?: string;
  preview?: (image: SourceImage) => ReactNode;
  actions?: ReactNode;
}) {
  const [picking, setPicking] = useState(false);
  const [unreadable, setUnreadable] = useState<string | null>(null);

  const buttons = (
    <Group gap="xs" justify="center">
      <FileButton onChange={(file) => file && onFile(file)} accept="image/*" disabled={disabled}>
        {(props) => (
          <Button
            {...props}
            leftSection={<IconPhotoUp size={16} />}
            variant={chosen ? 'default' : 'filled'}
            aria-label={`${chosen ? 'Choose another file' : 'Choose a file'} for ${title}`}
          >
            {chosen ? 'Choose another file' : 'Choose a file'}
          </Button>
        )}
      </FileButton>
      <Button
        variant="default"
        leftSection={<IconLibraryPhoto size={16} />}
        onClick={() => setPicking(true)}
        disabled={disabled}
        aria-label={`Pick from library for ${title}`}
      >
        Pick from library
      </Button>
    </Group>
  );

  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <DropZone testId={`${testId}-dropzone`} onFile={onFile} disabled={disabled}>
        {chosen ? (
          <Stack gap="xs" align="center">
            {unreadable === chosen.url ? (
              <Text size="sm" c="dimmed" py="lg">
                Your browser cannot preview this file; the server checks it when you run.
              </Text>
            ) : preview ? (
              preview({
                src: chosen.url,
                alt: `${title}: ${chosen.name}`,
                onLoad: onSize,
                onError: () => setUnreadable(chosen.url),
              })
            ) : (
              <Image
                src={chosen.url}
                alt={`${title}: ${chosen.name}`}
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
            <Text size="sm" data-testid={`${testId}-source-name`}>
              {chosen.name}
              {chosen.width && chosen.height ? (
                <Text span c="dimmed">
                  {' '}
                  · {chosen.width}×{chosen.height}
                </Text>
              ) : null}
            </Text>
            <Group gap="xs" justify="center">
              {unreadable === chosen.url ? null : actions}
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
            </Group>
            {buttons}
          </Stack>
        ) : (
          <Stack gap="xs" align="center" py="lg">
            <IconPhotoUp size={36} aria-hidden />
            <Text size="sm">{hint}</Text>
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
