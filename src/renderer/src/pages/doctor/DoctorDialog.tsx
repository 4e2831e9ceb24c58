import './doctor.css';
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconArrowsLeftRight, IconStethoscope } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { CallName, ContainerSummary, DoctorCheckInput, DoctorFix, DoctorReport } from '../../../../shared/contract';
import { fixCalls, fixCommands, type FixCall } from '../../../../shared/doctor-fixes';
import { isMachinery } from '../../../../shared/labels';
import { call, type CallError } from '../../api/client';
import { useLive } from '../../api/live';
import { useSubscription } from '../../api/stream';
import { notifyDone, notifyError } from '../../components/notify';
import { navigate } from '../../lib/router';
import { DoctorReportView } from './DoctorReportView';
import { changesSomething, fixLabel, fixQuestion } from './fix-text';
import type { DoctorRequest } from './open';

const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function runCall(c: FixCall): Promise<unknown> {
  // The union of calls loses the link between a name and its input; fixCalls keeps it.
  return (call as (name: CallName, input?: unknown) => Promise<unknown>)(c.name, c.input);
}

/** Asks before a fix changes anything, showing the podman commands it amounts to. */
function ConfirmFix({ fix, onDone, onCancel }: { fix: DoctorFix; onDone(): void; onCancel(): void }) {
  const [busy, setBusy] = useState(false);
  const [networkName, setNetworkName] = useState(fix.kind === 'create-network' ? fix.network : '');
  const actual: DoctorFix = fix.kind === 'create-network' ? { ...fix, network: networkName.trim() } : fix;
  const nameError =
    fix.kind === 'create-network' && !NETWORK_NAME.test(networkName.trim()) ? 'Letters, digits, _ . - only' : null;
  return (
    <Paper withBorder p="sm" data-testid="doctor-confirm" role="group" aria-label="Confirm the fix">
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {fixQuestion(actual)}
        </Text>
        {fix.kind === 'create-network' && (
          <TextInput
            label="Name of the new network"
            value={networkName}
            onChange={(e) => setNetworkName(e.currentTarget.value)}
            error={nameError}
            data-testid="doctor-network-name"
          />
        )}
        <Text size="sm">The same, in a terminal:</Text>
        <Code block>{fixCommands(actual).join('\n')}</Code>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onCancel} data-autofocus>
            Cancel
          </Button>
          <Button
            size="xs"
            loading={busy}
            disabled={Boolean(nameError)}
            data-testid="doctor-confirm-fix"
            onClick={async () => {
              setBusy(true);
              try {
                for (const c of fixCalls(actual)) await runCall(c);
                notifyDone(`${fixLabel(actual)}: done`);
                onDone();
              } catch (error) {
                notifyError(`Could not ${fixLabel(actual).toLowerCase()}`, error);
              } finally {
                setBusy(false);
              }
            }}
          >
            {fixLabel(actual)}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

const byName = (a: ContainerSummary, b: ContainerSummary) => a.name.localeCompare(b.name);

/**
 * "Can A reach B?": pick the two containers, the name and port to try, and watch each step of
 * the check complete. Fixes that change something ask first; the check runs again after them.
 */
export function DoctorDialog({ request, onClose }: { request: DoctorRequest & { key: number }; onClose(): void }) {
  const { value: all } = useLive('containers.watch', (c) => c.id);
  const containers = useMemo(() => all.filter((c) => !isMachinery(c)), [all]);
  const [from, setFrom] = useState<string | null>(request.from ?? null);
  const [to, setTo] = useState<string | null>(request.to ?? null);
  // What the user typed; until then, the defaults of B.
  const [hostInput, setHostInput] = useState<string | null>(request.host ?? null);
  const [portInput, setPortInput] = useState<number | null>(request.port ?? null);
  const [http, setHttp] = useState(true);
  const [submitted, setSubmitted] = useState<DoctorCheckInput | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [failure, setFailure] = useState<CallError | null>(null);
  const [running, setRunning] = useState(false);
  const [confirming, setConfirming] = useState<DoctorFix | null>(null);
  const [autoStarted, setAutoStarted] = useState(false);

  const a = containers.find((c) => c.id === from || c.name === from);
  const b = containers.find((c) => c.id === to || c.name === to);
  const target = useQuery({
    queryKey: ['doctor.target', b?.id, b?.state],
    queryFn: () => call('doctor.target', { id: b!.id }),
    enabled: Boolean(b),
    staleTime: 0,
  });
  const host = hostInput ?? target.data?.hosts[0]?.host ?? b?.name ?? '';
  const port = portInput ?? target.data?.ports[0]?.port ?? null;
  const ready = Boolean(a && b && host.trim() && port);

  const start = (over: Partial<DoctorCheckInput> = {}) => {
    if (!a || !b) return;
    setReport(null);
    setFailure(null);
    setConfirming(null);
    setSubmitted({ from: a.id, to: b.id, host: host.trim(), port: port ?? 0, http, ...over });
    setAttempt((n) => n + 1);
  };

  // Two nodes picked on the Topology page: check at once, as soon as B's port is known.
  if (request.autoStart && !autoStarted && ready && !target.isFetching) {
    setAutoStarted(true);
    start();
  }

  useSubscription(
    'doctor.check',
    submitted,
    {
      onStart: () => setRunning(true),
      onItems: (items) => setReport(items[items.length - 1] ?? null),
      onEnd: (error) => {
        setRunning(false);
        if (error) setFailure(error);
      },
    },
    String(attempt),
  );

  const onFix = (fix: DoctorFix) => {
    if (fix.kind === 'use-port') {
      setPortInput(fix.port);
      start({ port: fix.port });
    } else if (fix.kind === 'use-host') {
      setHostInput(fix.host);
      start({ host: fix.host });
    } else if (fix.kind === 'logs') {
      onClose();
      navigate(`/containers/${fix.container}/logs`);
    } else if (changesSomething(fix)) setConfirming(fix);
  };

  const options = (exclude?: string) =>
    [...containers]
      // B's list: A's stack first, where its peers are.
      .sort(
        (x, y) =>
          Number(y.project === a?.project && !!a?.project) - Number(x.project === a?.project && !!a?.project) || byName(x, y),
      )
      .filter((c) => c.id !== exclude)
      .map((c) => ({ value: c.id, label: `${c.name}${c.state === 'running' ? '' : ` (${c.state})`}` }));

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={
        <Group gap="xs">
          <IconStethoscope size={20} aria-hidden />
          <Text fw={600}>{a && b ? `Can ${a.name} reach ${b.name}?` : 'Can it reach…?'}</Text>
        </Group>
      }
      data-testid="doctor-dialog"
    >
      <Stack gap="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) start();
          }}
        >
          <Stack gap="sm">
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <Select
                label="From"
                description="The checks run inside this container"
                data={options()}
                value={a?.id ?? null}
                onChange={setFrom}
                searchable
                style={{ flex: 1 }}
                data-testid="doctor-from"
              />
              <Tooltip label="Swap: check the other way">
                <ActionIcon
                  variant="default"
                  size="lg"
                  mb={1}
                  aria-label="Swap the two containers"
                  disabled={!a || !b}
                  onClick={() => {
                    setFrom(b?.id ?? null);
                    setTo(a?.id ?? null);
                    setHostInput(null);
                    setPortInput(null);
                  }}
                >
                  <IconArrowsLeftRight size={18} />
                </ActionIcon>
              </Tooltip>
              <Select
                label="To"
                description="The container it should reach"
                data={options(a?.id)}
                value={b?.id ?? null}
                onChange={(v) => {
                  setTo(v);
                  setHostInput(null);
                  setPortInput(null);
                }}
                searchable
                style={{ flex: 1 }}
                data-testid="doctor-to"
              />
            </Group>
            <Group align="flex-start" gap="xs" wrap="nowrap">
              <TextInput
                label="Name or address to try"
                description={
                  target.data?.hosts.find((h) => h.host === host)?.why ?? 'As your program in the first container uses it'
                }
                value={host}
                onChange={(e) => setHostInput(e.currentTarget.value)}
                style={{ flex: 2 }}
                data-testid="doctor-host"
              />
              <NumberInput
                label="Port"
                description={target.data?.ports.find((p) => p.port === port)?.why ?? 'The port to open'}
                value={port ?? ''}
                onChange={(v) => setPortInput(typeof v === 'number' ? v : null)}
                min={1}
                max={65535}
                allowDecimal={false}
                allowNegative={false}
                style={{ flex: 1 }}
                data-testid="doctor-port"
              />
            </Group>
            {target.data && target.data.hosts.length + target.data.ports.length > 2 && (
              <Group gap={6} aria-label="Suggestions" role="group">
                <Text size="sm">Suggestions:</Text>
                {target.data.hosts.slice(0, 4).map((h) => (
                  <Button
                    key={`h:${h.host}`}
                    size="compact-xs"
                    variant={h.host === host ? 'filled' : 'default'}
                    aria-pressed={h.host === host}
                    title={h.why}
                    onClick={() => setHostInput(h.host)}
                  >
                    {h.host}
                  </Button>
                ))}
                {target.data.ports.slice(0, 4).map((p) => (
                  <Button
                    key={`p:${p.port}`}
                    size="compact-xs"
                    variant={p.port === port ? 'filled' : 'default'}
                    aria-pressed={p.port === port}
                    title={p.why}
                    aria-label={`Port ${p.port}: ${p.why}`}
                    onClick={() => setPortInput(p.port)}
                  >
                    :{p.port}
                  </Button>
                ))}
              </Group>
            )}
            <Group justify="space-between">
              <Checkbox
                label="Send an HTTP request when the port is open"
                checked={http}
                onChange={(e) => setHttp(e.currentTarget.checked)}
              />
              <Button
                type="submit"
                disabled={!ready}
                loading={running}
                leftSection={<IconStethoscope size={16} />}
                data-testid="doctor-check"
              >
                {report ? 'Check again' : 'Check'}
              </Button>
            </Group>
          </Stack>
        </form>
        {failure && (
          <Alert color="red" title="The check could not run">
            {failure.message}
          </Alert>
        )}
        {confirming && (
          <ConfirmFix
            fix={confirming}
            onCancel={() => setConfirming(null)}
            onDone={() => {
              setConfirming(null);
              start();
            }}
          />
        )}
        {report && <DoctorReportView report={report} onFix={onFix} busy={running || confirming !== null} />}
      </Stack>
    </Modal>
  );
}
