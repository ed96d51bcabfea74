import { Badge, Button, Table, Text } from '@mantine/core';
import type { Collection } from '@studio/contracts';
import { formatDateTime } from '../../components/format.ts';
import { notifyError } from '../../components/notify.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useRevokeShareLink, useShareLinks } from '../../hooks/useSharing.ts';

const STATUS_COLOR = { active: 'teal', expired: 'gray', revoked: 'red' } as const;

/** The owner's share links: what each opens, until when, and a revoke that takes effect at once. */
export function ShareLinksPanel({ collections }: { collections: Collection[] }) {
  const links = useShareLinks();
  const revoke = useRevokeShareLink();
  if (links.isPending) return <PageLoader />;
  const rows = links.data?.links ?? [];
  if (rows.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No share links yet. Use “Share” on a collection or in an asset’s details.
      </Text>
    );
  }
  const nameOf = (id: number | null) => collections.find((c) => c.id === id)?.name ?? `#${id}`;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label="Share links">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Shares</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Options</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((link) => (
            <Table.Tr key={link.id} data-testid={`share-link-${link.id}`}>
              <Table.Td>
                {link.kind === 'collection'
                  ? `Collection ${nameOf(link.collection_id)}`
                  : `Asset #${link.asset_id}`}
              </Table.Td>
              <Table.Td>{formatDateTime(link.expires_at)}</Table.Td>
              <Table.Td>
                {[link.has_password ? 'password' : null, link.allow_download ? 'downloads' : null]
                  .filter(Boolean)
                  .join(', ') || '—'}
              </Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[link.status]} variant="light">
                  {link.status}
                </Badge>
              </Table.Td>
              <Table.Td>
                {link.status === 'active' && (
                  <Button
                    size="compact-sm"
                    variant="light"
                    color="red"
                    loading={revoke.isPending && revoke.variables === link.id}
                    onClick={() => revoke.mutate(link.id, { onError: (e) => notifyError(e) })}
                  >
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
