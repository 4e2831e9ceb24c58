import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconShieldCheck } from '@tabler/icons-react';
import type { HostAccess, HostAccessItem, HostAccessKind } from '../../../../shared/contract';
import { call } from '../../api/client';
import { ConsentAsk } from '../../components/ConsentAsk';

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
 * their own volumes. A list not yet confirmed holds the launch back. The page cannot confirm it:
 * Confirm asks main to ask the user — a dialog of PodDesk's own in the desktop app, or, in a
 * browser, a code PodDesk prints in the terminal that started it, typed here. What is allowed is
 * exactly the list shown (its fingerprint), so a change made meanwhile is not accepted unseen.
 */
export function HostAccessSection(props: SectionProps) {
  // Another list is another question: a code step begun for the old one does not carry over.
  return <Section key={props.access.fingerprint} {...props} />;
}

interface SectionProps {
  id: string;
  access: HostAccess;
  /** The button also launches (the launch panel's "Confirm and launch"). */
  launchAfter?: boolean;
  onConfirmed?: () => void;
}

function Section({ id, access, launchAfter = false, onConfirmed }: SectionProps) {
  const queryClient = useQueryClient();

  if (access.items.length === 0) {
    return (
      <Text size="sm" data-testid="host-access" data-items={0}>
        This computer: nothing beyond the stack’s own volumes.
      </Text>
    );
  }

  const ask = async (code?: string) => {
    const answer = await call('stacks.confirmHostAccess', { id, fingerprint: access.fingerprint, ...(code ? { code } : {}) });
    if (answer.state !== 'confirmed') return answer;
    await queryClient.invalidateQueries({ queryKey: ['stacks.plan', id] });
    onConfirmed?.();
    return null;
  };

  const confirmLabel = launchAfter ? 'Confirm and launch' : 'Confirm';
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
          <ConsentAsk
            ask={ask}
            label={confirmLabel}
            testId="host-access"
            confirmTestId="confirm-host-access"
            note="Asked again whenever this list changes."
            errorTitle="Not confirmed"
            onError={() => void queryClient.invalidateQueries({ queryKey: ['stacks.plan', id] })}
          />
        )}
      </Stack>
    </Paper>
  );
}
