import {
  ActionIcon,
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Stack,
  Switch,
  Tooltip,
} from '@mantine/core';
import type { ShareLinkCreated } from '@studio/contracts';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { ShareTarget } from '../../api/sharing.ts';
import { notifyError } from '../../components/notify.tsx';
import { useCreateShareLink } from '../../hooks/useSharing.ts';

/** Makes a share link for one asset or collection; the link is shown once (only its hash is kept). */
export function ShareDialog({
  target,
  name,
  onClose,
}: {
  target: ShareTarget | null;
  name: string;
  onClose: () => void;
}) {
  const create = useCreateShareLink();
  const [days, setDays] = useState<number>(30);
  const [password, setPassword] = useState('');
  const [downloads, setDownloads] = useState(false);
  const [created, setCreated] = useState<ShareLinkCreated | null>(null);
  const close = () => {
    setCreated(null);
    setPassword('');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    create.mutate(
      {
        target,
        options: { expires_in_days: days, password: password || undefined, allow_download: downloads },
      },
      { onSuccess: setCreated, onError: (e) => notifyError(e, undefined, 'The link was not made') },
    );
  };
  const url = created ? `${window.location.origin}${created.url}` : '';
  return (
    <Modal opened={target !== null} onClose={close} title={`Share “${name}”`}>
      {created ? (
        <Stack>
          <Alert color="yellow">Copy the link now: it is shown only once.</Alert>
          <Group wrap="nowrap" gap="xs">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="share-url">
              {url}
            </Code>
            <CopyButton value={url}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy link'}>
                  <ActionIcon variant="light" size="lg" onClick={copy} aria-label="Copy link">
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Button onClick={close} w="fit-content">
            Done
          </Button>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <NumberInput
              label="Expires after (days)"
              min={1}
              max={365}
              value={days}
              onChange={(v) => setDays(typeof v === 'number' ? v : 30)}
            />
            <PasswordInput
              label="Password (optional)"
              description="At least 4 characters; leave empty for none."
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Switch
              label="Allow downloading the originals"
              checked={downloads}
              onChange={(e) => setDownloads(e.currentTarget.checked)}
            />
            <Button
              type="submit"
              loading={create.isPending}
              disabled={password.length > 0 && password.length < 4}
            >
              Create link
            </Button>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
