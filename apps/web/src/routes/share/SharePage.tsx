import {
  Alert,
  Button,
  Card,
  Center,
  Container,
  Group,
  Image,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import type { SharedAsset } from '@studio/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { messageOf } from '../../api/errors.ts';
import { sharing } from '../../api/sharing.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageLoader } from '../../components/PageLoader.tsx';

const grantKey = (token: string) => `share-grant:${token}`;

function PasswordForm({ token, onUnlocked }: { token: string; onUnlocked: (grant: string) => void }) {
  const [password, setPassword] = useState('');
  const unlock = useMutation({
    mutationFn: () => sharing.unlock(token, password),
    meta: { silent: true },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    unlock.mutate(undefined, { onSuccess: (r) => onUnlocked(r.grant) });
  };
  return (
    <Center mih={300}>
      <form onSubmit={submit} style={{ width: 320 }}>
        <Stack>
          <Title order={1} size="h3">
            This link is protected
          </Title>
          <PasswordInput
            label="Password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoFocus
          />
          {unlock.error && <Alert color="red">{messageOf(unlock.error)}</Alert>}
          <Button type="submit" loading={unlock.isPending} disabled={!password}>
            Open
          </Button>
        </Stack>
      </form>
    </Center>
  );
}

/** The public, read-only gallery behind a share link: no account, no navigation into the studio. */
export default function SharePage() {
  const token = useParams().token ?? '';
  const [grant, setGrant] = useState(() => sessionStorage.getItem(grantKey(token)));
  const [open, setOpen] = useState<SharedAsset | null>(null);
  const gallery = useQuery({
    queryKey: ['share', token, grant],
    queryFn: () => sharing.gallery(token, grant),
    retry: false,
    meta: { silent: true },
  });
  if (gallery.isPending) return <PageLoader />;
  if (gallery.error) {
    if (gallery.error instanceof ApiError && gallery.error.code === 'share_password_required') {
      return (
        <PasswordForm
          token={token}
          onUnlocked={(g) => {
            sessionStorage.setItem(grantKey(token), g);
            setGrant(g);
          }}
        />
      );
    }
    return (
      <Center mih={300}>
        <Stack align="center" gap="xs">
          <Title order={1} size="h3">
            This link does not open
          </Title>
          <Text c="dimmed">It may have expired or been revoked.</Text>
        </Stack>
      </Center>
    );
  }
  const data = gallery.data;
  return (
    <Container size="xl" py="lg">
      <Stack>
        <div>
          <Title order={1}>{data.title}</Title>
          <Text c="dimmed" size="sm">
            {data.assets.length} image{data.assets.length === 1 ? '' : 's'} · shared until{' '}
            {formatDateTime(data.expires_at)}
          </Text>
        </div>
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="sm">
          {data.assets.map((a) => (
            <Card key={a.id} withBorder padding={0}>
              <UnstyledButton onClick={() => setOpen(a)} aria-label={`View ${a.title ?? `image ${a.id}`}`}>
                <Image src={a.thumbnail_url} alt={a.title ?? ''} h={180} fit="cover" />
              </UnstyledButton>
              <Group justify="space-between" p="xs" wrap="nowrap">
                <Text size="sm" truncate>
                  {a.title ?? 'Untitled'}
                </Text>
                {a.download_url && (
                  <Button component="a" href={a.download_url} size="compact-xs" variant="light">
                    Download
                  </Button>
                )}
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      </Stack>
      <Modal opened={open !== null} onClose={() => setOpen(null)} size="xl" title={open?.title ?? 'Image'}>
        {open && <Image src={open.image_url} alt={open.title ?? ''} fit="contain" mah="75vh" />}
      </Modal>
    </Container>
  );
}
