import { Group, Pill, Text, Tooltip } from '@mantine/core';
import { useAnalysis, useRemoveAutoTag } from '../../hooks/useUnderstanding.ts';

/**
 * Objects and people the analysis found, apart from the user's own tags: each a chip with the
 * detector's confidence, removable (for good: a later analysis does not bring it back).
 */
export function AutoTags({ id }: { id: number }) {
  const analysis = useAnalysis(id);
  const remove = useRemoveAutoTag(id);
  const data = analysis.data;
  if (!data || (data.status === 'pending' && data.auto_tags.length === 0)) {
    return (
      <Text size="sm" c="dimmed">
        Analysing…
      </Text>
    );
  }
  if (data.auto_tags.length === 0) return <Text size="sm">—</Text>;
  return (
    <Group gap={4} data-testid="auto-tags">
      {data.auto_tags.map((tag) => (
        <Tooltip key={tag.label} label={`Found by ${tag.source}, ${Math.round(tag.score * 100)}% sure`}>
          <Pill
            withRemoveButton
            data-testid={`auto-tag-${tag.label}`}
            // Mantine hides a pill's remove button from keyboards and screen readers: here it is the action.
            removeButtonProps={{
              'aria-hidden': false,
              tabIndex: 0,
              'aria-label': `Remove automatic tag ${tag.label}`,
              disabled: remove.isPending,
            }}
            onRemove={() => remove.mutate(tag.label)}
          >
            {tag.label} · {Math.round(tag.score * 100)}%
          </Pill>
        </Tooltip>
      ))}
    </Group>
  );
}
