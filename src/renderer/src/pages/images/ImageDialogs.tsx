import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconLogin, IconUpload } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { imageReference } from '../../../../shared/contract';
import { call, subscribe, type CallError } from '../../api/client';
import { StreamedLog } from '../../components/RowEditors';
import { pruneImagesCommand, pushCommand, removeImageCommand, tagCommand } from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone, notifyError } from '../../components/notify';
import { formatBytes } from '../../lib/format';
import { splitName, type ImageRow } from './image-model';

export function TagDialog({ row, onClose }: { row: ImageRow | null; onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const check = imageReference.safeParse(name);
  const submit = async () => {
    if (!row || !check.success) return;
    const { repository, tag } = splitName(check.data);
    try {
      await call('images.tag', { id: row.image.id, repository, tag });
      notifyDone(`Tagged ${repository}:${tag}`);
      setName('');
      onClose();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <Modal
      opened={row !== null}
      onClose={onClose}
      title={`Add a name to ${row?.name ?? row?.image.id.slice(0, 12) ?? ''}`}
      centered
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <TextInput
            label="New name"
            placeholder="quay.io/me/app:1.0"
            description="To push to a registry, the name starts with the registry"
            data-autofocus
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setError(null);
            }}
            error={error ?? (name && !check.success ? check.error.issues[0]?.message : null)}
            data-testid="tag-name"
          />
          <CommandPreview
            commands={
              row && check.success
                ? tagCommand(
                    row.name ?? row.image.id.slice(0, 12),
                    (({ repository, tag }) => `${repository}:${tag}`)(splitName(check.data)),
                  )
                : null
            }
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!check.success}>
              Tag
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PushDialog({
  row,
  onClose,
  onLogin,
}: {
  row: ImageRow | null;
  onClose: () => void;
  onLogin: (server: string) => void;
}) {
  const [log, setLog] = useState<string[]>([]);
  const [state, setState] = useState<'idle' | 'pushing' | 'done'>('idle');
  const [error, setError] = useState<CallError | null>(null);
  const stop = useRef<(() => void) | null>(null);
  const reference = row?.name ?? '';
  const registry = reference.split('/')[0] ?? '';
  const start = () => {
    setLog([]);
    setError(null);
    setState('pushing');
    stop.current = subscribe(
      'images.push',
      { reference },
      {
        onItems: (events) => {
          for (const e of events) {
            if (e.type === 'log') setLog((l) => [...l, ...e.text.replace(/\n$/, '').split('\n')].slice(-500));
            else {
              setState('done');
              notifyDone(`Pushed ${e.reference}`);
            }
          }
        },
        onEnd: (err) => {
          stop.current = null;
          if (err) {
            setError(err);
            setState('idle');
          }
        },
      },
    );
  };
  const close = () => {
    stop.current?.();
    stop.current = null;
    setState('idle');
    setLog([]);
    setError(null);
    onClose();
  };
  return (
    <Modal opened={row !== null} onClose={close} title={`Push ${reference}`} size="lg" centered>
      <Stack>
        <Text size="sm" c="dimmed">
          Sends the image to {reference.includes('/') ? registry : 'docker.io'} under this name. Tag the image with the registry’s
          name first to push elsewhere.
        </Text>
        {reference && <CommandPreview commands={pushCommand(reference)} />}
        {log.length > 0 && <StreamedLog lines={log} height={220} testId="push-log" />}
        {error && (
          <Alert
            color="red"
            title={error.code === 'UNAUTHORIZED' ? 'Not logged in' : 'The push failed'}
            data-testid="push-error"
            data-code={error.code}
          >
            <Text size="sm">{error.message}</Text>
            {error.code === 'UNAUTHORIZED' && (
              <Button size="xs" mt="sm" leftSection={<IconLogin size={14} />} onClick={() => onLogin(registry)}>
                Log in to {registry}
              </Button>
            )}
          </Alert>
        )}
        {state === 'done' && <Alert color="teal">Pushed.</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {state === 'pushing' ? 'Cancel' : 'Close'}
          </Button>
          <Button
            leftSection={<IconUpload size={16} />}
            loading={state === 'pushing'}
            onClick={start}
            disabled={!reference}
            data-testid="push-start"
          >
            Push
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Removing a name keeps the image while other names point at it; removing the image itself may need force. */
export function RemoveImageDialog({ row, onClose }: { row: ImageRow | null; onClose: () => void }) {
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const used = row?.usedBy.length ?? 0;
  const onlyName = !row || row.image.tags.length <= 1;
  const close = () => {
    setForce(false);
    onClose();
  };
  return (
    <ConfirmDialog
      opened={row !== null}
      title={row?.name ? `Remove ${row.name}?` : `Remove image ${row?.image.id.slice(0, 12) ?? ''}?`}
      message={
        !onlyName
          ? `Only this name is removed: the image keeps its other ${row!.image.tags.length - 1} name(s).`
          : used > 0
            ? `${used} container${used === 1 ? ' uses' : 's use'} this image (${row!.usedBy.map((c) => c.name).join(', ')}). Removing it with force removes ${used === 1 ? 'that container' : 'those containers'} too.`
            : `The image (${formatBytes(row?.image.size ?? 0)}) is deleted from local storage. It can be pulled or built again.`
      }
      confirmLabel={used > 0 && onlyName ? 'Remove with its containers' : 'Remove'}
      busy={busy}
      confirmDisabled={used > 0 && onlyName && !force}
      onCancel={close}
      onConfirm={() => {
        if (!row) return;
        setBusy(true);
        call('images.remove', { id: onlyName ? row.image.id : row.name!, force: used > 0 && onlyName })
          .then(() => notifyDone(`Removed ${row.name ?? row.image.id.slice(0, 12)}`))
          .catch((err: unknown) => notifyError('Could not remove the image', err))
          .finally(() => {
            setBusy(false);
            close();
          });
      }}
    >
      {used > 0 && onlyName && (
        <Checkbox
          label={`Yes, also remove ${used === 1 ? 'the container' : `the ${used} containers`} that use${used === 1 ? 's' : ''} it`}
          checked={force}
          onChange={(e) => setForce(e.currentTarget.checked)}
          data-testid="remove-image-force"
        />
      )}
      {row && (
        <CommandPreview
          commands={removeImageCommand(onlyName ? (row.name ?? row.image.id.slice(0, 12)) : row.name!, used > 0 && onlyName)}
        />
      )}
    </ConfirmDialog>
  );
}

export function PruneDialog({ mode, onClose }: { mode: 'dangling' | 'unused' | null; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <ConfirmDialog
      opened={mode !== null}
      title={mode === 'unused' ? 'Remove every unused image?' : 'Remove dangling images?'}
      message={
        mode === 'unused'
          ? 'Every image no container uses is deleted, named or not. Images can be pulled or built again; nothing a container uses is touched.'
          : 'Images without a name (left behind by rebuilds and re-pulls) are deleted.'
      }
      confirmLabel="Prune"
      busy={busy}
      onCancel={onClose}
      onConfirm={() => {
        if (!mode) return;
        setBusy(true);
        call('images.prune', { mode })
          .then((r) =>
            notifyDone(
              `Removed ${r.removed.length} image${r.removed.length === 1 ? '' : 's'}, freed ${formatBytes(r.reclaimed)}`,
            ),
          )
          .catch((err: unknown) => notifyError('Could not prune', err))
          .finally(() => {
            setBusy(false);
            onClose();
          });
      }}
    >
      {mode && <CommandPreview commands={pruneImagesCommand(mode)} />}
    </ConfirmDialog>
  );
}
