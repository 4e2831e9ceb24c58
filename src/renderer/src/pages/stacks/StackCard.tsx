import { Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconPlayerStop, IconRocket } from '@tabler/icons-react';
import { useState } from 'react';
import type { StackSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyError } from '../../components/notify';
import { navigate } from '../../lib/router';
import { startLaunch, useLaunch } from './launches';
import { OpenLink } from './OpenLink';
import { canLaunch, isUp, serviceState, sourceLabel, statusColor, statusLabel } from './state';

export function StackCard({ stack }: { stack: StackSummary }) {
  const launch = useLaunch(stack.id);
  const [stopping, setStopping] = useState(false);
  const launching = stack.launching || Boolean(launch?.running);
  const open = () => navigate(`/stacks/${encodeURIComponent(stack.id)}`);

  const stop = async () => {
    setStopping(true);
    try {
      await call('stacks.stop', { id: stack.id });
    } catch (error) {
      notifyError(`Could not stop ${stack.title}`, error);
    } finally {
      setStopping(false);
    }
  };

  return (
    <Card withBorder padding="md" data-testid="stack-card" data-id={stack.id} data-status={stack.status}>
      <Stack gap="sm" h="100%">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Anchor
              fw={600}
              size="lg"
              href={`#/stacks/${encodeURIComponent(stack.id)}`}
              onClick={(e) => {
                e.preventDefault();
                open();
              }}
            >
              {stack.title}
            </Anchor>
            <Text size="xs" c="dimmed" ff="monospace">
              {stack.project} · {sourceLabel[stack.source]}
              {stack.modified ? ' · edited' : ''}
            </Text>
          </div>
          <Badge color={launching ? 'violet' : statusColor[stack.status]} variant="light" data-testid="stack-status">
            {launching ? 'Launching…' : statusLabel[stack.status]}
          </Badge>
        </Group>
        {stack.description && (
          <Text size="sm" c="dimmed">
            {stack.description}
          </Text>
        )}
        {stack.invalid && (
          <Text size="sm" c="red">
            {stack.invalid}
          </Text>
        )}
        <Stack gap={6} style={{ flex: 1 }}>
          {stack.services.map((s) => {
            const state = serviceState(s);
            return (
              <Group key={s.name} justify="space-between" wrap="nowrap" gap="xs" data-testid="card-service" data-service={s.name}>
                <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
                  <Badge size="sm" variant="dot" color={state.color} style={{ flexShrink: 0 }}>
                    {state.text}
                  </Badge>
                  <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
                    {s.title ?? s.name}
                  </Text>
                  <Text size="xs" c="dimmed" truncate="end" title={s.image}>
                    {s.build ? 'built from a folder' : s.image}
                  </Text>
                </Group>
                <Group gap={4} wrap="nowrap">
                  {s.links.map((l) => (
                    <OpenLink key={l.url} link={l} size="compact-xs" testId="card-open" />
                  ))}
                </Group>
              </Group>
            );
          })}
        </Stack>
        <Group justify="space-between">
          <Group gap="xs">
            {canLaunch(stack) && !isUp(stack) && (
              <Button
                size="xs"
                leftSection={<IconRocket size={14} />}
                loading={launching}
                onClick={() => {
                  startLaunch(stack.id);
                  open();
                }}
                data-testid="card-launch"
              >
                Launch
              </Button>
            )}
            {(isUp(stack) || stack.status === 'partial') && (
              <Button size="xs" variant="default" leftSection={<IconPlayerStop size={14} />} loading={stopping} onClick={stop}>
                Stop
              </Button>
            )}
          </Group>
          <Button size="xs" variant="subtle" onClick={open}>
            Details
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
