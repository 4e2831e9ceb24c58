import {
  Alert,
  Autocomplete,
  Button,
  Checkbox,
  Collapse,
  Divider,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconChevronDown,
  IconChevronRight,
  IconClipboardText,
  IconFolderOpen,
  IconRocket,
  IconX,
} from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import type { PortCheck } from '../../../../../shared/contract';
import { call, CallError } from '../../../api/client';
import { useLive } from '../../../api/live';
import { hasNativeFiles } from '../../../api/transfers';
import { EngineGate } from '../../../components/ConnectionPanel';
import { BackButton } from '../../../components/PageHeader';
import { notifyDone, notifyError } from '../../../components/notify';
import { parseEnvFile } from '../../../lib/env-file';
import { navigate } from '../../../lib/router';
import { CommandPreview } from '../../../components/CommandPreview';
import { emptyForm, formCommand, toRunSpec, type RunForm } from './form-model';
import {
  AddRowButton,
  emptyPortRow,
  KeyValueRow,
  monospaceInput,
  PortRow,
  RemoveRowButton,
} from '../../../components/RowEditors';

function Section({ title, hint, action, children }: { title: string; hint?: string; action?: ReactNode; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <div>
          <Text fw={600}>{title}</Text>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </div>
        {action}
      </Group>
      {children}
    </Stack>
  );
}

