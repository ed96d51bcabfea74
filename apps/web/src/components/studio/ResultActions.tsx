import { Button, Group, type MantineSize } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { AssetDrawer } from '../../routes/library/AssetDrawer.tsx';

/**
 * A result's Download and, once it is in the library, Open in library (the asset's details drawer).
 * `name` goes into the buttons' accessible names where a screen shows several results
 * ("Download beach.jpg"); `testId` prefixes `-download`.
 */
export function ResultActions({
  href,
  fileName,
  name,
  assetId,
  testId,
  size = 'sm',
}: {
  href: string;
  /** The saved file's name; the server's Content-Disposition names it when left out. */
  fileName?: string;
  name?: string;
  assetId: number | null;
  testId: string;
  size?: MantineSize | 'compact-sm';
}) {
  const [details, setDetails] = useState<number | null>(null);
  const iconSize = size === 'compact-sm' ? 14 : 16;
  return (
    <Group gap="xs">
      <Button
        component="a"
        href={href}
        download={fileName ?? true}
        size={size}
        aria-label={name ? `Download ${name}` : undefined}
        leftSection={<IconDownload size={iconSize} />}
        data-testid={`${testId}-download`}
      >
        Download
      </Button>
      {assetId !== null && (
        <Button
          variant="light"
          size={size}
          aria-label={name ? `Open ${name} in library` : undefined}
          leftSection={<IconInfoCircle size={iconSize} />}
          onClick={() => setDetails(assetId)}
        >
          Open in library
        </Button>
      )}
      <AssetDrawer id={details} onOpen={setDetails} onClose={() => setDetails(null)} />
    </Group>
  );
}
