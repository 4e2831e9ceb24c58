import { ActionIcon, Alert, Anchor, Button, Chip, Code, Group, NativeSelect, Radio, Stack, Text, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconFilePlus, IconInfoCircle, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { StackDetail } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';

/**
 * What a stack is launched with besides its file: the Compose profiles turned on, the override
 * files merged over it (docker compose -f … -f …), for the Ollama stacks the GPU, and how its
 * containers are named. Each choice is kept with the stack; a relaunch applies it.
 */
export function StackOptions({ detail, running }: { detail: StackDetail; running: boolean }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const save = async (what: string, work: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(what);
    try {
      await work();
      await queryClient.invalidateQueries({ queryKey: ['stacks.get', detail.id] });
      await queryClient.invalidateQueries({ queryKey: ['stacks.plan', detail.id] });
      if (running) notifyDone('Saved. Relaunch to apply it.');
    } catch (error) {
      notifyError('Not changed', error);
    } finally {
      setBusy(null);
    }
  };
  const profiles = detail.profiles ?? [];
  const overrides = detail.overrideFiles ?? [];
  const userOverrides = overrides.filter((f) => f.origin === 'user');
  const editable = detail.source !== 'external';
  if (!editable) return null;

  return (
    <Stack gap="sm" data-testid="stack-options">
      {profiles.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="profiles-label">
            Profiles
          </Text>
          <Text size="xs" c="dimmed">
            Services with a profile start only when it is on. Start one from the Services tab to run it anyway.
          </Text>
          <Chip.Group
            multiple
            value={profiles.filter((p) => p.active).map((p) => p.name)}
            onChange={(value) => void save('profiles', () => call('stacks.setProfiles', { id: detail.id, profiles: value }))}
          >
            <Group gap="xs" role="group" aria-labelledby="profiles-label">
              {profiles.map((p) => (
                <Chip
                  key={p.name}
                  value={p.name}
                  size="sm"
                  wrapperProps={{ 'data-testid': 'profile-chip', 'data-profile': p.name, 'data-active': String(p.active) }}
                >
                  {p.name}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Stack>
      )}

      {detail.gpu && (
        <GpuChoice
          detail={detail}
          busy={busy === 'gpu'}
          onChange={(gpu) => void save('gpu', () => call('stacks.setGpu', { id: detail.id, gpu }))}
        />
      )}

      <ContainerNames
        detail={detail}
        onChange={(naming) => void save('names', () => call('stacks.setContainerNames', { id: detail.id, naming }))}
        busy={busy === 'names'}
      />

      {(detail.source === 'user' || overrides.length > 0) && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Override files
          </Text>
          {overrides.length === 0 ? (
            <Text size="xs" c="dimmed">
              None. An override file is a Compose file merged over this one, as <Code>docker compose -f</Code> merges it.
            </Text>
          ) : (
            <Stack gap={2} data-testid="override-files">
              {overrides.map((f) => {
                const index = userOverrides.indexOf(f);
                return (
                  <Group key={f.path} gap="xs" wrap="nowrap">
                    <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {f.path}
                    </Text>
                    {f.origin === 'auto' ? (
                      <Text size="xs" c="dimmed">
                        (found beside the file: merged as docker compose does)
                      </Text>
                    ) : (
                      <Tooltip label="Stop merging this file">
                        <ActionIcon
                          variant="subtle"
                          size="sm"
                          aria-label={`Remove override file ${f.path}`}
                          onClick={() => void save('override', () => call('stacks.removeOverride', { id: detail.id, index }))}
                        >
                          <IconX size={14} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                );
              })}
            </Stack>
          )}
          <Group>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconFilePlus size={14} />}
              loading={busy === 'override'}
              onClick={() => void save('override', () => call('stacks.addOverride', { id: detail.id }))}
              data-testid="add-override"
            >
              Add an override file…
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

function GpuChoice({
  detail,
  busy,
  onChange,
}: {
  detail: StackDetail;
  busy: boolean;
  onChange: (gpu: 'nvidia' | 'amd' | null) => void;
}) {
  const gpu = detail.gpu!;
  const machine = gpu.machine;
  const offered = gpu.offers.filter((v) => !machine || machine[v].present || gpu.chosen === v);
  // The choice appears when the engine's machine has a GPU (or when PodDesk cannot tell).
  if (machine && offered.length === 0) return null;
  const nvidiaWithoutCdi = machine?.nvidia.present && !machine.nvidia.cdi;
  return (
    <Stack gap={4} data-testid="gpu-choice">
      <Radio.Group
        label="Use the GPU"
        description={
          machine
            ? 'Models run much faster on a GPU. A relaunch recreates Ollama with it; the models stay.'
            : 'PodDesk cannot see the devices of this engine’s machine (a Podman machine, WSL or a remote engine): choose a GPU only if it has one.'
        }
        value={gpu.chosen ?? 'none'}
        onChange={(value) => {
          if (!busy) onChange(value === 'none' ? null : (value as 'nvidia' | 'amd'));
        }}
      >
        <Group mt={4} gap="md">
          <Radio value="none" label="No (CPU only)" />
          {offered.includes('nvidia') && (
            <Radio value="nvidia" label="NVIDIA" disabled={Boolean(nvidiaWithoutCdi) && gpu.chosen !== 'nvidia'} />
          )}
          {offered.includes('amd') && <Radio value="amd" label="AMD (ROCm)" />}
        </Group>
      </Radio.Group>
      {nvidiaWithoutCdi && (
        <Alert
          color="yellow"
          icon={<IconInfoCircle size={16} />}
          data-testid="nvidia-cdi-help"
          title="One step before NVIDIA can be used"
        >
          This computer has an NVIDIA GPU, but Podman hands GPUs to containers through the NVIDIA Container Toolkit’s CDI
          specification, which is not installed. Install the{' '}
          <Anchor
            href="https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html"
            target="_blank"
          >
            NVIDIA Container Toolkit
          </Anchor>
          , then run <Code>sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml</Code> and come back here.
        </Alert>
      )}
    </Stack>
  );
}

/**
 * podman-compose 1.x (what Debian and Ubuntu ship) finds a stack's containers by the names it gives
 * them, project_service_1; docker compose finds them by their labels, whatever their names. The
 * user who also runs podman-compose on this stack picks its names.
 */
function ContainerNames({
  detail,
  busy,
  onChange,
}: {
  detail: StackDetail;
  busy: boolean;
  onChange: (naming: 'docker-compose' | 'podman-compose') => void;
}) {
  const service = detail.services[0]?.name ?? 'web';
  return (
    <NativeSelect
      size="xs"
      maw={420}
      label="Container names"
      description="podman-compose (before 1.5) stops and removes containers only by its own names. A relaunch recreates them with the new names; volumes stay."
      value={detail.containerNames ?? 'docker-compose'}
      disabled={busy}
      onChange={(e) => onChange(e.currentTarget.value as 'docker-compose' | 'podman-compose')}
      data={[
        { value: 'docker-compose', label: `Like docker compose: ${detail.project}-${service}-1` },
        { value: 'podman-compose', label: `Like podman-compose: ${detail.project}_${service}_1` },
      ]}
      data-testid="container-names"
    />
  );
}
