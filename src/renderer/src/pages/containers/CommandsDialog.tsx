import { Alert, Loader, Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ContainerSummary } from '../../../../shared/contract';
import {
  execCommand,
  logsCommand,
  removeCommand,
  restartCommand,
  runCommand,
  startCommand,
  stopCommand,
  type Command,
} from '../../../../shared/podman-commands';
import { call } from '../../api/client';
import { CommandPreview } from '../../components/CommandPreview';

const withComment = (cmd: Command, comment: string): Command => ({ ...cmd, comment });

/**
 * "Show as podman run": the command that would make this container again (rebuilt in main from
 * its inspect, leaving out what the image and Podman fill in), and the everyday commands for it.
 */
export function CommandsDialog({ target, onClose }: { target: ContainerSummary | null; onClose: () => void }) {
  const rebuilt = useQuery({
    queryKey: ['containers.runCommand', target?.id],
    queryFn: () => call('containers.runCommand', { id: target!.id }),
    enabled: target !== null,
    staleTime: 0,
    gcTime: 0,
  });
  const name = target?.name ?? '';
  return (
    <Modal opened={target !== null} onClose={onClose} title={`${name} as podman commands`} size="xl" centered>
      <Stack data-testid="commands-dialog">
        <Text size="sm">
          This command makes the same container again — after <code>podman rm {name}</code>, or with another <code>--name</code>.
          What the image or Podman sets by itself is left out.
        </Text>
        {rebuilt.isPending ? (
          <Loader size="sm" aria-label="Reading the container" />
        ) : rebuilt.error ? (
          <Alert color="red" title="Could not read the container">
            {rebuilt.error.message}
          </Alert>
        ) : (
          <CommandPreview
            label="Show as podman run"
            commands={runCommand(rebuilt.data!.spec)}
            notes={rebuilt.data!.notes}
            testId="rebuilt-run"
          />
        )}
        {target && (
          <CommandPreview
            label="Day to day"
            testId="everyday-commands"
            commands={[
              withComment(startCommand(name), 'Start it'),
              withComment(stopCommand(name), 'Stop it (SIGTERM, then SIGKILL after 10 seconds)'),
              withComment(restartCommand(name), 'Restart it'),
              withComment(logsCommand(name), 'Follow its output (Ctrl+C to stop following)'),
              withComment(execCommand(name), 'A shell inside it (exit to leave)'),
              withComment(removeCommand(name, { force: true }), 'Remove it, stopping it first (named volumes stay)'),
            ]}
          />
        )}
      </Stack>
    </Modal>
  );
}
