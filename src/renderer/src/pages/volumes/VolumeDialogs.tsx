import { DropArea } from '../../components/DropArea';
import {
  Alert,
  Button,
  Checkbox,
  Code,
  FileButton,
  Group,
  List,
  Modal,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { IncomingSource, VolumeSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { hasNativeFiles, incomingFrom, type PickedFile } from '../../api/transfers';
import { volumeCreateCommand, volumePruneCommand, volumeRemoveCommand } from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone, notifyError } from '../../components/notify';
import { hostSourceProblem } from '../../../../shared/volume-options';
import { runTransfer } from '../../components/transfer-notice';
import { cloneTitles, restoreTitles } from '../../lib/transfer-titles';
import { KeyValueInput, parseKeyValues } from './KeyValueInput';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const nameError = (name: string, taken: (n: string) => boolean) =>
  !name
    ? null
    : !NAME.test(name)
      ? 'Letters, digits, _ . - (starting with a letter or digit)'
      : taken(name)
        ? 'A volume with this name exists'
        : null;

export function CreateVolumeDialog({
  opened,
  onClose,
  taken,
}: {
  opened: boolean;
  onClose: () => void;
  taken: (n: string) => boolean;
}) {
  const [name, setName] = useState('');
  const [driver, setDriver] = useState('local');
  const [labels, setLabels] = useState('');
  const [options, setOptions] = useState('');
  const [busy, setBusy] = useState(false);
  const error = nameError(name, taken);
  const parsedLabels = parseKeyValues(labels);
  const parsedOptions = parseKeyValues(options);
  // Main refuses a volume that would be a folder or disk of this computer: say so before Create.
  const optionsProblem = hostSourceProblem(parsedOptions.values);
  const close = () => {
    setName('');
    setLabels('');
    setOptions('');
    onClose();
  };
  const submit = async () => {
    setBusy(true);
    try {
      const created = await call('volumes.create', {
        ...(name ? { name } : {}),
        driver,
        labels: parsedLabels.values,
        options: parsedOptions.values,
      });
      notifyDone(`Volume ${created.name} created`);
      close();
    } catch (e) {
      notifyError('Could not create the volume', e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title="Create a volume" centered>
      <Stack>
        <TextInput
          label="Name"
          description="Leave empty and Podman picks one"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={error}
          data-autofocus
          data-testid="volume-name"
        />
        <TextInput label="Driver" value={driver} onChange={(e) => setDriver(e.currentTarget.value)} />
        <KeyValueInput label="Labels" value={labels} onChange={setLabels} placeholder="com.example.team=data" />
        <KeyValueInput
          label="Driver options"
          value={options}
          onChange={setOptions}
          placeholder="type=tmpfs&#10;device=tmpfs&#10;o=size=100m"
          problem={optionsProblem}
          testId="volume-options"
        />
        <CommandPreview
          commands={
            error || parsedLabels.error || parsedOptions.error
              ? null
              : volumeCreateCommand({ name, driver, labels: parsedLabels.values, options: parsedOptions.values })
          }
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button
            onClick={submit}
            loading={busy}
            disabled={Boolean(error || parsedLabels.error || parsedOptions.error || optionsProblem)}
            data-testid="create-volume-submit"
          >
            Create
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Removing asks once; a volume in use asks a second time, naming what force removal takes with it. */
export function RemoveVolumeDialog({
  target,
  usedBy,
  onClose,
}: {
  target: VolumeSummary | null;
  usedBy: string[];
  onClose: () => void;
}) {
  const [step, setStep] = useState<'ask' | 'force'>('ask');
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setStep('ask');
    setUnderstood(false);
    onClose();
  };
  const remove = async (force: boolean) => {
    if (!target) return;
    setBusy(true);
    try {
      await call('volumes.remove', { name: target.name, force });
      notifyDone(`Volume ${target.name} removed`);
      close();
    } catch (e) {
      notifyError(`Could not remove ${target.name}`, e);
    } finally {
      setBusy(false);
    }
  };
  if (!target) return null;
  if (usedBy.length === 0)
    return (
      <ConfirmDialog
        opened
        title={`Remove ${target.name}?`}
        message="The volume and every file in it are deleted. This cannot be undone."
        confirmLabel="Remove volume"
        busy={busy}
        onCancel={close}
        onConfirm={() => void remove(false)}
      >
        <CommandPreview commands={volumeRemoveCommand(target.name)} />
      </ConfirmDialog>
    );
  if (step === 'ask')
    return (
      <Modal opened onClose={close} title={`${target.name} is in use`} centered>
        <Stack>
          <Text size="sm">Podman refuses to remove a volume that containers use. It is used by:</Text>
          <List size="sm">
            {usedBy.map((n) => (
              <List.Item key={n}>
                <Code>{n}</Code>
              </List.Item>
            ))}
          </List>
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              Keep it
            </Button>
            <Button color="red" variant="light" onClick={() => setStep('force')} data-testid="force-remove">
              Force removal…
            </Button>
          </Group>
        </Stack>
      </Modal>
    );
  return (
    <ConfirmDialog
      opened
      title={`Force-remove ${target.name}?`}
      message={`This removes the containers ${usedBy.join(', ')} as well, and deletes every file in the volume.`}
      confirmLabel="Remove volume and containers"
      busy={busy}
      onCancel={close}
      onConfirm={() => (understood ? void remove(true) : undefined)}
    >
      <Checkbox
        label={`I understand that ${usedBy.length === 1 ? 'the container is' : 'the containers are'} removed too`}
        checked={understood}
        onChange={(e) => setUnderstood(e.currentTarget.checked)}
        data-testid="force-understood"
      />
      <CommandPreview commands={volumeRemoveCommand(target.name, true)} />
    </ConfirmDialog>
  );
}

export function PruneDialog({ opened, unused, onClose }: { opened: boolean; unused: VolumeSummary[]; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const prune = async () => {
    setBusy(true);
    try {
      const result = await call('volumes.prune', { names: unused.map((v) => v.name) });
      notifyDone(
        `${result.removed.length} volume${result.removed.length === 1 ? '' : 's'} removed` +
          (result.kept.length ? `; kept ${result.kept.map((k) => `${k.name} (${k.reason})`).join(', ')}` : ''),
      );
      onClose();
    } catch (e) {
      notifyError('Could not prune', e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      opened={opened}
      title="Remove unused volumes?"
      message={
        unused.length === 0
          ? 'Every volume is in use: nothing to remove.'
          : 'No container uses these volumes. They are deleted with their files:'
      }
      confirmLabel={`Remove ${unused.length} volume${unused.length === 1 ? '' : 's'}`}
      busy={busy}
      onCancel={onClose}
      onConfirm={() => (unused.length ? void prune() : onClose())}
    >
      <List size="sm" data-testid="prune-list">
        {unused.map((v) => (
          <List.Item key={v.name}>
            <Code>{v.name}</Code>
          </List.Item>
        ))}
      </List>
      {unused.length > 0 && <CommandPreview commands={volumePruneCommand(unused.map((v) => v.name))} />}
    </ConfirmDialog>
  );
}

export function CloneDialog({
  source,
  onClose,
  taken,
}: {
  source: VolumeSummary | null;
  onClose: () => void;
  taken: (n: string) => boolean;
}) {
  const [name, setName] = useState('');
  const error = nameError(name, taken);
  if (!source) return null;
  const start = () => {
    const target = name || `${source.name}-copy`;
    onClose();
    setName('');
    void runTransfer(cloneTitles(source.name, target), 'volumes.clone', { source: source.name, target });
  };
  return (
    <Modal opened onClose={onClose} title={`Clone ${source.name}`} centered>
      <Stack>
        <TextInput
          label="New volume"
          placeholder={`${source.name}-copy`}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={error ?? (!name && taken(`${source.name}-copy`) ? 'A volume with this name exists' : null)}
          data-autofocus
        />
        <Text size="xs" c="dimmed">
          Same driver, labels and options; every file copied with its owner and permissions.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={start} disabled={Boolean(error) || (!name && taken(`${source.name}-copy`))}>
            Clone
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function RestoreDialog({ opened, onClose, volumes }: { opened: boolean; onClose: () => void; volumes: VolumeSummary[] }) {
  const [mode, setMode] = useState<'new' | 'existing'>('new');
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<PickedFile | null>(null);
  const taken = (n: string) => volumes.some((v) => v.name === n);
  const error = mode === 'new' ? nameError(name, taken) : name && !taken(name) ? 'No volume with this name' : null;
  const native = hasNativeFiles();
  const ready = Boolean(name) && !error && (native || picked);
  const start = async () => {
    onClose();
    // Electron: a dropped archive is registered in main (a handle), else main's own dialog asks.
    let source: IncomingSource = { kind: 'choose' };
    try {
      if (picked) source = await incomingFrom([picked]);
    } catch (failure) {
      notifyError('Could not read the dropped archive', failure);
      return;
    }
    void runTransfer(restoreTitles(name), 'volumes.restore', { name, create: mode === 'new', source }, picked ? [picked] : []);
    setName('');
    setPicked(null);
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Restore a backup" centered>
      <Stack>
        <Radio.Group
          value={mode}
          onChange={(v) => {
            setMode(v as 'new' | 'existing');
            setName('');
          }}
          label="Into"
        >
          <Group mt={4}>
            <Radio value="new" label="A new volume" />
            <Radio value="existing" label="An existing, empty volume" />
          </Group>
        </Radio.Group>
        {mode === 'new' ? (
          <TextInput
            label="Volume"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={error}
            data-autofocus
            data-testid="restore-name"
          />
        ) : (
          <Select
            label="Volume"
            placeholder="Pick a volume"
            data={volumes.map((v) => v.name).sort()}
            searchable
            value={name || null}
            onChange={(v) => setName(v ?? '')}
            error={error}
            nothingFoundMessage="No such volume"
            data-testid="restore-existing"
          />
        )}
        <DropArea
          onDrop={(data) => {
            const file = data.files[0];
            if (file) setPicked({ file, path: file.name });
          }}
          testId="restore-drop"
        >
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" c={picked ? undefined : 'dimmed'} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
              {picked
                ? picked.path
                : native
                  ? 'Drop the archive here, or choose it after Restore'
                  : 'Drop the archive here, or choose it'}
            </Text>
            {!native && (
              <FileButton
                onChange={(f) => setPicked(f ? { file: f, path: f.name } : null)}
                accept=".tar,.gz,.tgz,application/gzip,application/x-tar"
              >
                {(props) => (
                  <Button variant="default" style={{ flexShrink: 0 }} {...props}>
                    Choose a .tar.gz…
                  </Button>
                )}
              </FileButton>
            )}
          </Group>
        </DropArea>
        <Alert variant="light" color="blue" icon={<IconAlertTriangle size={16} />}>
          A .tar or .tar.gz of a volume’s contents (PodDesk backups and <Code>podman volume export</Code> both work).
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void start()} disabled={!ready} data-testid="restore-submit">
            {native && !picked ? 'Choose the archive…' : 'Restore'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
