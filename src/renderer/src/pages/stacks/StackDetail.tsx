import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Menu,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconArrowBackUp,
  IconArrowLeft,
  IconDots,
  IconDownload,
  IconHammer,
  IconPlayerPlay,
  IconPlayerStop,
  IconRefresh,
  IconRocket,
  IconTerminal2,
  IconTrash,
} from '@tabler/icons-react';
import { useRef, useState } from 'react';
import type { Command } from '../../../../shared/podman-commands';
import { call } from '../../api/client';
import { useLive } from '../../api/live';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EngineGate } from '../../components/ConnectionPanel';
import { notifyDone, notifyError } from '../../components/notify';
import { navigate } from '../../lib/router';
import { ComposeEditor } from './ComposeEditor';
import { LaunchPanel } from './LaunchPanel';
import { PlanView } from './PlanView';
import { ReachableSwitch } from './ReachableSwitch';
import { RemoveStackDialog } from './RemoveStackDialog';
import { ServicesTable } from './ServicesTable';
import { StackCommandsDialog } from './StackCommandsDialog';
import { stackCommands } from './stack-commands';
import { StackLogs } from './StackLogs';
import { StackOptions } from './StackOptions';
import { VariablesForm } from './VariablesForm';
import { startLaunch, useLaunch } from './launches';
import { canLaunch, isUp, sourceLabel, statusColor, statusLabel } from './state';

