import { Button, Card, Group, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Settings, SettingsPatch } from '../../../../shared/contract';
import { call } from '../../api/client';
import { hostLabel, useOllamaStatus } from '../../api/ollama';
import { ollamaAddressProblem } from '../../../../shared/ollama-address';
import { notifyError } from '../../components/notify';
import { VolumeSettings } from '../volumes/VolumeSettings';
import { AddConnection, ConnectionChooser } from './ConnectionSettings';
import { WindowsShortcut } from './WindowsShortcut';

/** Where Ollama is: automatic discovery, or an address the user gives (another machine, a port). */
function OllamaAddress({ settings, save }: { settings: Settings; save: (patch: SettingsPatch) => Promise<unknown> }) {
  const status = useOllamaStatus();
  const [host, setHost] = useState(settings.ollamaHost ?? '');
  const [busy, setBusy] = useState(false);
  // The rule main applies, shown as you type.
  const problem = host.trim() ? ollamaAddressProblem(host) : undefined;
  const apply = async (value: string | null) => {
    setBusy(true);
    try {
      await save({ ollamaHost: value });
      await call('ollama.retry');
    } catch (error) {
      notifyError('Could not use that address', error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder>
      <Stack>
        <Stack gap={2}>
          <Title order={4}>Ollama</Title>
          <Text size="sm" c="dimmed" data-testid="settings-ollama-status">
            {status.state === 'reachable'
              ? `Using ${hostLabel(status)} (Ollama ${status.version})`
              : status.state === 'searching'
                ? 'Looking for Ollama…'
                : 'Not reachable: PodDesk tries your address, OLLAMA_HOST, 127.0.0.1:11434 and running Ollama containers.'}
          </Text>
        </Stack>
        <Group align="flex-end">
          <TextInput
            label="Address"
            placeholder="Automatic"
            description="e.g. http://192.168.1.20:11434 — leave empty to find Ollama automatically"
            value={host}
            onChange={(e) => setHost(e.currentTarget.value)}
            error={problem}
            w={420}
          />
          <Button
            loading={busy}
            disabled={host.trim() === (settings.ollamaHost ?? '') || Boolean(problem)}
            onClick={() => void apply(host.trim() || null)}
          >
            Save
          </Button>
          {settings.ollamaHost && (
            <Button
              variant="default"
              disabled={busy}
              onClick={() => {
                setHost('');
                void apply(null);
              }}
            >
              Automatic
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

export function SettingsPage() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: ['settings.get'], queryFn: () => call('settings.get') });
  const update = useMutation({
    mutationFn: (patch: SettingsPatch) => call('settings.update', patch),
    onSuccess: (next) => queryClient.setQueryData(['settings.get'], next),
    onError: (error) => notifyError('Could not save the setting', error),
  });
  if (!settings.data) return null;
  return (
    <Stack maw={820}>
      <Title order={2}>Settings</Title>
      <ConnectionChooser />
      <AddConnection />
      <OllamaAddress
        settings={settings.data}
        save={async (patch) => queryClient.setQueryData(['settings.get'], await call('settings.update', patch))}
      />
      <Card withBorder>
        <Stack>
          <Switch
            label="Start Podman when it is installed but not running"
            description="PodDesk starts podman system service and stops it again when you quit."
            checked={settings.data.autoStartService}
            onChange={(e) => update.mutate({ autoStartService: e.currentTarget.checked })}
          />
          <Group>
            <Text size="sm">Theme</Text>
            <SegmentedControl
              value={settings.data.theme}
              onChange={(theme) => update.mutate({ theme: theme as Settings['theme'] })}
              data={[
                { value: 'auto', label: 'System' },
                { value: 'light', label: 'Light' },
                { value: 'dark', label: 'Dark' },
              ]}
            />
          </Group>
        </Stack>
      </Card>
      <VolumeSettings settings={settings.data} update={(patch) => update.mutate(patch)} />
      <WindowsShortcut />
    </Stack>
  );
}
