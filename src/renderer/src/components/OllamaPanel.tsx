import { Alert, Anchor, Button, Card, Code, Group, List, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconPlayerPlay, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { call } from '../api/client';
import { useOllamaStatus } from '../api/ollama';
import { navigate } from '../lib/router';
import { LaunchPanel } from '../pages/stacks/LaunchPanel';
import { startLaunch, useLaunch } from '../pages/stacks/launches';
import { notifyError } from './notify';

/** Ollama cannot be reached: what was tried, and the next steps (the Ollama stack, a native install, an address). */
export function OllamaPanel({ compact = false }: { compact?: boolean }) {
  const status = useOllamaStatus();
  const [busy, setBusy] = useState(false);
  const [host, setHost] = useState('');
  const queryClient = useQueryClient();
  // The Ollama stack launched from here: its progress shows in the panel; once up, Ollama is looked for again.
  const launch = useLaunch('ollama');
  const launchedHere = useRef(false);
  const launchButton = useRef<HTMLButtonElement>(null);

  const retry = async () => {
    setBusy(true);
    try {
      await call('ollama.retry');
      await queryClient.invalidateQueries({ queryKey: ['ollama.models'] });
    } catch (error) {
      notifyError('Could not look for Ollama', error);
    } finally {
      setBusy(false);
    }
  };
  const saveHost = async () => {
    try {
      await call('settings.update', { ollamaHost: host.trim() === '' ? null : host.trim() });
      await retry();
    } catch (error) {
      notifyError('Not a usable address', error);
    }
  };

  useEffect(() => {
    if (launchedHere.current && launch?.done) {
      launchedHere.current = false;
      void retry();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [launch?.done]);

  if (status.state === 'searching')
    return (
      <Group data-testid="ollama-panel" data-state="searching">
        <Loader size="sm" />
        <Text>Looking for Ollama…</Text>
      </Group>
    );
  if (status.state === 'reachable') return null;

  const steps: ReactNode = (
    <Stack gap="xs">
      <Text fw={500}>Or install Ollama on this computer</Text>
      <List spacing={4} size="sm">
        <List.Item>
          Linux: <Code>curl -fsSL https://ollama.com/install.sh | sh</Code>, then <Code>ollama serve</Code>
        </List.Item>
        <List.Item>
          macOS and Windows: the installer from{' '}
          <Anchor href="https://ollama.com/download" target="_blank" rel="noreferrer">
            ollama.com/download
          </Anchor>
        </List.Item>
        <List.Item>
          With Podman by hand: <Code>podman run -d -p 11434:11434 -v ollama:/root/.ollama docker.io/ollama/ollama</Code>
        </List.Item>
      </List>
    </Stack>
  );

  return (
    <Card withBorder padding={compact ? 'md' : 'xl'} maw={760} data-testid="ollama-panel" data-state="unreachable">
      <Stack>
        <Title order={3}>Ollama is not running</Title>
        <Text c="dimmed">
          Local models run in Ollama. PodDesk can start it for you as a container (the Ollama stack), with its models kept in a
          volume.
        </Text>
        {status.containerHint && <Alert color="orange">{status.containerHint}</Alert>}
        <Group>
          <Button
            leftSection={<IconPlayerPlay size={16} />}
            onClick={() => {
              launchedHere.current = true;
              startLaunch('ollama');
            }}
            loading={launch?.running}
            data-testid="launch-ollama-stack"
            ref={launchButton}
          >
            Launch the Ollama stack
          </Button>
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={busy}
            onClick={() => void retry()}
            data-testid="ollama-retry"
          >
            Retry
          </Button>
        </Group>
        {launch && (
          <LaunchPanel id="ollama" state={launch} onUseVariable={() => navigate('/stacks/ollama')} launchButton={launchButton} />
        )}
        {!compact && steps}
        {!compact && (
          <Group align="end">
            <TextInput
              label="Ollama elsewhere? Its address"
              placeholder="http://192.168.1.20:11434"
              value={host}
              onChange={(e) => setHost(e.currentTarget.value)}
              w={320}
            />
            <Button variant="default" onClick={() => void saveHost()}>
              Use this address
            </Button>
          </Group>
        )}
        {status.tried.length > 0 && (
          <Text size="xs" c="dimmed" data-testid="ollama-tried">
            Tried: {status.tried.map((t) => `${t.host} (${t.label}: ${t.error})`).join(' · ')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