export function StackDetail({ id }: { id: string }) {
  const { value: stacks, loaded } = useLive('stacks.watch', (s) => s.id);
  const stack = stacks.find((s) => s.id === id);
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['stacks.get', id], queryFn: () => call('stacks.get', { id }), enabled: Boolean(stack) });
  const launch = useLaunch(id);
  // Closing the launch panel gives focus back to Launch.
  const launchButton = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [showingCommands, setShowingCommands] = useState(false);
  const [tab, setTab] = useState<string | null>('services');
  const [focusVariable, setFocusVariable] = useState<string | null>(null);
  const [logService, setLogService] = useState('all');

  const run = async (what: string, title: string, work: () => Promise<unknown>, done?: string, command?: Command) => {
    setBusy(what);
    try {
      await work();
      if (done) notifyDone(done, command);
    } catch (error) {
      notifyError(title, error);
    } finally {
      setBusy(null);
    }
  };
  const refreshDetail = () => queryClient.invalidateQueries({ queryKey: ['stacks.get', id] });

  const back = (
    <Anchor
      href="#/stacks"
      size="sm"
      onClick={(e) => {
        e.preventDefault();
        navigate('/stacks');
      }}
    >
      <Group gap={4}>
        <IconArrowLeft size={14} /> Stacks
      </Group>
    </Anchor>
  );

  if (!stack) {
    return (
      <Stack>
        {back}
        <EngineGate>
          {loaded ? (
            <Alert color="yellow" title={`No stack “${id}”`} data-testid="stack-missing">
              It may have been removed, or it was started by another tool that has since removed it.
            </Alert>
          ) : (
            <Loader size="sm" />
          )}
        </EngineGate>
      </Stack>
    );
  }

  const launching = stack.launching || Boolean(launch?.running);
  const up = isUp(stack) || stack.status === 'partial';
  const hasBuild = stack.services.some((s) => s.build);

  return (
    <Stack data-testid="stack-detail" data-id={stack.id} data-status={stack.status}>
      {back}
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2}>{stack.title}</Title>
            <Badge color={launching ? 'violet' : statusColor[stack.status]} variant="light" data-testid="stack-status">
              {launching ? 'Launching…' : statusLabel[stack.status]}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {sourceLabel[stack.source]} · project <Code>{stack.project}</Code>
            {stack.modified ? ' · your edited version' : ''}
          </Text>
          {stack.description && <Text size="sm">{stack.description}</Text>}
          {detail.data?.reachableFromOtherComputers !== undefined && (
            <Stack mt="xs" maw={640}>
              <ReachableSwitch detail={detail.data} running={stack.status !== 'not-created'} />
            </Stack>
          )}
          {detail.data && (
            <Stack mt="xs" maw={640}>
              <StackOptions detail={detail.data} running={stack.status !== 'not-created'} />
            </Stack>
          )}
        </div>
        <Group gap="xs">
          {canLaunch(stack) && (
            <Tooltip
              label={
                stack.status === 'not-created'
                  ? 'Create and start every service'
                  : 'Apply the file: create what is missing, recreate what changed'
              }
            >
              <Button
                leftSection={<IconRocket size={16} />}
                loading={launching}
                onClick={() => startLaunch(id)}
                data-testid="launch"
                ref={launchButton}
              >
                {stack.status === 'not-created' ? 'Launch' : 'Relaunch'}
              </Button>
            </Tooltip>
          )}
          {!launching && stack.status !== 'not-created' && !up && (
            <Button
              variant="default"
              leftSection={<IconPlayerPlay size={16} />}
              loading={busy === 'start'}
              onClick={() =>
                run(
                  'start',
                  `Could not start ${stack.title}`,
                  () => call('stacks.start', { id }),
                  `${stack.title} started`,
                  stackCommands(stack).start[0],
                )
              }
            >
              Start
            </Button>
          )}
          {!launching && up && (
            <>
              <Button
                variant="default"
                leftSection={<IconPlayerStop size={16} />}
                loading={busy === 'stop'}
                onClick={() =>
                  run(
                    'stop',
                    `Could not stop ${stack.title}`,
                    () => call('stacks.stop', { id }),
                    `${stack.title} stopped`,
                    stackCommands(stack).stop[0],
                  )
                }
                data-testid="stop-stack"
              >
                Stop
              </Button>
              <Button
                variant="default"
                leftSection={<IconRefresh size={16} />}
                loading={busy === 'restart'}
                onClick={() =>
                  run(
                    'restart',
                    `Could not restart ${stack.title}`,
                    () => call('stacks.restart', { id }),
                    `${stack.title} restarted`,
                    stackCommands(stack).restart[0],
                  )
                }
              >
                Restart
              </Button>
            </>
          )}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="default" size="lg" aria-label="More actions" data-testid="stack-menu">
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {hasBuild && canLaunch(stack) && (
                <Menu.Item
                  leftSection={<IconHammer size={14} />}
                  onClick={() => startLaunch(id, { rebuild: true })}
                  disabled={launching}
                >
                  Rebuild images and relaunch
                </Menu.Item>
              )}
              <Menu.Item
                leftSection={<IconTerminal2 size={14} />}
                onClick={() => setShowingCommands(true)}
                data-testid="stack-show-commands"
              >
                Show as podman commands
              </Menu.Item>
              <Menu.Item
                leftSection={<IconDownload size={14} />}
                disabled={stack.status === 'not-created'}
                onClick={() =>
                  run('kube', 'Could not export Kubernetes YAML', async () => {
                    const result = await call('stacks.exportKube', { id, save: true });
                    notifyDone(result.path ? `Kubernetes YAML saved to ${result.path}` : 'Kubernetes YAML not saved');
                  })
                }
              >
                Export Kubernetes YAML
              </Menu.Item>
              {stack.modified && (
                <Menu.Item
                  leftSection={<IconArrowBackUp size={14} />}
                  onClick={() =>
                    run(
                      'revert',
                      'Could not revert',
                      async () => {
                        await call('stacks.revert', { id });
                        await refreshDetail();
                      },
                      'The original file is back',
                    )
                  }
                >
                  Revert to the built-in file
                </Menu.Item>
              )}
              <Menu.Divider />
              <Menu.Item
                color="red"
                leftSection={<IconTrash size={14} />}
                disabled={stack.status === 'not-created' || launching}
                onClick={() => setRemoving(true)}
                data-testid="remove-stack"
              >
                Remove containers and network…
              </Menu.Item>
              {stack.source === 'user' && (
                <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(true)}>
                  Delete this stack’s file…
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>

      {stack.invalid && (
        <Alert color="red" icon={<IconAlertTriangle size={16} />} title="The file has errors: fix them in Compose file">
          {stack.invalid}
        </Alert>
      )}

      <EngineGate>
        <Stack>
          {launch && (
            <LaunchPanel
              id={id}
              state={launch}
              launchButton={launchButton}
              onUseVariable={(name) => {
                setFocusVariable(name);
                setTab('variables');
              }}
            />
          )}
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="services">Services</Tabs.Tab>
              {canLaunch(stack) && <Tabs.Tab value="plan">What launch does</Tabs.Tab>}
              <Tabs.Tab value="logs" disabled={stack.status === 'not-created'}>
                Logs
              </Tabs.Tab>
              {stack.source !== 'external' && <Tabs.Tab value="file">Compose file</Tabs.Tab>}
              {stack.source !== 'external' && <Tabs.Tab value="variables">Variables</Tabs.Tab>}
            </Tabs.List>
            <Tabs.Panel value="services" pt="md">
              <ServicesTable
                stack={stack}
                onLogs={(service) => {
                  setLogService(service);
                  setTab('logs');
                }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="plan" pt="md">
              <PlanView id={id} summary={stack} />
            </Tabs.Panel>
            <Tabs.Panel value="logs" pt="md">
              <StackLogs key={logService} stack={stack} initialService={logService} />
            </Tabs.Panel>
            <Tabs.Panel value="file" pt="md">
              {detail.data ? (
                <ComposeEditor key={detail.data.yaml} detail={detail.data} onSaved={refreshDetail} />
              ) : (
                <Loader size="sm" />
              )}
            </Tabs.Panel>
            <Tabs.Panel value="variables" pt="md">
              {detail.data ? (
                <VariablesForm
                  key={JSON.stringify(detail.data.variables)}
                  detail={detail.data}
                  onSaved={refreshDetail}
                  {...(focusVariable ? { focus: focusVariable } : {})}
                />
              ) : (
                <Loader size="sm" />
              )}
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </EngineGate>

      <RemoveStackDialog stack={stack} stacks={stacks} opened={removing} onClose={() => setRemoving(false)} />
      <StackCommandsDialog stack={stack} opened={showingCommands} onClose={() => setShowingCommands(false)} />
      <ConfirmDialog
        opened={deleting}
        title={`Delete the file of ${stack.title}?`}
        message="PodDesk forgets this Compose file. Its containers, if any, keep running and show under “Started by other tools”; nothing on disk outside PodDesk is touched."
        confirmLabel="Delete file"
        busy={busy === 'delete'}
        onCancel={() => setDeleting(false)}
        onConfirm={() =>
          run('delete', 'Could not delete the stack', async () => {
            await call('stacks.delete', { id });
            setDeleting(false);
            navigate('/stacks');
          })
        }
      />
    </Stack>
  );
}
