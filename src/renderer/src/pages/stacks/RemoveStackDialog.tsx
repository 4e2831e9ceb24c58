import { Checkbox, Code, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { StackSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { CommandPreview } from '../../components/CommandPreview';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone, notifyError } from '../../components/notify';
import { clearLaunch } from './launches';
import { useStackCommands } from './StackCommandsDialog';

/**
 * Removing a stack takes its containers and network; its volumes (the user's notebooks, models,
 * databases) stay unless the user asks for them to go and types the stack's name to confirm.
 */
export function RemoveStackDialog({
  stack,
  stacks,
  opened,
  onClose,
}: {
  stack: StackSummary;
  /** Every stack, to say which volumes other stacks' files use too (the built-ins share models and notebooks). */
  stacks: StackSummary[];
  opened: boolean;
  onClose: () => void;
}) {
  const [deleteData, setDeleteData] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const cmds = useStackCommands(stack, opened);
  const close = () => {
    setDeleteData(false);
    setTyped('');
    onClose();
  };
  const confirmed = !deleteData || typed === stack.project;
  const sharedWith = (volume: string) =>
    stacks.filter((s) => s.id !== stack.id && s.volumes.includes(volume)).map((s) => s.title);

  const remove = async () => {
    if (!confirmed) return;
    setBusy(true);
    try {
      const result = await call('stacks.remove', {
        id: stack.id,
        deleteVolumes: deleteData,
        ...(deleteData ? { confirmName: typed } : {}),
      });
      const kept = result.volumesKept.length ? ` Volumes kept: ${result.volumesKept.join(', ')}.` : '';
      const gone = result.volumesRemoved.length ? ` Volumes deleted: ${result.volumesRemoved.join(', ')}.` : '';
      notifyDone(
        `${stack.title} removed (${result.containers.length} ${result.containers.length === 1 ? 'container' : 'containers'}).${kept}${gone}`,
      );
      clearLaunch(stack.id);
      close();
    } catch (error) {
      notifyError(`Could not remove ${stack.title}`, error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      opened={opened}
      title={`Remove ${stack.title}?`}
      message="Its containers are stopped and removed, and its network too. Your data in its volumes is kept, so a later launch finds it again."
      confirmLabel={deleteData ? 'Remove and delete data' : 'Remove, keep data'}
      busy={busy}
      confirmDisabled={!confirmed}
      onCancel={close}
      onConfirm={remove}
    >
      <Stack gap="xs" data-testid="remove-stack-dialog">
        {stack.volumes.length > 0 && (
          <Text size="sm">
            Volumes:{' '}
            {stack.volumes.map((v) => (
              <Code key={v} mr={4}>
                {v}
              </Code>
            ))}
          </Text>
        )}
        {stack.volumes.map((v) => {
          const others = sharedWith(v);
          return others.length > 0 ? (
            <Text key={v} size="xs" c="dimmed" data-testid="shared-volume">
              <Code>{v}</Code> is also used by {others.join(', ')}: deleting it deletes their data too.
            </Text>
          ) : null;
        })}
        <Checkbox
          color="red"
          label="Also delete the data in its volumes (cannot be undone)"
          checked={deleteData}
          onChange={(e) => setDeleteData(e.currentTarget.checked)}
          data-testid="delete-data"
        />
        {deleteData && (
          <TextInput
            label={
              <span>
                Type <Code>{stack.project}</Code> to confirm
              </span>
            }
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            error={typed && !confirmed ? 'Does not match the stack’s name' : undefined}
            data-testid="confirm-name"
          />
        )}
        <CommandPreview commands={cmds.remove(deleteData)} />
        {cmds.down(deleteData).length > 0 && (
          <CommandPreview
            label="Or with podman-compose, in a terminal"
            commands={cmds.down(deleteData)}
            notes={cmds.downNotes}
            testId="compose-down-preview"
          />
        )}
      </Stack>
    </ConfirmDialog>
  );
}
