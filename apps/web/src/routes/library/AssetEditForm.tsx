import { Button, Group, Stack, TagsInput, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { Asset } from '../../api/endpoints.ts';
import { notifySuccess } from '../../components/notify.tsx';
import { useUpdateAsset } from '../../hooks/useLibrary.ts';

/** Title and tags of one asset; tags make it findable by search and the tag filter. */
export function AssetEditForm({ asset }: { asset: Asset }) {
  const update = useUpdateAsset();
  const [title, setTitle] = useState(asset.title ?? '');
  const [tags, setTags] = useState(asset.tags);
  const dirty = title !== (asset.title ?? '') || tags.join('\n') !== asset.tags.join('\n');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { id: asset.id, title: title.trim() || null, tags },
      { onSuccess: () => notifySuccess('Saved.') },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <TextInput
          label="Title"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          maxLength={500}
        />
        <TagsInput label="Tags" value={tags} onChange={setTags} placeholder="Type a tag, press Enter" />
        <Group justify="flex-end">
          <Button type="submit" size="xs" disabled={!dirty} loading={update.isPending}>
            Save details
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
