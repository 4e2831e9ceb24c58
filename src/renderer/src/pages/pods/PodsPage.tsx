import '../../styles/app.css';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlayerPlay, IconPlayerStop, IconPlus, IconRefresh, IconTopologyRing3, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { containerName, portSpec, type ContainerSummary, type PodSummary } from '../../../../shared/contract';
import { call, type CallError } from '../../api/client';
import { useEngineReady } from '../../api/connection';
import { useLive } from '../../api/live';
import {
  podCreateCommands,
  podRemoveCommand,
  podRestartCommand,
  podStartCommand,
  podStopCommand,
} from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { AddRowButton, emptyPortRow, PortRow, type PortRowValue } from '../../components/RowEditors';
import { EngineGate } from '../../components/ConnectionPanel';
import { PageHeader } from '../../components/PageHeader';
import { notifyDone, notifyError } from '../../components/notify';
import { timeAgo } from '../../lib/format';
import { navigate, useRoute } from '../../lib/router';
import { Ports } from '../containers/ContainerRow';
import { stateColor } from '../containers/state';

const podColor: Record<PodSummary['state'], string> = {
  running: 'teal',
  degraded: 'yellow',
  stopped: 'gray',
  exited: 'gray',
  paused: 'yellow',
  created: 'blue',
  dead: 'red',
  unknown: 'gray',
};

/** The ports the chosen containers publish now, as rows the pod takes over (none already listed twice). */
function portsOf(containers: ContainerSummary[], ids: string[], current: PortRowValue[]): PortRowValue[] {
  const known = new Set(current.map((p) => `${p.hostPort}/${p.protocol}`));
  const added: PortRowValue[] = [];
  for (const c of containers.filter((x) => ids.includes(x.id)))
    for (const p of c.ports.filter((x) => x.hostPort > 0)) {
      const key = `${p.hostPort}/${p.protocol}`;
      if (known.has(key)) continue;
      known.add(key);
      added.push({
        hostIp: p.hostIp === '0.0.0.0' ? '' : p.hostIp,
        hostPort: String(p.hostPort),
        containerPort: String(p.containerPort),
        protocol: p.protocol === 'udp' ? 'udp' : 'tcp',
      });
    }
  return [...current, ...added];
}

