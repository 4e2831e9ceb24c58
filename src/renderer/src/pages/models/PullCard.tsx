import { ActionIcon, Alert, Button, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { IconPlayerStop, IconRefresh, IconX } from '@tabler/icons-react';
import { formatBytes } from '../../lib/format';
import { cancelPull, dismissPull, startPull, type PullState } from './pulls';

/** What Ollama takes as a model name (ollama.com/library): llama3.2:3b, qwen3:0.6b, user/model. */
export const MODEL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_./:-]*$/;

/** One pull: its progress, Cancel while it runs, Resume or Retry after, Dismiss when over. */
export function PullCard({ pull }: { pull: PullState }) {
  const p = pull.progress;
  const percent = p && p.total > 0 ? (p.completed / p.total) * 100 : 0;
  return (
    <Card withBorder padding="sm" data-testid="pull" data-name={pull.name} data-state={pull.state}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={500}>{pull.name}</Text>
          <Group gap={4}>
            {pull.state === 'running' && (
              <Button
                size="xs"
                variant="default"
                leftSection={<IconPlayerStop size={14} />}
                onClick={() => cancelPull(pull.name)}
              >
                Cancel
              </Button>
            )}
            {(pull.state === 'failed' || pull.state === 'cancelled') && (
              <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} onClick={() => startPull(pull.name)}>
                {pull.state === 'cancelled' ? 'Resume' : 'Retry'}
              </Button>
            )}
            {pull.state !== 'running' && (
              <ActionIcon variant="subtle" aria-label="Dismiss" onClick={() => dismissPull(pull.name)}>
                <IconX size={16} />
              </ActionIcon>
            )}
          </Group>
        </Group>
        {pull.state !== 'failed' && (
          <Progress
            value={pull.state === 'done' ? 100 : percent}
            animated={pull.state === 'running'}
            aria-label={`Download of ${pull.name}`}
            data-testid="pull-progress"
          />
        )}
        <Text size="xs" c="dimmed" data-testid="pull-status">
          {pull.state === 'done'
            ? `Done · ${formatBytes(p?.total ?? 0)}`
            : pull.state === 'cancelled'
              ? `Cancelled at ${formatBytes(p?.completed ?? 0)} of ${formatBytes(p?.total ?? 0)} — Resume continues from there`
              : p
                ? `${formatBytes(p.completed)} of ${p.total ? formatBytes(p.total) : '…'}${p.bytesPerSecond > 0 ? ` · ${formatBytes(p.bytesPerSecond)}/s` : ''} · ${p.status}`
                : 'Starting…'}
        </Text>
        {pull.state === 'failed' && (
          <Alert color="red" p="xs" data-testid="pull-error">
            {pull.error?.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
