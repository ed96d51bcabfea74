import { Select, TextInput } from '@mantine/core';
import type { EditOperation } from '../../api/edit.ts';
import { STYLES } from '../create/createOptions.ts';
import type { FieldState } from './editFields.ts';
import { GUIDES } from './editOptions.ts';

/** What only a cloud run takes: a negative prompt and, for inpaint and outpaint, a style preset. */
export function CloudFields({
  op,
  value,
  onChange,
}: {
  op: EditOperation;
  value: FieldState;
  onChange: (next: FieldState) => void;
}) {
  const guide = GUIDES[op];
  return (
    <>
      {guide.negativePrompt && (
        <TextInput
          label="Negative prompt (optional)"
          description="What the result should not show."
          placeholder="blurry, text, watermark"
          maxLength={2000}
          value={value.negativePrompt}
          onChange={(e) => onChange({ ...value, negativePrompt: e.currentTarget.value })}
        />
      )}
      {guide.stylePreset && (
        <Select
          label="Style (optional)"
          placeholder="No style preset"
          clearable
          data={STYLES.map((s) => ({ value: s.value, label: s.label }))}
          value={value.stylePreset}
          onChange={(v) => onChange({ ...value, stylePreset: v })}
        />
      )}
    </>
  );
}
