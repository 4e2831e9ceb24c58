import { Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { StackSummary } from '../../../../shared/contract';
import type { Command } from '../../../../shared/podman-commands';
import { call } from '../../api/client';
import { CommandPreview } from '../../components/CommandPreview';
import { canLaunch } from './state';
import { stackCommands, type StackCommands } from './stack-commands';

const titled = (cmds: Command[], comment: string) => cmds.map((c, i) => (i === 0 ? { ...c, comment } : c));

/** The stack's commands, from its file (to launch) and its plan (start order, networks), fetched while shown. */
export function useStackCommands(stack: StackSummary, enabled: boolean): StackCommands {
  const own = stack.source !== 'external';
  const detail = useQuery({
    queryKey: ['stacks.get', stack.id],
    queryFn: () => call('stacks.get', { id: stack.id }),
    enabled: enabled && own,
  });
  // Keyed as PlanView keys it, so the two share one answer.
  const plan = useQuery({
    queryKey: ['stacks.plan', stack.id, stack.status, stack.services.map((s) => s.container?.id ?? '').join()],
    queryFn: () => call('stacks.plan', { id: stack.id }),
    enabled: enabled && own && canLaunch(stack),
    staleTime: 0,
  });
  return stackCommands(stack, detail.data, plan.data);
}

/** Every action of a stack as its command, in one place. */
export function StackCommandsDialog({ stack, opened, onClose }: { stack: StackSummary; opened: boolean; onClose: () => void }) {
  const cmds = useStackCommands(stack, opened);
  const all = [
    ...titled(cmds.launch, 'Launch: make the network, the volumes and the containers from the file, and start them'),
    ...titled(cmds.start, 'Start'),
    ...titled(cmds.stop, 'Stop'),
    ...titled(cmds.restart, 'Restart'),
    ...titled(cmds.remove(false), 'Remove the containers and the network (the volumes stay)'),
    ...titled(cmds.remove(true), 'Remove, and delete the data in the volumes too'),
    ...titled(cmds.down(false), 'Or remove with podman-compose (the volumes stay)'),
    ...titled(cmds.down(true), 'Or remove with podman-compose, and delete the data in the volumes too'),
  ];
  return (
    <Modal opened={opened} onClose={onClose} title={`${stack.title} as commands`} size="xl" centered>
      <Stack data-testid="stack-commands">
        <Text size="sm">
          Launching reads the Compose file, which is podman-compose’s job. Once the containers exist, plain podman starts, stops
          and removes them by name, as PodDesk does (PodDesk also waits for health checks).
        </Text>
        {stack.status === 'not-created' && <Text size="sm">Launch it once to see the commands for its containers.</Text>}
        <CommandPreview label="Commands" notes={cmds.notes} commands={all} />
      </Stack>
    </Modal>
  );
}
