import { Alert, Anchor, Badge, Card, Group, Radio, Slider, Stack, Text, Textarea } from '@mantine/core';
import { Link } from 'react-router';
import type { UpscaleMode } from '../../api/upscale.ts';
import { MODES, type Plan } from './upscaleOptions.ts';

export interface ModeState {
  mode: UpscaleMode;
  prompt: string;
  creativity: number;
}

/** How to upscale: each mode with an honest line on what it does and whether it needs a Stability key. */
export function ModeCard({
  value,
  onChange,
  hasStability,
  plan,
}: {
  value: ModeState;
  onChange: (next: ModeState) => void;
  /** A usable Stability key (creative needs one; conservative and auto use it when present). */
  hasStability: boolean;
  plan: Plan;
}) {
  return (
    <Card withBorder>
      <Radio.Group
        label={
          <Text fw={600} span>
            3. Mode
          </Text>
        }
        value={value.mode}
        onChange={(v) => onChange({ ...value, mode: v as UpscaleMode })}
      >
        <Stack gap="xs" mt="xs">
          {MODES.map((m) => (
            <Radio.Card key={m.value} value={m.value} p="sm" radius="md" data-testid={`mode-${m.value}`}>
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator mt={2} />
                <div>
                  <Group gap={6}>
                    <Text fw={600} size="sm">
                      {m.label}
                    </Text>
                    {m.needsStability && !hasStability && (
                      <Badge size="xs" color="orange" variant="light">
                        Needs a Stability key
                      </Badge>
                    )}
                    {m.value === 'auto' && (
                      <Badge size="xs" variant="light">
                        Default
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {m.description}
                  </Text>
                </div>
              </Group>
            </Radio.Card>
          ))}
        </Stack>
      </Radio.Group>
      <Text size="sm" mt="sm" data-testid="upscale-plan">
        Runs: {plan.summary}.
      </Text>
      {value.mode === 'creative' && !hasStability && (
        <Alert color="orange" mt="sm" p="xs">
          Creative upscaling needs a Stability key.{' '}
          <Anchor component={Link} to="/settings" size="sm">
            Add one in Settings → Provider keys
          </Anchor>
          .
        </Alert>
      )}
      {value.mode === 'creative' && (
        <Stack gap="xs" mt="sm">
          <Textarea
            label="Prompt"
            description="Optional: what the image shows, to guide the invented detail."
            placeholder="E.g., weathered brick wall, morning light"
            autosize
            minRows={2}
            value={value.prompt}
            onChange={(e) => onChange({ ...value, prompt: e.currentTarget.value })}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="creativity-label">
              Creativity: {value.creativity.toFixed(2)}
            </Text>
            <Slider
              aria-labelledby="creativity-label"
              min={0.1}
              max={0.5}
              step={0.05}
              value={value.creativity}
              onChange={(v) => onChange({ ...value, creativity: v })}
            />
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                Faithful
              </Text>
              <Text size="xs" c="dimmed">
                Inventive
              </Text>
            </Group>
          </Stack>
        </Stack>
      )}
    </Card>
  );
}