function CreatePodDialog({
  opened,
  onClose,
  containers,
  initial = [],
}: {
  opened: boolean;
  onClose: () => void;
  containers: ContainerSummary[];
  /** Containers chosen before the dialog opened (the Containers page's selection). */
  initial?: string[];
}) {
  const candidates = containers.filter((c) => !c.pod && !c.isInfra);
  const [from, setFrom] = useState<string[]>(() => initial.filter((id) => candidates.some((c) => c.id === id)));
  const [name, setName] = useState('');
  const [ports, setPorts] = useState<PortRowValue[]>(() => portsOf(candidates, from, []));
  const [start, setStart] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const nameCheck = containerName.safeParse(name);
  const parsedPorts = ports.map((p) =>
    portSpec.safeParse({
      hostIp: p.hostIp.trim(),
      hostPort: Number(p.hostPort || 0),
      containerPort: Number(p.containerPort),
      protocol: p.protocol,
    }),
  );
  const valid = nameCheck.success && parsedPorts.every((p) => p.success);

  const pick = (ids: string[]) => {
    setFrom(ids);
    // Prefill the pod's ports with what the chosen containers publish now.
    setPorts((current) => portsOf(candidates, ids, current));
  };
  const submit = async () => {
    if (!valid || !nameCheck.success) return;
    setBusy(true);
    setError(null);
    try {
      const created = await call('pods.create', {
        name: nameCheck.data,
        ports: parsedPorts.map((p) => p.data!),
        containers: from,
        start,
      });
      notifyDone(
        `Created pod ${nameCheck.data}${created.containers.length ? ` with ${created.containers.length} container(s)` : ''}`,
      );
      setName('');
      setPorts([]);
      setFrom([]);
      onClose();
    } catch (err) {
      setError(err as CallError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Create a pod" size="lg" centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            Containers in a pod share one network namespace (they reach each other on localhost) and the pod’s published ports.
          </Text>
          <TextInput
            label="Name"
            data-autofocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={name && !nameCheck.success ? nameCheck.error.issues[0]?.message : null}
            data-testid="pod-name"
          />
          <MultiSelect
            label="Copy containers into it (optional)"
            description="Each becomes a copy in the pod (same image, command, environment, mounts); the originals are stopped, not removed, so the pod can take their ports."
            data={candidates.map((c) => ({ value: c.id, label: c.name }))}
            value={from}
            onChange={pick}
            searchable
            clearable
          />
          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                Published ports
              </Text>
              <AddRowButton
                compact
                label="Add a port"
                testId="pod-add-port"
                onClick={() => setPorts((p) => [...p, emptyPortRow()])}
              />
            </Group>
            {ports.map((p, i) => {
              const issue = parsedPorts[i] && !parsedPorts[i].success ? parsedPorts[i].error.issues[0] : undefined;
              const errorOf = (field: string) => (issue?.path[0] === field ? issue.message : undefined);
              return (
                <PortRow
                  key={i}
                  size="xs"
                  value={p}
                  onChange={(patch) => setPorts((all) => all.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
                  onRemove={() => setPorts((all) => all.filter((_, j) => j !== i))}
                  errors={{ hostIp: errorOf('hostIp'), hostPort: errorOf('hostPort'), containerPort: errorOf('containerPort') }}
                />
              );
            })}
          </Stack>
          <Switch label="Start it now" checked={start} onChange={(e) => setStart(e.currentTarget.checked)} />
          <CommandPreview
            commands={
              valid && nameCheck.success
                ? podCreateCommands({
                    name: nameCheck.data,
                    ports: parsedPorts.map((p) => p.data!),
                    containers: from.map((id) => candidates.find((c) => c.id === id)?.name ?? id),
                    start,
                  })
                : null
            }
          />
          {error && (
            <Alert color="red" title="Podman refused" data-testid="pod-error">
              <Text size="sm" ff="monospace">
                {error.message}
              </Text>
              <Text size="xs" c="dimmed">
                {error.code} · nothing was left behind
              </Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!valid} data-testid="pod-create">
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function PodsPage() {
  const ready = useEngineReady();
  const pods = useLive('pods.watch', (p) => p.id);
  const containers = useLive('containers.watch', (c) => c.id);
  const [creating, setCreating] = useState(false);
  // #/pods/new?from=id,id — the Containers page's "Make a pod" with its selection.
  const [route, search] = useRoute().split('?') as [string, string | undefined];
  const fromSelection = route === '/pods/new' ? (new URLSearchParams(search ?? '').get('from') ?? '') : null;
  const [removing, setRemoving] = useState<PodSummary | null>(null);
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const byId = useMemo(() => new Map(containers.value.map((c) => [c.id, c])), [containers.value]);
  const sorted = useMemo(() => [...pods.value].sort((a, b) => a.name.localeCompare(b.name)), [pods.value]);

  const act = async (pod: PodSummary, what: 'start' | 'stop' | 'restart') => {
    setBusy((b) => ({ ...b, [pod.id]: true }));
    try {
      await call(`pods.${what}`, { id: pod.id });
      const commands = { start: podStartCommand, stop: podStopCommand, restart: podRestartCommand };
      notifyDone(
        `${what === 'start' ? 'Started' : what === 'stop' ? 'Stopped' : 'Restarted'} ${pod.name}`,
        commands[what](pod.name),
      );
    } catch (error) {
      notifyError(`Could not ${what} ${pod.name}`, error);
    } finally {
      setBusy((b) => ({ ...b, [pod.id]: false }));
    }
  };

  return (
    <Stack>
      <PageHeader
        title="Pods"
        summary={
          ready && pods.loaded && `${pods.value.filter((p) => p.state === 'running').length} running of ${pods.value.length}`
        }
      >
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="open-create-pod">
          Create a pod
        </Button>
      </PageHeader>
      <EngineGate>
        {pods.loaded && pods.value.length === 0 ? (
          <Stack align="center" py="xl" gap="xs" data-testid="empty-pods">
            <IconTopologyRing3 size={32} stroke={1.4} />
            <Text fw={500}>No pods yet</Text>
            <Text c="dimmed" size="sm" maw={520} ta="center">
              A pod groups containers that share a network (they talk over localhost) and published ports, like a Kubernetes pod.
            </Text>
          </Stack>
        ) : (
          <Stack gap="sm" data-testid="pods-list">
            {sorted.map((pod) => {
              const infra = pod.infraId ? byId.get(pod.infraId) : undefined;
              const members = pod.containers.filter((c) => c.id !== pod.infraId);
              const running = pod.state === 'running' || pod.state === 'degraded';
              return (
                <Paper key={pod.id} withBorder p="md" data-testid="pod-row" data-name={pod.name} data-state={pod.state}>
                  <Group justify="space-between" align="flex-start">
                    <Stack gap={6}>
                      <Group gap="sm">
                        <IconTopologyRing3 size={18} />
                        <Text fw={600}>{pod.name}</Text>
                        <Badge color={podColor[pod.state]} variant="light" data-testid="pod-state">
                          {pod.status}
                        </Badge>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {pod.id.slice(0, 12)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          created {timeAgo(pod.created)}
                        </Text>
                      </Group>
                      <Group gap="xs">
                        <Text size="sm" c="dimmed">
                          Ports
                        </Text>
                        {infra ? (
                          <Ports container={infra} />
                        ) : (
                          <Text size="sm" c="dimmed">
                            —
                          </Text>
                        )}
                      </Group>
                    </Stack>
                    <Group gap={4}>
                      {running ? (
                        <Tooltip label="Stop the pod">
                          <ActionIcon
                            variant="subtle"
                            loading={busy[pod.id]}
                            onClick={() => act(pod, 'stop')}
                            aria-label={`Stop ${pod.name}`}
                          >
                            <IconPlayerStop size={18} />
                          </ActionIcon>
                        </Tooltip>
                      ) : (
                        <Tooltip label="Start the pod">
                          <ActionIcon
                            variant="subtle"
                            color="teal"
                            loading={busy[pod.id]}
                            onClick={() => act(pod, 'start')}
                            aria-label={`Start ${pod.name}`}
                          >
                            <IconPlayerPlay size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      <Tooltip label="Restart the pod">
                        <ActionIcon
                          variant="subtle"
                          disabled={!running || busy[pod.id]}
                          onClick={() => act(pod, 'restart')}
                          aria-label={`Restart ${pod.name}`}
                        >
                          <IconRefresh size={18} />
                        </ActionIcon>
                      </Tooltip>
                      <Tooltip label="Remove the pod">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => setRemoving(pod)}
                          aria-label={`Remove ${pod.name}`}
                        >
                          <IconTrash size={18} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Group>
                  {members.length > 0 ? (
                    <Table mt="sm" verticalSpacing={4} withRowBorders={false}>
                      <Table.Tbody>
                        {members.map((m) => {
                          const c = byId.get(m.id);
                          return (
                            <Table.Tr key={m.id}>
                              <Table.Td w="40%">
                                <Anchor component="button" size="sm" onClick={() => navigate(`/containers/${m.id}`)}>
                                  {m.name}
                                </Anchor>
                              </Table.Td>
                              <Table.Td>
                                <Text size="sm" c="dimmed" truncate>
                                  {c?.image ?? ''}
                                </Text>
                              </Table.Td>
                              <Table.Td w={140}>
                                <Badge size="sm" variant="light" color={c ? stateColor[c.state] : 'gray'}>
                                  {c?.state ?? m.state}
                                </Badge>
                              </Table.Td>
                            </Table.Tr>
                          );
                        })}
                      </Table.Tbody>
                    </Table>
                  ) : (
                    <Text size="sm" c="dimmed" mt="sm">
                      No containers yet: run one with this pod chosen, or copy containers in when creating a pod.
                    </Text>
                  )}
                </Paper>
              );
            })}
          </Stack>
        )}
      </EngineGate>
      <CreatePodDialog
        key={fromSelection ?? ''}
        opened={creating || fromSelection !== null}
        onClose={() => {
          setCreating(false);
          if (fromSelection !== null) navigate('/pods');
        }}
        containers={containers.value}
        initial={fromSelection ? fromSelection.split(',') : []}
      />
      <ConfirmDialog
        opened={removing !== null}
        title={`Remove the pod ${removing?.name ?? ''}?`}
        message={
          removing && removing.containers.filter((c) => c.id !== removing.infraId).length > 0
            ? `Its ${removing.containers.filter((c) => c.id !== removing.infraId).length} container(s) are removed with it. Named volumes are kept.`
            : 'The pod is removed. Named volumes are kept.'
        }
        confirmLabel={force ? 'Stop and remove' : 'Remove'}
        onCancel={() => {
          setRemoving(null);
          setForce(false);
        }}
        onConfirm={() => {
          if (!removing) return;
          const pod = removing;
          setRemoving(null);
          call('pods.remove', { id: pod.id, force: force || pod.state === 'running' || pod.state === 'degraded' })
            .then(() => notifyDone(`Removed ${pod.name}`))
            .catch((error: unknown) => notifyError(`Could not remove ${pod.name}`, error))
            .finally(() => setForce(false));
        }}
      >
        {removing && (removing.state === 'running' || removing.state === 'degraded') ? (
          <Text size="sm" c="dimmed">
            It is running: its containers are stopped first.
          </Text>
        ) : (
          <Checkbox
            label="Force (also if something still runs)"
            checked={force}
            onChange={(e) => setForce(e.currentTarget.checked)}
          />
        )}
        {removing && (
          <CommandPreview
            commands={podRemoveCommand(removing.name, force || removing.state === 'running' || removing.state === 'degraded')}
          />
        )}
      </ConfirmDialog>
    </Stack>
  );
}
