import {
  Button,
  Card,
  Code,
  Group,
  Loader,
  NumberInput,
  Radio,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { connectionAddInput, type Candidate, type ConnectionAddInput, type HostHandle } from '../../../../shared/contract';
import { call } from '../../api/client';
import { endpointText, useConnection } from '../../api/connection';
import { hasNativeFiles } from '../../api/transfers';
import { HostKeyCheck } from '../../components/HostKeyCheck';
import { notifyDone, notifyError } from '../../components/notify';

const AUTOMATIC = 'automatic';

function describe(c: Candidate): string {
  const e = c.endpoint;
  if (e.kind === 'unix' || e.kind === 'npipe') return e.path;
  if (e.kind === 'tcp') return `tcp://${e.host}:${e.port}`;
  if (e.kind === 'ssh') return `ssh://${e.username}@${e.host}:${e.port}${e.socketPath}`;
  return e.argv.join(' ');
}

/** Every connection main found; the page picks one by its key (main keeps what it points at). */
export function ConnectionChooser() {
  const status = useConnection();
  const candidates = useQuery({ queryKey: ['connection.candidates'], queryFn: () => call('connection.candidates') });
  const saved = candidates.data?.find((c) => c.source === 'saved')?.key ?? AUTOMATIC;
  const [picked, setPicked] = useState<string | null>(null);
  const choice = picked ?? saved;
  const queryClient = useQueryClient();
  const choose = useMutation({
    mutationFn: () => call('connection.choose', { key: choice === AUTOMATIC ? null : choice }),
    onSuccess: async () => {
      setPicked(null);
      await queryClient.invalidateQueries({ queryKey: ['connection.candidates'] });
      await queryClient.invalidateQueries({ queryKey: ['settings.get'] });
    },
    onError: (error) => notifyError('Could not switch the connection', error),
  });

  return (
    <Card withBorder>
      <Stack>
        <Stack gap={2}>
          <Title order={4}>Podman connection</Title>
          {status.state === 'connected' && (
            <Text size="sm" c="dimmed">
              Connected to {status.candidate.label}: <Code>{endpointText(status)}</Code>
            </Text>
          )}
        </Stack>
        {status.state === 'host-key' && <HostKeyCheck status={status} order={5} inSettings />}
        <Radio.Group value={choice} onChange={setPicked} aria-label="Podman connection">
          <Stack gap="xs">
            <Radio value={AUTOMATIC} label="Automatic: the first Podman that answers" />
            {candidates.isLoading && (
              <Group gap="xs">
                <Loader size="xs" />
                <Text size="sm" c="dimmed">
                  Looking for Podman connections…
                </Text>
              </Group>
            )}
            {(candidates.data ?? []).map((c) => (
              <Radio
                key={c.key}
                value={c.key}
                label={
                  <Text size="sm">
                    {c.label}
                    {c.source === 'saved' ? ' (your choice)' : ''}{' '}
                    <Text span c="dimmed" ff="monospace" size="xs">
                      {describe(c)}
                    </Text>
                  </Text>
                }
              />
            ))}
          </Stack>
        </Radio.Group>
        <Group>
          <Button onClick={() => choose.mutate()} loading={choose.isPending} disabled={choice === saved}>
            Use this connection
          </Button>
          <Button variant="default" onClick={() => void candidates.refetch()} loading={candidates.isFetching}>
            Look again
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

type Kind = ConnectionAddInput['kind'];

interface AddForm {
  kind: Kind;
  host: string;
  port: number | string;
  username: string;
  socketPath: string;
  path: string;
  identity: HostHandle | null;
}

const emptyForm: AddForm = { kind: 'ssh', host: '', port: '', username: '', socketPath: '', path: '', identity: null };

function toInput(form: AddForm): ConnectionAddInput {
  const port = form.port === '' ? undefined : Number(form.port);
  switch (form.kind) {
    case 'ssh':
      return {
        kind: 'ssh',
        host: form.host,
        ...(port === undefined ? {} : { port }),
        username: form.username,
        socketPath: form.socketPath,
        ...(form.identity ? { identity: form.identity.handle } : {}),
      };
    case 'tcp':
      return { kind: 'tcp', host: form.host, port: port ?? Number.NaN };
    case 'unix':
      return { kind: 'unix', path: form.path };
  }
}

/**
 * A connection the user describes: ssh to another machine, a TCP address, or a unix socket. The
 * page sends the fields; main checks them and builds the connection itself. An ssh key is
 * picked in main's file dialog (the page gets a handle, never the file).
 */
export function AddConnection() {
  const [form, setForm] = useState<AddForm>(emptyForm);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const desktop = hasNativeFiles();
  const queryClient = useQueryClient();
  const parsed = connectionAddInput.safeParse(toInput(form));
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.join('.')] ??= issue.message;
  const errorFor = (field: string) => (touched[field] ? errors[field] : undefined);
  const set = (patch: Partial<AddForm>) => setForm((f) => ({ ...f, ...patch }));
  const touch = (field: string) => setTouched((t) => ({ ...t, [field]: true }));

  const add = useMutation({
    mutationFn: () => call('connection.add', toInput(form)),
    onSuccess: async (status) => {
      setForm(emptyForm);
      setTouched({});
      await queryClient.invalidateQueries({ queryKey: ['connection.candidates'] });
      await queryClient.invalidateQueries({ queryKey: ['settings.get'] });
      if (status.state === 'connected') notifyDone(`Connected to ${status.candidate.label}`);
      // The question about the host key is shown above, in the connection card.
      else if (status.state === 'host-key') notifyDone('Saved. Check the machine’s host key above to connect.');
      else notifyError('Saved, but nothing answers there yet', new Error('PodDesk keeps trying the other connections it knows.'));
    },
    onError: (error) => notifyError('Could not add the connection', error),
  });
  const chooseKey = async () => {
    try {
      const chosen = await call('connection.chooseIdentity');
      if (chosen) set({ identity: chosen });
    } catch (error) {
      notifyError('Could not open the key', error);
    }
  };

  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched({ host: true, port: true, username: true, socketPath: true, path: true });
          if (parsed.success) add.mutate();
        }}
      >
        <Stack>
          <Stack gap={2}>
            <Title order={4}>Add a connection</Title>
            <Text size="sm" c="dimmed">
              Podman on another machine (ssh), at a TCP address, or on a socket of yours. It becomes your choice above.
            </Text>
          </Stack>
          <SegmentedControl
            value={form.kind}
            onChange={(kind) => set({ kind: kind as Kind })}
            data={[
              { value: 'ssh', label: 'ssh' },
              { value: 'tcp', label: 'TCP' },
              { value: 'unix', label: 'Unix socket' },
            ]}
            aria-label="Kind of connection"
            w={320}
            data-testid="add-connection-kind"
          />
          {form.kind !== 'unix' && (
            <Group align="flex-start" grow>
              <TextInput
                label="Host"
                placeholder="build.example.org or 192.168.1.20"
                value={form.host}
                onChange={(e) => set({ host: e.currentTarget.value })}
                onBlur={() => touch('host')}
                error={errorFor('host')}
                data-testid="add-connection-host"
              />
              <NumberInput
                label="Port"
                placeholder={form.kind === 'ssh' ? '22' : '8888'}
                min={1}
                max={65535}
                allowDecimal={false}
                value={form.port}
                onChange={(port) => set({ port })}
                onBlur={() => touch('port')}
                error={errorFor('port')}
                maw={140}
              />
            </Group>
          )}
          {form.kind === 'ssh' && (
            <>
              <Group align="flex-start" grow>
                <TextInput
                  label="User"
                  value={form.username}
                  onChange={(e) => set({ username: e.currentTarget.value })}
                  onBlur={() => touch('username')}
                  error={errorFor('username')}
                />
                <TextInput
                  label="Podman socket on that machine"
                  placeholder="/run/user/1000/podman/podman.sock"
                  value={form.socketPath}
                  onChange={(e) => set({ socketPath: e.currentTarget.value })}
                  onBlur={() => touch('socketPath')}
                  error={errorFor('socketPath')}
                />
              </Group>
              <Group gap="xs">
                {desktop && (
                  <Button variant="default" onClick={() => void chooseKey()}>
                    {form.identity ? 'Choose another key…' : 'Choose a key file…'}
                  </Button>
                )}
                <Text size="sm" c="dimmed">
                  {form.identity
                    ? `Key: ${form.identity.name}`
                    : desktop
                      ? 'No key file: your ssh agent is asked.'
                      : 'Your ssh agent is asked (key files can be chosen in the desktop app).'}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                PodDesk checks the machine’s host key against your known_hosts, as ssh does. A machine it has not met is shown
                with its fingerprint for you to check and trust once; a changed key is refused.
              </Text>
            </>
          )}
          {form.kind === 'tcp' && (
            <Text size="xs" c="dimmed">
              TCP is not encrypted, and anyone who can reach that port controls that Podman. Your registry logins are never sent
              over it.
            </Text>
          )}
          {form.kind === 'unix' && (
            <TextInput
              label="Socket"
              description="A socket of yours on this computer (the rootful Podman socket is in the list above when it exists)"
              placeholder="/run/user/1000/podman/podman.sock"
              value={form.path}
              onChange={(e) => set({ path: e.currentTarget.value })}
              onBlur={() => touch('path')}
              error={errorFor('path')}
              data-testid="add-connection-path"
            />
          )}
          <Group>
            <Button type="submit" loading={add.isPending} data-testid="add-connection-submit">
              Add and connect
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
