import { Alert, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { assetUrls } from '../../api/endpoints.ts';
import type { StudioJobResult } from '../../api/studio.ts';
import { CompareSlider } from './CompareSlider.tsx';
import { ResultActions } from './ResultActions.tsx';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
};

/** The file extension a result's MIME type saves as ("img" when unknown). */
export const extensionOf = (mime: string): string => EXTENSIONS[mime] ?? 'img';

/**
 * What a result panel shows of a saved image: a studio job's result, or one of Create's variations
 * (no input to compare with, no MIME type in the answer).
 */
export type ShownResult = Pick<
  StudioJobResult,
  'asset_id' | 'width' | 'height' | 'provider' | 'model' | 'cost_credits' | 'notices'
> & { input_asset_id?: number; mime?: string };

/**
 * A finished studio job saved as an asset: before/after against its input, the pixel size and
 * format, badges (what ran, who ran it, what it cost, plus the screen's own), download and the
 * asset's library details, and what the run left out of the request (its notices, e.g. a prompt a
 * local fill did not use). `testId` prefixes `-result`, `-output-size`, `-model`, `-download` and
 * `-notice`.
 */
export function StudioResult({
  result,
  testId,
  afterLabel,
  title,
  name,
  before = result.input_asset_id === undefined ? undefined : assetUrls.file(result.input_asset_id),
  preview,
  sizeNote,
  badges,
  children,
}: {
  result: ShownResult;
  testId: string;
  /** What the result is, for the after image's alt text ("upscaled", "generated"). */
  afterLabel: string;
  /** What ran, said before the output size. */
  title?: ReactNode;
  /** What the result is called in its buttons' accessible names ("Download variation 2"). */
  name?: string;
  /** The before image, when it is not the input as stored (an outpaint's original placed in its frame). */
  before?: string;
  /** Shown instead of the before/after, where comparing would mislead (a cut-out over its original). */
  preview?: ReactNode;
  /** Said beside the output size, e.g. the input's size ("from 200×150"). */
  sizeNote?: ReactNode;
  badges?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Card withBorder data-testid={`${testId}-result`}>
      <Stack gap="sm">
        {result.notices?.map((notice) => (
          <Alert
            key={notice.code}
            color="yellow"
            icon={<IconAlertTriangle size={18} />}
            data-testid={`${testId}-notice`}
            data-code={notice.code}
          >
            {notice.message}
          </Alert>
        ))}
        {preview ??
          (before && (
            <CompareSlider
              key={before}
              before={before}
              after={assetUrls.file(result.asset_id)}
              width={result.width}
              height={result.height}
              afterLabel={afterLabel}
            />
          ))}
        <Group justify="space-between" align="flex-start" gap="xs">
          <div>
            <Group gap={6} align="baseline">
              {title && <Text fw={600}>{title}</Text>}
              <Text fw={600} data-testid={`${testId}-output-size`}>
                {result.width}×{result.height}
                {result.mime ? ` · ${extensionOf(result.mime).toUpperCase()}` : ''}
              </Text>
              {sizeNote && (
                <Text span c="dimmed" size="sm">
                  {sizeNote}
                </Text>
              )}
            </Group>
            <Group gap={6} mt={4}>
              {badges}
              <Badge variant="light" color="gray" data-testid={`${testId}-model`}>
                {result.provider}
                {result.model ? ` · ${result.model}` : ''}
              </Badge>
              <Badge variant="light" color={result.cost_credits === 0 ? 'teal' : 'yellow'}>
                {result.cost_credits === 0 ? 'Free' : `${result.cost_credits} credits`}
              </Badge>
            </Group>
          </div>
          <ResultActions
            href={assetUrls.file(result.asset_id, true)}
            name={name}
            assetId={result.asset_id}
            testId={testId}
          />
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