function EnvPaste({
  opened,
  onClose,
  onAdd,
}: {
  opened: boolean;
  onClose: () => void;
  onAdd: (vars: { key: string; value: string }[]) => void;
}) {
  const [text, setText] = useState('');
  const parsed = parseEnvFile(text);
  return (
    <Modal opened={opened} onClose={onClose} title="Paste a .env file" size="lg" centered>
      <Stack>
        <Textarea
          data-autofocus
          autosize
          minRows={8}
          maxRows={18}
          styles={monospaceInput}
          placeholder={'# one per line\nDB_HOST=db\nDB_PASSWORD="s3cret"'}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="env-paste"
        />
        {parsed.errors.length > 0 && (
          <Alert color="orange" icon={<IconAlertTriangle size={16} />} title="Some lines are not variables">
            {parsed.errors.map((e) => (
              <Text key={e} size="sm">
                {e}
              </Text>
            ))}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={parsed.vars.length === 0}
            onClick={() => {
              onAdd(parsed.vars);
              setText('');
              onClose();
            }}
          >
            Add {parsed.vars.length} variable{parsed.vars.length === 1 ? '' : 's'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * Run a container: everything a `podman run` line says, as a form. Problems show beside their
 * field before anything is sent; a host port is checked as soon as it is typed; if the engine
 * still refuses, its own words are shown, and nothing is left half-created.
 */
export function RunContainerForm({ image }: { image?: string }) {
  const [form, setForm] = useState<RunForm>(() => emptyForm(image ?? ''));
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [engineError, setEngineError] = useState<CallError | null>(null);
  const [portChecks, setPortChecks] = useState<Record<string, PortCheck>>({});
  const [busy, setBusy] = useState(false);
  const [pasting, setPasting] = useState(false);
  const [more, setMore] = useState(false);
  const images = useLive('images.watch', (i) => i.id);
  const containers = useLive('containers.watch', (c) => c.id);
  const pods = useLive('pods.watch', (p) => p.id);

  const imageOptions = useMemo(() => [...new Set(images.value.flatMap((i) => i.tags))].sort(), [images.value]);
  // Existing named volumes to pick from (anonymous ones, named by a 64-digit hash, are no one's to reuse).
  const volumeList = useLive('volumes.watch', (v) => v.name);
  const volumeOptions = useMemo(
    () =>
      volumeList.value
        .map((v) => v.name)
        .filter((n) => !/^[0-9a-f]{64}$/.test(n))
        .sort(),
    [volumeList.value],
  );
  // Every network the engine has, even one no container uses yet (just made on the Networks page).
  const networks = useLive('networks.watch', (n) => n.name);
  const networkOptions = useMemo(
    () => [...new Set(['podman', ...networks.value.map((n) => n.name), ...containers.value.flatMap((c) => c.networks)])].sort(),
    [networks.value, containers.value],
  );
  const { spec, errors } = toRunSpec(form);
  const nameTaken = form.name.trim() !== '' && containers.value.some((c) => c.name === form.name.trim());
  const errorFor = (path: string) => {
    if (serverErrors[path]) return serverErrors[path];
    if (path === 'name' && nameTaken) return `A container named ${form.name.trim()} already exists`;
    if (!submitted && !touched.has(path)) return undefined;
    return errors[path];
  };
  const touch = (path: string) => setTouched((t) => new Set(t).add(path));
  const update = (patch: Partial<RunForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setServerErrors({});
    setEngineError(null);
  };
  const setRow = <K extends 'ports' | 'env' | 'volumes' | 'labels'>(key: K, index: number, patch: Partial<RunForm[K][number]>) =>
    update({ [key]: form[key].map((row, i) => (i === index ? { ...row, ...patch } : row)) } as Partial<RunForm>);
  const removeRow = (key: 'ports' | 'env' | 'volumes' | 'labels', index: number) =>
    update({ [key]: form[key].filter((_, i) => i !== index) } as Partial<RunForm>);
  // A folder of this computer is chosen in main's dialog (desktop app only): the form keeps its handle.
  const desktop = hasNativeFiles();
  const chooseFolder = async (index: number) => {
    try {
      const folder = await call('containers.chooseFolder');
      if (folder) setRow('volumes', index, { folder, source: '' });
    } catch (error) {
      notifyError('Could not choose the folder', error);
    }
  };

  // Checks are kept by address, port and protocol: the same port may be free on one address only.
  const portKey = (p: RunForm['ports'][number]) => `${p.hostIp.trim()}|${Number(p.hostPort)}/${p.protocol}`;
  /**
   * Asks main whether the row's host port is free. The address is checked first: a port cannot
   * be asked about on an address that is not one (main would only say it cannot listen there).
   */
  const checkPort = async (index: number): Promise<PortCheck | undefined> => {
    touch(`ports.${index}.hostPort`);
    const port = form.ports[index];
    const n = Number(port?.hostPort);
    if (!port || !Number.isInteger(n) || n < 1 || n > 65535) return undefined;
    if (port.hostIp.trim()) touch(`ports.${index}.hostIp`);
    if (errors[`ports.${index}.hostIp`]) return undefined;
    try {
      const result = await call('containers.checkPort', { hostPort: n, protocol: port.protocol, hostIp: port.hostIp.trim() });
      setPortChecks((c) => ({ ...c, [portKey(port)]: result }));
      return result;
    } catch {
      // A failed check says nothing; the engine still checks when it runs the container.
      return undefined;
    }
  };
  const portError = (index: number) => {
    const p = form.ports[index]!;
    const check = portChecks[portKey(p)];
    if (check && !check.free && (check.reason || check.usedBy))
      return check.reason ?? `Port ${p.hostPort} is in use by ${check.usedBy}`;
    return errorFor(`ports.${index}.hostPort`);
  };
  const addressError = (index: number) =>
    errorFor(`ports.${index}.hostIp`) ?? portChecks[portKey(form.ports[index]!)]?.addressProblem;
  const portsBusy = form.ports.some((p) => portChecks[portKey(p)]?.free === false);

  const submit = async () => {
    setSubmitted(true);
    if (!spec || nameTaken) return;
    if (portsBusy) {
      // A port seen busy may have been freed since (the other container stopped): look again.
      const busyRows = form.ports.flatMap((p, i) => (portChecks[portKey(p)]?.free === false ? [i] : []));
      const fresh = await Promise.all(busyRows.map(checkPort));
      if (fresh.some((c) => c?.free !== true)) return;
    }
    setBusy(true);
    setEngineError(null);
    try {
      const created = await call('containers.run', spec);
      notifyDone(`${form.start ? 'Started' : 'Created'} ${created.name}`);
      navigate(`/containers/${created.id}/logs`);
    } catch (error) {
      if (
        error instanceof CallError &&
        Array.isArray(error.details) &&
        error.details.every((d) => d && typeof d.path === 'string')
      ) {
        setServerErrors(
          Object.fromEntries((error.details as { path: string; message: string }[]).map((d) => [d.path, d.message])),
        );
      }
      setEngineError(error instanceof CallError ? error : new CallError({ code: 'INTERNAL', message: String(error) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={980}>
      <Group gap="sm">
        <BackButton to="/containers" label="All containers" />
        <Title order={2}>Run a container</Title>
      </Group>
      <EngineGate>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
          data-testid="run-form"
        >
          <Stack gap="lg">
            <Paper withBorder p="md">
              <Stack>
                <Group grow align="flex-start">
                  <Autocomplete
                    label="Image"
                    required
                    placeholder="docker.io/library/nginx:1.27"
                    data={imageOptions}
                    value={form.image}
                    onChange={(image) => update({ image })}
                    onBlur={() => touch('image')}
                    error={errorFor('image')}
                    description="A local image, or one to pull first from the Images page"
                    data-testid="run-image"
                    limit={30}
                  />
                  <TextInput
                    label="Name"
                    placeholder="Generated when empty"
                    value={form.name}
                    onChange={(e) => update({ name: e.currentTarget.value })}
                    onBlur={() => touch('name')}
                    error={errorFor('name')}
                    description="Letters, digits, _ . -"
                    data-testid="run-name"
                  />
                </Group>
                <TextInput
                  label="Command"
                  placeholder="The image’s default command when empty"
                  styles={monospaceInput}
                  value={form.command}
                  onChange={(e) => update({ command: e.currentTarget.value })}
                  onBlur={() => touch('command')}
                  error={errorFor('command')}
                  description="Split like a shell would: quotes keep spaces; nothing is expanded"
                  data-testid="run-command"
                />
              </Stack>
            </Paper>

            <Paper withBorder p="md">
              <Section
                title="Ports"
                hint="host:container/protocol — leave the host port empty to let Podman pick one"
                action={
                  <AddRowButton
                    label="Add a port"
                    testId="add-port"
                    onClick={() => update({ ports: [...form.ports, emptyPortRow()] })}
                  />
                }
              >
                {form.ports.map((p, i) => (
                  <PortRow
                    key={i}
                    labels={i === 0}
                    value={p}
                    onChange={(patch) => setRow('ports', i, patch)}
                    onRemove={() => removeRow('ports', i)}
                    onHostPortBlur={() => void checkPort(i)}
                    onHostIpBlur={() => {
                      if (form.ports[i]!.hostPort.trim()) void checkPort(i);
                      else touch(`ports.${i}.hostIp`);
                    }}
                    onContainerPortBlur={() => touch(`ports.${i}.containerPort`)}
                    errors={{
                      hostIp: addressError(i),
                      hostPort: portError(i),
                      containerPort: errorFor(`ports.${i}.containerPort`),
                    }}
                  />
                ))}
              </Section>
            </Paper>

            <Paper withBorder p="md">
              <Section
                title="Environment"
                action={
                  <Group gap="xs">
                    <Button
                      size="xs"
                      variant="subtle"
                      leftSection={<IconClipboardText size={14} />}
                      onClick={() => setPasting(true)}
                      data-testid="paste-env"
                    >
                      Paste .env
                    </Button>
                    <AddRowButton label="Add a variable" onClick={() => update({ env: [...form.env, { key: '', value: '' }] })} />
                  </Group>
                }
              >
                {form.env.map((e, i) => (
                  <KeyValueRow
                    key={i}
                    what="Variable"
                    testId="env-row"
                    value={e}
                    onChange={(patch) => setRow('env', i, patch)}
                    onRemove={() => removeRow('env', i)}
                    onKeyBlur={() => touch(`env.${i}.key`)}
                    keyError={errorFor(`env.${i}.key`)}
                  />
                ))}
              </Section>
            </Paper>

            <Paper withBorder p="md">
              <Section
                title="Volumes"
                hint={
                  desktop
                    ? 'A named volume (created if it does not exist), or a folder of this computer'
                    : 'A named volume (created if it does not exist); folders of this computer can be mounted from the desktop app'
                }
                action={
                  <AddRowButton
                    label="Add a volume"
                    onClick={() => update({ volumes: [...form.volumes, { source: '', target: '', readOnly: false }] })}
                  />
                }
              >
                {form.volumes.map((v, i) => (
                  <Group key={i} gap="xs" align="flex-start" data-testid="volume-row">
                    {v.folder ? (
                      <TextInput
                        style={{ flex: 1 }}
                        value={v.folder.name}
                        readOnly
                        aria-label="Folder of this computer"
                        error={errorFor(`volumes.${i}.source`)}
                        rightSection={
                          <Button
                            variant="subtle"
                            size="compact-xs"
                            aria-label="Use a volume instead"
                            onClick={() => setRow('volumes', i, { folder: undefined })}
                          >
                            <IconX size={14} />
                          </Button>
                        }
                      />
                    ) : (
                      <Autocomplete
                        style={{ flex: 1 }}
                        placeholder="my-data"
                        data={volumeOptions}
                        value={v.source}
                        onChange={(source) => setRow('volumes', i, { source })}
                        onBlur={() => touch(`volumes.${i}.source`)}
                        error={errorFor(`volumes.${i}.source`)}
                        aria-label="Volume name"
                      />
                    )}
                    {desktop && !v.folder && (
                      <Button
                        variant="default"
                        leftSection={<IconFolderOpen size={16} />}
                        onClick={() => void chooseFolder(i)}
                        aria-label="Mount a folder of this computer instead"
                      >
                        Folder…
                      </Button>
                    )}
                    <TextInput
                      style={{ flex: 1 }}
                      placeholder="/data (in the container)"
                      value={v.target}
                      onChange={(e) => setRow('volumes', i, { target: e.currentTarget.value })}
                      onBlur={() => touch(`volumes.${i}.target`)}
                      error={errorFor(`volumes.${i}.target`)}
                      aria-label="Path in the container"
                    />
                    <Checkbox
                      mt={8}
                      label="Read-only"
                      checked={v.readOnly}
                      onChange={(e) => setRow('volumes', i, { readOnly: e.currentTarget.checked })}
                    />
                    <RemoveRowButton label="Remove this volume" onClick={() => removeRow('volumes', i)} />
                  </Group>
                ))}
              </Section>
            </Paper>

            <Paper withBorder p="md">
              <Group align="flex-start" grow>
                <Select
                  label="Pod"
                  placeholder="None"
                  clearable
                  data={pods.value.map((p) => ({ value: p.name, label: p.name }))}
                  value={form.pod || null}
                  onChange={(pod) => update({ pod: pod ?? '' })}
                  error={errorFor('pod') ?? (form.pod && form.ports.length ? errors.pod : undefined)}
                  description={form.pod ? 'Shares the pod’s network and ports' : undefined}
                  data-testid="run-pod"
                />
                <Autocomplete
                  label="Network"
                  placeholder="podman (the default)"
                  data={networkOptions}
                  value={form.pod ? '' : form.network}
                  disabled={Boolean(form.pod)}
                  onChange={(network) => update({ network })}
                  error={errorFor('network')}
                />
                <Select
                  label="Restart policy"
                  allowDeselect={false}
                  value={form.restartPolicy}
                  onChange={(v) => update({ restartPolicy: (v ?? 'no') as RunForm['restartPolicy'] })}
                  error={errorFor('restartPolicy')}
                  data={[
                    { value: 'no', label: 'Never' },
                    { value: 'on-failure', label: 'When it fails' },
                    { value: 'always', label: 'Always' },
                    { value: 'unless-stopped', label: 'Unless stopped' },
                  ]}
                />
                {form.restartPolicy === 'on-failure' && (
                  <NumberInput
                    label="At most (times)"
                    placeholder="no limit"
                    min={0}
                    max={1000}
                    value={form.restartRetries}
                    onChange={(v) => update({ restartRetries: String(v) })}
                    error={errorFor('restartRetries')}
                  />
                )}
              </Group>
              <Divider my="md" />
              <Group>
                <Switch
                  label="Remove the container when it stops"
                  checked={form.autoRemove}
                  onChange={(e) => update({ autoRemove: e.currentTarget.checked })}
                />
                <Switch label="Start it now" checked={form.start} onChange={(e) => update({ start: e.currentTarget.checked })} />
              </Group>
            </Paper>

            <Paper withBorder p="md">
              <Button
                variant="subtle"
                px={0}
                leftSection={more ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                onClick={() => setMore((m) => !m)}
                aria-expanded={more}
                aria-controls="run-more-options"
                data-testid="run-more"
              >
                More options: entrypoint, user, limits, labels…
              </Button>
              <Collapse expanded={more} id="run-more-options">
                <Stack mt="sm">
                  <Group grow align="flex-start">
                    <TextInput
                      label="Entrypoint"
                      placeholder="The image’s when empty"
                      styles={monospaceInput}
                      value={form.entrypoint}
                      onChange={(e) => update({ entrypoint: e.currentTarget.value })}
                      onBlur={() => touch('entrypoint')}
                      error={errorFor('entrypoint')}
                      description="The program the command is given to"
                      data-testid="run-entrypoint"
                    />
                    <TextInput
                      label="Working folder"
                      placeholder="/app"
                      value={form.workdir}
                      onChange={(e) => update({ workdir: e.currentTarget.value })}
                      onBlur={() => touch('workdir')}
                      error={errorFor('workdir')}
                    />
                  </Group>
                  <Group grow align="flex-start">
                    <TextInput
                      label="User"
                      placeholder="The image’s when empty"
                      description="A name or number, optionally :group"
                      value={form.user}
                      onChange={(e) => update({ user: e.currentTarget.value })}
                      onBlur={() => touch('user')}
                      error={errorFor('user')}
                      data-testid="run-user"
                    />
                    <TextInput
                      label="Host name"
                      placeholder="Its short id when empty"
                      value={form.hostname}
                      onChange={(e) => update({ hostname: e.currentTarget.value })}
                      onBlur={() => touch('hostname')}
                      error={errorFor('hostname')}
                    />
                    <TextInput
                      label="Network aliases"
                      placeholder="db, cache"
                      description="More names on its network"
                      value={form.networkAliases}
                      disabled={Boolean(form.pod)}
                      onChange={(e) => update({ networkAliases: e.currentTarget.value })}
                      onBlur={() => touch('networkAliases')}
                      error={errorFor('networkAliases')}
                    />
                  </Group>
                  <Group grow align="flex-start">
                    <TextInput
                      label="Memory limit"
                      placeholder="No limit"
                      description="e.g. 512m or 2g"
                      value={form.memory}
                      onChange={(e) => update({ memory: e.currentTarget.value })}
                      onBlur={() => touch('memory')}
                      error={errorFor('memory')}
                      data-testid="run-memory"
                    />
                    <TextInput
                      label="CPUs"
                      placeholder="No limit"
                      description="e.g. 0.5 or 2"
                      value={form.cpus}
                      onChange={(e) => update({ cpus: e.currentTarget.value })}
                      onBlur={() => touch('cpus')}
                      error={errorFor('cpus')}
                    />
                    <TextInput
                      label="Stop grace period (seconds)"
                      placeholder="10"
                      value={form.stopTimeout}
                      onChange={(e) => update({ stopTimeout: e.currentTarget.value })}
                      onBlur={() => touch('stopTimeout')}
                      error={errorFor('stopTimeout')}
                    />
                  </Group>
                  <Section
                    title="Labels"
                    action={
                      <AddRowButton
                        label="Add a label"
                        onClick={() => update({ labels: [...form.labels, { key: '', value: '' }] })}
                      />
                    }
                  >
                    {form.labels.map((l, i) => (
                      <KeyValueRow
                        key={i}
                        what="Label"
                        value={l}
                        onChange={(patch) => setRow('labels', i, patch)}
                        onRemove={() => removeRow('labels', i)}
                      />
                    ))}
                  </Section>
                </Stack>
              </Collapse>
            </Paper>

            <Paper withBorder p="md">
              <CommandPreview commands={formCommand(form)} label="The same with podman" testId="run-command-preview" />
            </Paper>

            {engineError && (
              <Alert color="red" icon={<IconAlertTriangle size={16} />} title="Podman refused" data-testid="run-error">
                <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
                  {engineError.message}
                </Text>
                <Text size="xs" c="dimmed" mt={4}>
                  {engineError.code} · nothing was created
                </Text>
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => navigate('/containers')}>
                Cancel
              </Button>
              <Button
                type="submit"
                leftSection={<IconRocket size={16} />}
                loading={busy}
                disabled={(submitted && !spec) || nameTaken}
                data-testid="run-submit"
              >
                {form.start ? 'Run' : 'Create'}
              </Button>
            </Group>
          </Stack>
        </form>
        <EnvPaste
          opened={pasting}
          onClose={() => setPasting(false)}
          onAdd={(vars) => {
            const byKey = new Map(form.env.filter((e) => e.key.trim()).map((e) => [e.key, e.value]));
            for (const v of vars) byKey.set(v.key, v.value);
            update({ env: [...byKey].map(([key, value]) => ({ key, value })) });
          }}
        />
      </EngineGate>
    </Stack>
  );
}
