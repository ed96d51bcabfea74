import { Button, Card, FileButton, Group, Stack, Text } from '@mantine/core';
import { IconLibraryPhoto, IconPhotoUp, IconX } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import type { Asset } from '../../api/endpoints.ts';
import type { ChosenSource } from '../../components/studio/chosenSource.ts';
import { DropZone } from '../../components/studio/DropZone.tsx';
import { LibraryPicker } from '../../components/studio/LibraryPicker.tsx';

/** The image to edit, dropped, chosen from disk or picked from the library; `children` shows it. */
export function EditSource({
  chosen,
  onFile,
  onAsset,
  onClear,
  disabled,
  children,
}: {
  chosen: ChosenSource | null;
  onFile: (file: File) => void;
  onAsset: (asset: Asset) => void;
  onClear: () => void;
  disabled: boolean;
  children: ReactNode;
}) {
  const [picking, setPicking] = useState(false);

  const buttons = (
    <Group gap="xs" justify="center">
      <FileButton onChange={(file) => file && onFile(file)} accept="image/*" disabled={disabled}>
        {(props) => (
          <Button
            {...props}
            size={chosen ? 'compact-sm' : 'sm'}
            leftSection={<IconPhotoUp size={16} />}
            variant={chosen ? 'default' : 'filled'}
          >
            {chosen ? 'Choose another file' : 'Choose a file'}
          </Button>
        )}
      </FileButton>
      <Button
        size={chosen ? 'compact-sm' : 'sm'}
        variant="default"
        leftSection={<IconLibraryPhoto size={16} />}
        onClick={() => setPicking(true)}
        disabled={disabled}
      >
        Pick from library
      </Button>
      {chosen && (
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
      )}
    </Group>
  );

  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs" gap="xs">
        <Text fw={600}>1. Image</Text>
        {chosen && (
          <Text size="sm" data-testid="edit-source-name" truncate style={{ minWidth: 0, flex: 1 }} ta="right">
            {chosen.name}
            {chosen.width && chosen.height ? (
              <Text span c="dimmed">
                {' '}
                · {chosen.width}×{chosen.height}
              </Text>
            ) : null}
          </Text>
        )}
      </Group>
      <DropZone testId="edit-dropzone" onFile={onFile} disabled={disabled} framed={!chosen}>
        {chosen ? (
          <Stack gap="sm">
            {children}
            {buttons}
          </Stack>
        ) : (
          <Stack gap="xs" align="center" py="xl">
            <IconPhotoUp size={36} aria-hidden />
            <Text size="sm" ta="center">
              Drop an image here (JPEG, PNG, WebP, AVIF…)
            </Text>
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
