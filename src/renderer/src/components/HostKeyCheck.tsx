import { Alert, Button, Code, Group, List, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconKey, IconRefresh, IconShieldCheck } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConnectionStatus, HostKeyProblem } from '../../../shared/contract';
import { call } from '../api/client';
import { navigate } from '../lib/router';
import { ConsentAsk } from './ConsentAsk';
import { notifyDone, notifyError } from './notify';

type HostKeyStatus = Extract<ConnectionStatus, { state: 'host-key' }>;

const where = (p: HostKeyProblem) => (p.port === 22 ? p.host : `${p.host} port ${p.port}`);

/** sshd keeps each host key in /etc/ssh/ssh_host_<type>_key.pub. */
const keyFile = (algorithm: string) =>
  `/etc/ssh/ssh_host_${algorithm.startsWith('ecdsa-') ? 'ecdsa' : algorithm === 'ssh-dss' ? 'dsa' : algorithm.replace(/^ssh-/, '')}_key.pub`;

function Fingerprint({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text size="sm" fw={500} w={190} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Code fz="sm" data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Code>
    </Group>
  );
}

/**
 * An ssh host whose key PodDesk does not trust (yet): what it showed, what known_hosts says, and
 * the one thing to do. An unknown key can be trusted here once; a changed or revoked one never —
 * the user mends known_hosts, as with ssh.
 */
export function HostKeyCheck({
  status,
  order = 3,
  inSettings = false,
}: {
  status: HostKeyStatus;
  /** The heading level that fits where it is shown. */
  order?: 3 | 4 | 5;
  /** On the Settings page the other connections are right there: no button to go to them. */
  inSettings?: boolean;
}) {
  const { problem, candidate } = status;
  const [busy, setBusy] = useState<'retry' | null>(null);
  const queryClient = useQueryClient();

  const trust = async (code?: string) => {
    // The page repeats what main showed; main writes the key only if it is the one it saw, and
    // only once the user allowed it through main's own dialog or terminal code.
    const answer = await call('connection.trustHostKey', {
      key: candidate.key,
      fingerprint: problem.fingerprint,
      ...(code ? { code } : {}),
    });
    if (answer.state !== 'trusted') return answer;
    await queryClient.invalidateQueries({ queryKey: ['connection.candidates'] });
    if (answer.status.state === 'connected') notifyDone(`Trusted ${where(problem)} and connected`);
    return null;
  };
  const retry = async () => {
    setBusy('retry');
    try {
      await call('connection.retry');
    } catch (error) {
      notifyError('Could not connect', error);
    } finally {
      setBusy(null);
    }
  };

  if (problem.kind === 'unknown') {
    return (
      <Stack data-testid="host-key-check" data-kind="unknown">
        <Title order={order}>Is this the machine you meant?</Title>
        <Text>
          PodDesk has not connected to <strong>{where(problem)}</strong> ({candidate.label}) before, so it cannot tell yet whether
          that machine is really the one answering. It showed this {problem.algorithm} host key:
        </Text>
        <Fingerprint label="Fingerprint" value={problem.fingerprint} testId="host-key-fingerprint" />
        <Text size="sm">
          To check, run this on that machine (or ask whoever runs it) and compare the fingerprints:{' '}
          <Code>ssh-keygen -lf {keyFile(problem.algorithm)}</Code>
        </Text>
        {problem.note && (
          <Text size="sm" c="dimmed">
            {problem.note}
          </Text>
        )}
        <ConsentAsk
          ask={trust}
          label="They match: trust this key and connect"
          icon={<IconShieldCheck size={16} />}
          testId="host-key"
          confirmTestId="trust-host-key"
          errorTitle="Could not trust that key"
        />
        {!inSettings && (
          <Group>
            <Button variant="default" onClick={() => navigate('/settings')}>
              Choose another connection…
            </Button>
          </Group>
        )}
        <Text size="xs" c="dimmed">
          Trusting adds one line to {problem.knownHostsFile}, as ssh does when you answer “yes”.
        </Text>
      </Stack>
    );
  }

  return (
    <Stack data-testid="host-key-check" data-kind={problem.kind}>
      <Title order={order}>
        {problem.kind === 'changed' ? 'The machine’s key has changed' : 'This machine’s key is revoked'}
      </Title>
      <Alert color="red" icon={<IconAlertTriangle size={16} />} title="PodDesk will not connect">
        {problem.kind === 'changed'
          ? `${where(problem)} shows a different host key from the one in your known_hosts. Someone may be intercepting the connection — or the machine was reinstalled or given a new key.`
          : `The key ${where(problem)} shows is marked @revoked in your known_hosts.`}
      </Alert>
      <Stack gap={4}>
        <Fingerprint label={`Shown now (${problem.algorithm})`} value={problem.fingerprint} testId="host-key-fingerprint" />
        {problem.known.map((k) => (
          <Fingerprint
            key={`${k.file}:${k.line}`}
            label={problem.kind === 'changed' ? `Expected (${k.algorithm})` : 'Revoked'}
            value={k.fingerprint}
            testId="host-key-known"
          />
        ))}
        {problem.known.map((k) => (
          <Text key={`where-${k.file}:${k.line}`} size="xs" c="dimmed">
            From {k.file}, line {k.line}
          </Text>
        ))}
      </Stack>
      {problem.kind === 'changed' && (
        <List size="sm" spacing={4} icon={<IconKey size={14} />}>
          <List.Item>If you did not expect this, do not connect: ask whoever runs the machine.</List.Item>
          <List.Item>
            If you know why it changed, remove the old key
            {problem.removeCommand ? (
              <>
                {' '}
                with <Code>{problem.removeCommand}</Code>
              </>
            ) : (
              ` from ${problem.known[0]?.file ?? 'known_hosts'} (an administrator must do it)`
            )}
            , then press Retry: PodDesk will show you the new key to check.
          </List.Item>
        </List>
      )}
      <Group>
        <Button variant="default" leftSection={<IconRefresh size={16} />} loading={busy === 'retry'} onClick={() => void retry()}>
          Retry
        </Button>
        {!inSettings && (
          <Button variant="subtle" onClick={() => navigate('/settings')}>
            Choose another connection…
          </Button>
        )}
      </Group>
    </Stack>
  );
}
