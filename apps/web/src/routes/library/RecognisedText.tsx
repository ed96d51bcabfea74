import { Text } from '@mantine/core';
import { useAnalysis } from '../../hooks/useUnderstanding.ts';

/** Text read in the image (OCR), line by line as found; what a search for its words matches. */
export function RecognisedText({ id }: { id: number }) {
  const analysis = useAnalysis(id);
  const data = analysis.data;
  if (!data || (data.status === 'pending' && data.text === null)) {
    return (
      <Text size="sm" c="dimmed">
        Analysing…
      </Text>
    );
  }
  if (!data.text) return <Text size="sm">—</Text>;
  return (
    <Text size="sm" data-testid="recognised-text" style={{ whiteSpace: 'pre-line' }}>
      {data.text}
    </Text>
  );
}
