import { Badge, Group, Loader, Text, Tooltip } from '@mantine/core';
import { endpointText, useConnection } from '../api/connection';

/** The header's status: one glance says whether Podman is there. */
export function ConnectionIndicator() {
  const status = useConnection();
  switch (status.state) {
    case 'connected':
      return (
        <Tooltip label={`${status.candidate.label} · ${endpointText(status)}`} withArrow>
          <Badge color="teal" variant="light" data-testid="connection-state" data-state="connected">
            Podman {status.engine.version} · {status.engine.rootless ? 'rootless' : 'rootful'}
          </Badge>
        </Tooltip>
      );
    case 'lost':
      return (
        <Group gap={6}>
          <Loader size={12} color="yellow" />
          <Badge color="yellow" variant="light" data-testid="connection-state" data-state="lost">
            Connection lost — reconnecting
          </Badge>
        </Group>
      );
    case 'searching':
    case 'starting':
      return (
        <Group gap={6}>
          <Loader size={12} />
          <Text size="sm" c="dimmed" data-testid="connection-state" data-state={status.state}>
            {status.state === 'searching' ? 'Looking for Podman…' : 'Starting Podman…'}
          </Text>
        </Group>
      );
    case 'not-running':
      return (
        <Badge color="orange" variant="light" data-testid="connection-state" data-state="not-running">
          Podman is not running
        </Badge>
      );
    case 'host-key':
      return (
        <Badge color="red" variant="light" data-testid="connection-state" data-state="host-key">
          {status.problem.kind === 'unknown' ? 'New ssh host: check its key' : 'ssh host key refused'}
        </Badge>
      );
    case 'not-installed':
      return (
        <Badge color="red" variant="light" data-testid="connection-state" data-state="not-installed">
          Podman is not installed
        </Badge>
      );
  }
}
