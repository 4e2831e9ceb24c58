import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import type { HostAccess, HostAccessItem, HostAccessKind } from '../../../../shared/contract';
import { call } from '../../api/client';
import { hasNativeFiles } from '../../api/transfers';
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

/** What the last answer from main asks for next. */
type Step =
  | { kind: 'idle' }
  | { kind: 'refused'; message: string }
  | { kind: 'code'; codePending: boolean; message: string; problem?: string };

const CODE = /^\d{3} ?\d{3}$/;

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
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [code, setCode] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  const newCodeButton = useRef<HTMLButtonElement>(null);
  // A word for the desktop app's dialog, else the terminal's code; main's answers decide the steps.
  const dialog = hasNativeFiles();

  useEffect(() => {
    if (step.kind !== 'code') return;
    if (step.codePending) codeInput.current?.focus();
    else newCodeButton.current?.focus();
  }, [step]);

  if (access.items.length === 0) {
    return (
      <Text size="sm" data-testid="host-access" data-items={0}>
        This computer: nothing beyond the stack’s own volumes.
      </Text>
    );
  }

  const ask = async (typed?: string) => {
    setBusy(true);
    try {
      const answer = await call('stacks.confirmHostAccess', {
        id,
        fingerprint: access.fingerprint,
        ...(typed !== undefined ? { code: typed.trim() } : {}),
      });
      if (answer.state === 'confirmed') {
        setStep({ kind: 'idle' });
        setCode('');
        await queryClient.invalidateQueries({ queryKey: ['stacks.plan', id] });
        onConfirmed?.();
      } else if (answer.state === 'refused') {
        setStep({ kind: 'refused', message: answer.message });
      } else {
        if (typed === undefined || !answer.codePending) setCode('');
        setStep({
          kind: 'code',
          codePending: answer.codePending,
          message: answer.message,
          ...(answer.problem ? { problem: answer.problem } : {}),
        });
      }
    } catch (error) {
      notifyError('Not confirmed', error);
      await queryClient.invalidateQueries({ queryKey: ['stacks.plan', id] });
    } finally {
      setBusy(false);
    }
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
        {access.needsConfirmation && step.kind === 'code' && step.codePending && (
          <form
            data-testid="host-access-code-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (CODE.test(code.trim())) void ask(code);
            }}
          >
            <Group align="flex-start">
              <TextInput
                ref={codeInput}
                label="Code from the terminal"
                description={step.message}
                error={step.problem}
                // A wrong code is said aloud, not only drawn in red.
                errorProps={{ role: 'alert' }}
                value={code}
                onChange={(event) => setCode(event.currentTarget.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={7}
                w={280}
                data-testid="host-access-code"
              />
              <Group mt={28} gap="xs">
                <Button type="submit" loading={busy} disabled={!CODE.test(code.trim())} data-testid="host-access-code-submit">
                  {confirmLabel}
                </Button>
                <Button variant="subtle" onClick={() => void ask()} disabled={busy} data-testid="host-access-new-code">
                  Print a new code
                </Button>
              </Group>
            </Group>
          </form>
        )}
        {access.needsConfirmation && step.kind === 'code' && !step.codePending && (
          <Stack gap={4}>
            <Text size="sm" c="red.8" role="alert" data-testid="host-access-problem">
              {step.problem ? `${step.problem} ` : ''}
              {step.message}
            </Text>
            <Group>
              <Button ref={newCodeButton} onClick={() => void ask()} loading={busy} data-testid="host-access-new-code">
                Print a new code
              </Button>
            </Group>
          </Stack>
        )}
        {access.needsConfirmation && step.kind !== 'code' && (
          <Stack gap={4}>
            {step.kind === 'refused' && (
              <Text size="sm" role="status" data-testid="host-access-refused">
                {step.message}
              </Text>
            )}
            <Group>
              <Button onClick={() => void ask()} loading={busy} data-testid="confirm-host-access">
                {dialog ? `${confirmLabel}…` : `${confirmLabel} with a code`}
              </Button>
              <Text size="xs" c="dimmed" data-testid="host-access-how">
                {dialog
                  ? 'PodDesk asks you in a dialog of its own; only your answer there counts.'
                  : 'PodDesk prints a code in the terminal where you started it; you type it here.'}{' '}
                Asked again whenever this list changes.
              </Text>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
