import { ColorSwatch, Group, Text, Tooltip } from '@mantine/core';
import { useAnalysis } from '../../hooks/useUnderstanding.ts';

/** The asset's dominant colours, widest first; "analysing" until the background analysis gets to it. */
export function ColourSwatches({ id }: { id: number }) {
  const analysis = useAnalysis(id);
  const data = analysis.data;
  if (!data || data.status === 'pending') {
    return (
      <Text size="sm" c="dimmed">
        Analysing…
      </Text>
    );
  }
  if (data.status === 'failed' || data.palette.length === 0) return <Text size="sm">—</Text>;
  return (
    <Group gap={6} data-testid="colour-swatches">
      {data.palette.map((c) => (
        <Tooltip key={c.hex} label={`${c.hex} · ${Math.round(c.share * 100)}%`}>
          <ColorSwatch color={c.hex} aria-label={`${c.hex}, ${Math.round(c.share * 100)}%`} size={22} />
        </Tooltip>
      ))}
    </Group>
  );
}
