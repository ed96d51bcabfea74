import { Button, CloseButton, FileButton, Group, Input, Text } from '@mantine/core';
import { IconPhotoUp } from '@tabler/icons-react';
import { useId } from 'react';

/** An extra input image (a background), chosen from the device; shows its name and can be removed. */
export function ImageField({
  label,
  description,
  value,
  onChange,
}: {
  label: string;
  description: string;
  value: File | null;
  onChange: (file: File | null) => void;
}) {
  const id = useId();
  return (
    <Input.Wrapper label={label} description={description} id={id}>
      <Group gap="xs" mt={4} wrap="nowrap">
        <FileButton onChange={onChange} accept="image/*">
          {(props) => (
            <Button
              {...props}
              id={id}
              size="compact-sm"
              variant="default"
              leftSection={<IconPhotoUp size={14} />}
            >
              {value ? 'Choose another' : 'Choose an image'}
            </Button>
          )}
        </FileButton>
        {value && (
          <>
            <Text size="sm" truncate style={{ minWidth: 0 }} data-testid="edit-background-name">
              {value.name}
            </Text>
            <CloseButton
              size="sm"
              aria-label={`Remove ${label.toLowerCase()}`}
              onClick={() => onChange(null)}
            />
          </>
        )}
      </Group>
    </Input.Wrapper>
  );
}
