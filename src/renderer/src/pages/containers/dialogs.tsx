import { Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { containerName, imageReference, signals, type ContainerSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { commitCommand, killCommand, removeCommand, renameCommand, stopCommand } from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone } from '../../components/notify';
import type { ContainerAction } from './actions';
import { isActive } from './table-model';

/** A dialog about one container, acting through the page's shared action (busy state, errors). */
interface TargetDialogProps {
  target: ContainerSummary | null;
  onClose: () => void;
  action: ContainerAction;
}

/** Remove one or many; running ones need force, which the dialog says in words. Volumes are kept unless ticked. */
export function RemoveDialog(props: {
  targets: ContainerSummary[];
  onClose: () => void;
  onRemove: (options: { force: boolean; volumes: boolean }) => void;
}) {
  const [volumes, setVolumes] = useState(false);
  const running = props.targets.filter(isActive);
  const one = props.targets.length === 1 ? props.targets[0]! : null;
  const close = () => {
    setVolumes(false);
    props.onClose();
  };
  return (
    <ConfirmDialog
      opened={props.targets.length > 0}
      title={one ? `Remove ${one.name}?` : `Remove ${props.targets.length} containers?`}
      message={
        running.length > 0
          ? one
            ? 'It is running: it will be stopped and removed. Its named volumes are kept.'
            : `${running.length} of them ${running.length === 1 ? 'is' : 'are'} running: they will be stopped and removed. Named volumes are kept.`
          : 'The containers and their writable layers are deleted. Named volumes are kept.'
      }
      confirmLabel={running.length > 0 ? 'Stop and remove' : 'Remove'}
      onCancel={close}
      onConfirm={() => {
        props.onRemove({ force: running.length > 0, volumes });
        close();
      }}
    >
      {props.targets.length > 0 && (
        <Checkbox
          label={one ? 'Also delete its anonymous volumes' : 'Also delete their anonymous volumes'}
          checked={volumes}
          onChange={(e) => setVolumes(e.currentTarget.checked)}
          data-testid="remove-volumes"
        />
      )}
      {props.targets.length > 0 && (
        <CommandPreview
          commands={removeCommand(
            props.targets.map((t) => t.name),
            { force: running.length > 0, volumes },
          )}
        />
      )}
    </ConfirmDialog>
  );
}

export function RenameDialog({ target, onClose, action }: TargetDialogProps) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const check = containerName.safeParse(name);
  return (
    <Modal opened={target !== null} onClose={onClose} title={`Rename ${target?.name ?? ''}`} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!target || !check.success) return;
          setError(null);
          void call('containers.rename', { id: target.id, name: check.data }).then(
            () => {
              notifyDone(`Renamed to ${check.data}`);
              setName('');
              onClose();
            },
            (err: Error) => setError(err.message),
          );
        }}
      >
        <Stack>
          <TextInput
            label="New name"
            data-autofocus
            value={name}
            placeholder={target?.name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={error ?? (name && !check.success ? check.error.issues[0]?.message : null)}
          />
          <CommandPreview commands={target && check.success ? renameCommand(target.name, check.data) : null} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!check.success} loading={target ? action.busy[target.id] : false}>
              Rename
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function CommitDialog({ target, onClose }: { target: ContainerSummary | null; onClose: () => void }) {
  const [reference, setReference] = useState('');
  const [message, setMessage] = useState('');
  const [pause, setPause] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const check = imageReference.safeParse(reference);
  return (
    <Modal opened={target !== null} onClose={onClose} title={`Save ${target?.name ?? ''} as an image`} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!target || !check.success) return;
          setBusy(true);
          setError(null);
          void call('containers.commit', { id: target.id, reference: check.data, message: message || undefined, pause })
            .then(
              (image) => {
                notifyDone(`Saved ${check.data} (${image.id.slice(0, 12)})`);
                onClose();
              },
              (err: Error) => setError(err.message),
            )
            .finally(() => setBusy(false));
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            The container’s file system, with its changes, becomes a new image. Volumes are not included.
          </Text>
          <TextInput
            label="Image name"
            placeholder="localhost/my-image:1.0"
            data-autofocus
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            error={error ?? (reference && !check.success ? check.error.issues[0]?.message : null)}
          />
          <Textarea
            label="Message (optional)"
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Checkbox
            label="Pause the container while saving"
            checked={pause}
            onChange={(e) => setPause(e.currentTarget.checked)}
          />
          <CommandPreview
            commands={
              target && check.success ? commitCommand(target.name, check.data, { message: message || undefined, pause }) : null
            }
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!check.success} loading={busy}>
              Save image
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function KillDialog({ target, onClose, action }: TargetDialogProps) {
  const [signal, setSignal] = useState<(typeof signals)[number]>('SIGKILL');
  return (
    <ConfirmDialog
      opened={target !== null}
      title={`Send a signal to ${target?.name ?? ''}`}
      message="SIGKILL ends the main process at once, without letting it clean up. Other signals are the program’s to handle."
      confirmLabel={`Send ${signal}`}
      onCancel={onClose}
      onConfirm={() => {
        if (!target) return;
        const { id, name } = target;
        onClose();
        void action.run(
          id,
          `Could not signal ${name}`,
          () => call('containers.kill', { id, signal }),
          `Sent ${signal} to ${name}`,
        );
      }}
    >
      <Select
        label="Signal"
        data={[...signals]}
        value={signal}
        onChange={(v) => v && setSignal(v as (typeof signals)[number])}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
      />
      {target && <CommandPreview commands={killCommand(target.name, signal)} />}
    </ConfirmDialog>
  );
}

/** Podman's own default: SIGTERM, then SIGKILL after this many seconds. */
export const DEFAULT_STOP_TIMEOUT = 10;

/**
 * Stop with a chosen grace period: a program that ignores SIGTERM (a shell as PID 1, many dev
 * servers) otherwise holds the stop for the whole default; 0 stops it at once.
 */
export function StopDialog({ target, onClose, action }: TargetDialogProps) {
  const [seconds, setSeconds] = useState<number | string>(DEFAULT_STOP_TIMEOUT);
  const value = typeof seconds === 'number' ? seconds : Number.NaN;
  const valid = Number.isInteger(value) && value >= 0 && value <= 3600;
  return (
    <Modal opened={target !== null} onClose={onClose} title={`Stop ${target?.name ?? ''}`} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!target || !valid) return;
          const { id, name } = target;
          onClose();
          void action.run(
            id,
            `Could not stop ${name}`,
            () => call('containers.stop', { id, timeoutSeconds: value }),
            `Stopped ${name}`,
          );
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            Podman asks the main process to end (SIGTERM) and, if it is still running after the grace period, ends it (SIGKILL).
          </Text>
          <NumberInput
            label="Grace period (seconds)"
            description="0 stops it at once, without waiting"
            data-autofocus
            min={0}
            max={3600}
            allowDecimal={false}
            allowNegative={false}
            value={seconds}
            onChange={setSeconds}
            error={valid ? null : 'A whole number of seconds, 0–3600'}
            data-testid="stop-timeout"
          />
          <CommandPreview commands={target && valid ? stopCommand(target.name, value) : null} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!valid} data-testid="stop-confirm">
              {value === 0 ? 'Stop now' : `Stop (wait up to ${valid ? value : '…'} s)`}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
