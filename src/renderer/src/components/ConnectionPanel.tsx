import { Alert, Anchor, Button, Card, Code, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import type { ConnectionStatus } from '../../../shared/contract';
import { call } from '../api/client';
import { useConnection } from '../api/connection';
import { navigate } from '../lib/router';
import { HostKeyCheck } from './HostKeyCheck';
import { notifyError } from './notify';

function Steps({ status }: { status: Extract<ConnectionStatus, { hint: unknown }> }) {
  return (
    <Stack gap="xs">
      <Text fw={500}>{status.hint.title}</Text>
      <List type="ordered" spacing={4}>
        {status.hint.steps.map((step) => (
          <List.Item key={step}>
            <Code>{step}</Code>
          </List.Item>
        ))}
      </List>
      <Anchor href={status.hint.url} target="_blank" rel="noreferrer" size="sm">
        Installation guide on podman.io
      </Anchor>
    </Stack>
  );
}

/**
 * What to do when Podman is not there: each state with its next step. Pages that need the engine
 * show this in place of their content.
 */
export function ConnectionPanel() {
  const status = useConnection();
  const [busy, setBusy] = useState<'start' | 'retry' | null>(null);

  const run = (what: 'start' | 'retry') => async () => {
    setBusy(what);
    try {
      await call(what === 'start' ? 'connection.start' : 'connection.retry');
    } catch (error) {
      notifyError(what === 'start' ? 'Could not start Podman' : 'Could not connect', error);
    } finally {
      setBusy(null);
    }
  };

  let body: ReactNode;
  switch (status.state) {
    case 'searching':
    case 'starting':
      body = (
        <Group>
          <Loader size="sm" />
          <Text>{status.state === 'searching' ? 'Looking for Podman on this computer…' : status.message}</Text>
        </Group>
      );
      break;
    case 'not-installed':
      body = (
        <Stack>
          <Title order={3}>Podman is not installed</Title>
          <Text c="dimmed">PodDesk runs your containers with Podman. Install it, then press Retry.</Text>
          <Steps status={status} />
        </Stack>
      );
      break;
    case 'not-running':
      body = (
        <Stack>
          <Title order={3}>Podman is installed but not running</Title>
          <Text c="dimmed">
            Found <Code>{status.podmanPath || 'podman'}</Code>, but no Podman service answers. PodDesk can start it for you with{' '}
            <Code>{status.startAction}</Code>.
          </Text>
          {status.lastError && (
            <Alert color="orange" icon={<IconAlertTriangle size={16} />} title="Last error">
              {status.lastError}
            </Alert>
          )}
          <Group>
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              loading={busy === 'start'}
              onClick={run('start')}
              data-testid="start-podman"
            >
              Start Podman
            </Button>
            <Button variant="default" leftSection={<IconRefresh size={16} />} loading={busy === 'retry'} onClick={run('retry')}>
              Retry
            </Button>
            <Button variant="subtle" onClick={() => navigate('/settings')}>
              Choose a connection…
            </Button>
          </Group>
          {status.tried.length > 0 && (
            <Text size="sm" c="dimmed">
              Tried: {status.tried.map((c) => c.label).join(', ')}
            </Text>
          )}
        </Stack>
      );
      break;
    case 'lost':
      body = (
        <Group>
          <Loader size="sm" color="yellow" />
          <Text>
            The connection to Podman was lost ({status.lastError}). Reconnecting, attempt {status.attempt}…
          </Text>
        </Group>
      );
      break;
    case 'host-key':
      body = <HostKeyCheck status={status} />;
      break;
    case 'connected':
      return null;
  }
  return (
    <Card withBorder padding="xl" maw={720} data-testid="connection-panel">
      {body}
      {status.state === 'not-installed' && (
        <Group mt="md">
          <Button variant="default" leftSection={<IconRefresh size={16} />} loading={busy === 'retry'} onClick={run('retry')}>
            Retry
          </Button>
        </Group>
      )}
    </Card>
  );
}

/** Renders its children while Podman is (or was just) reachable; otherwise the next step. */
export function EngineGate({ children }: { children: ReactNode }) {
  const status = useConnection();
  if (status.state === 'connected') return <>{children}</>;
  if (status.state === 'lost')
    return (
      <Stack>
        <Alert color="yellow" icon={<Loader size={14} color="yellow" />} title="Reconnecting to Podman" data-testid="lost-banner">
          {status.lastError}. What you see may be out of date until the connection is back.
        </Alert>
        {children}
      </Stack>
    );
  return <ConnectionPanel />;
}
