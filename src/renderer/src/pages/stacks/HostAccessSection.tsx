import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { HostAccess, HostAccessItem, HostAccessKind } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyError } from '../../components/notify';

const kindLabel: Record<HostAccessKind, string> = {
  mount: 'Folder or file',
  relabel: 'SELinux relabel',
  device: 'Device',
  'env-file': 'Env file',
  'build-context': 'Build folder',
  environment: 'Variable',
  'widens-access': 'Wider access',
};

function Row({ item }: { item: HostAccessItem }) {
  return (
    <Table.Tr data-testid="host-access-item" data-kind={item.kind} data-subject={item.subject}>
      <Table.Td>
        <Text size="sm">{kindLabel[item.kind]}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {item.subject}
          {item.realPath ? ` → ${item.realPath}` : ''}
          {item.target ? ` → ${item.target}` : ''}
        </Text>
        <Text size="xs" c="dimmed">
          {item.note}
        </Text>
      </Table.Td>
      <Table.Td>
        {item.access && (
          <Badge size="sm" variant="light" color={item.access === 'read-write' ? 'orange' : 'gray'}>
            {item.access}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{item.services.length ? item.services.join(', ') : 'whole file'}</Text>
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The plan's "This computer" section: what the stack's containers get from this computer beyond
 * their own volumes. A list not yet confirmed holds the launch back; Confirm accepts exactly the
 * list shown (its fingerprint), so a change made meanwhile is not accepted unseen.
 */
export function HostAccessSection({
  id,
  access,
  confirmLabel = 'Confirm',
  onConfirmed,
}: {
  id: string;
  access: HostAccess;
  confirmLabel?: string;
  onConfirmed?: () => void;
}) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (access.items.length === 0) {
    return (
      <Text size="sm" data-testid="host-access" data-items={0}>
        This computer: nothing beyond the stack’s own volumes.
      </Text>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      await call('stacks.confirmHostAccess', { id, fingerprint: access.fingerprint });
      await queryClient.invalidateQueries({ queryKey: ['stacks.plan', id] });
      onConfirmed?.();
    } catch (error) {
      notifyError('Not confirmed', error);
      await queryClient.invalidateQueries({ queryKey: ['stacks.plan', id] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="host-access"
      data-items={access.items.length}
      data-needs-confirmation={access.needsConfirmation}
    >
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={5}>This computer</Title>
          {access.needsConfirmation ? (
            <Badge color="orange" variant="light">
              Not confirmed yet
            </Badge>
          ) : (
            <Badge color="teal" variant="light" leftSection={<IconShieldCheck size={12} />}>
              Confirmed
            </Badge>
          )}
        </Group>
        <Text size="sm">
          Besides its own volumes, this stack’s containers get these from this computer. Launch only files you trust with them.
        </Text>
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>What</Table.Th>
              <Table.Th>On this computer → in the container</Table.Th>
              <Table.Th>Access</Table.Th>
              <Table.Th>Services</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {access.items.map((item) => (
              <Row key={`${item.kind}:${item.subject}:${item.target ?? ''}:${item.access ?? ''}`} item={item} />
            ))}
          </Table.Tbody>
        </Table>
        {access.needsConfirmation && (
          <Group>
            <Button onClick={confirm} loading={busy} data-testid="confirm-host-access">
              {confirmLabel}
            </Button>
            <Text size="xs" c="dimmed">
              Asked again whenever this list changes.
            </Text>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
