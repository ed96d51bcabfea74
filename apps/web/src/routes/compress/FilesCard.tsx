import {
  ActionIcon,
  Button,
  Card,
  FileButton,
  Group,
  Image,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconLibraryPhoto, IconPhotoUp, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { Asset } from '../../api/endpoints.ts';
import type { ChosenSource } from '../../components/studio/chosenSource.ts';
import { DropZone } from '../../components/studio/DropZone.tsx';
import { LibraryPicker } from '../../components/studio/LibraryPicker.tsx';

export interface FileItem {
  key: string;
  chosen: ChosenSource;
}

/** The files to compress: dropped, chosen from disk (several at once) or picked from the library. */
export function FilesCard({
  items,
  selected,
  onSelect,
  onFiles,
  onAsset,
  onRemove,
  max,
  disabled,
}: {
  items: FileItem[];
  selected: string | null;
  onSelect: (key: string) => void;
  onFiles: (files: File[]) => void;
  onAsset: (asset: Asset) => void;
  onRemove: (key: string) => void;
  max: number;
  disabled: boolean;
}) {
  const [picking, setPicking] = useState(false);
  const full = items.length >= max;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        1. Images{' '}
        <Text span c="dimmed" size="sm">
          {items.length} of up to {max}
        </Text>
      </Text>
      <DropZone
        testId="compress-dropzone"
        onFile={(file) => onFiles([file])}
        disabled={disabled || full}
        multiple
      >
        <Stack gap="xs" align="center">
          {items.length === 0 && (
            <>
              <IconPhotoUp size={36} aria-hidden />
              <Text size="sm">Drop images here (JPEG, PNG, WebP, AVIF, GIF, TIFF…)</Text>
            </>
          )}
          {items.map((item) => (
            <Group
              key={item.key}
              w="100%"
              justify="space-between"
              wrap="nowrap"
              data-testid="compress-file"
              bg={item.key === selected ? 'var(--mantine-primary-color-light)' : undefined}
              style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              px={4}
            >
              <UnstyledButton onClick={() => onSelect(item.key)} style={{ minWidth: 0, flex: 1 }}>
                <Group gap="xs" wrap="nowrap">
                  <Image src={item.chosen.url} alt="" w={40} h={40} fit="cover" radius="sm" />
                  <Text size="sm" truncate>
                    {item.chosen.name}
                    {item.chosen.width && item.chosen.height ? (
                      <Text span c="dimmed">
                        {' '}
                        · {item.chosen.width}×{item.chosen.height}
                      </Text>
                    ) : null}
                  </Text>
                </Group>
              </UnstyledButton>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={`Remove ${item.chosen.name}`}
                onClick={() => onRemove(item.key)}
                disabled={disabled}
              >
                <IconX size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Group gap="xs" justify="center">
            <FileButton onChange={onFiles} accept="image/*" multiple disabled={disabled || full}>
              {(props) => (
                <Button
                  {...props}
                  leftSection={<IconPhotoUp size={16} />}
                  variant={items.length ? 'default' : 'filled'}
                >
                  {items.length ? 'Add files' : 'Choose files'}
                </Button>
              )}
            </FileButton>
            <Button
              variant="default"
              leftSection={<IconLibraryPhoto size={16} />}
              onClick={() => setPicking(true)}
              disabled={disabled || full}
            >
              Pick from library
            </Button>
          </Group>
        </Stack>
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
