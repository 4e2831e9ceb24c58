import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconLock, IconLogin, IconLogout } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { registryHost } from '../../../../shared/contract';
import { call, type CallError } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';

/** Registry logins: checked with the registry, then kept encrypted (or, in the browser, in memory). */
export function RegistriesDialog({
  opened,
  onClose,
  server: initial,
}: {
  opened: boolean;
  onClose: () => void;
  server?: string;
}) {
  const logins = useQuery({ queryKey: ['registries.list'], queryFn: () => call('registries.list'), enabled: opened });
  const client = useQueryClient();
  const [server, setServer] = useState(initial ?? '');
  const [seenInitial, setSeenInitial] = useState(initial);
  if (initial !== seenInitial) {
    setSeenInitial(initial);
    setServer(initial ?? '');
  }
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const check = registryHost.safeParse(server);

  const login = async () => {
    if (!check.success || !username || !password) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call('registries.login', { server: check.data, username, password });
      notifyDone(
        result.verified
          ? `Logged in to ${result.server}`
          : `Saved the login for ${result.server} (it will be checked on the next pull or push)`,
      );
      setPassword('');
      await client.invalidateQueries({ queryKey: ['registries.list'] });
    } catch (err) {
      setError(err as CallError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Registries" size="lg" centered>
      <Stack>
        {logins.data && (
          <Alert
            color={logins.data.storage === 'encrypted' ? 'teal' : 'yellow'}
            icon={<IconLock size={16} />}
            data-testid="credential-storage"
          >
            {logins.data.storage === 'encrypted'
              ? 'Logins are kept encrypted with your system’s keychain, never in plain text.'
              : (logins.data.note ?? 'Logins are kept in memory only.')}
          </Alert>
        )}
        {logins.data && logins.data.logins.length > 0 && (
          <Table data-testid="logins">
            <Table.Tbody>
              {logins.data.logins.map((l) => (
                <Table.Tr key={l.server}>
                  <Table.Td>
                    <Text fw={500} size="sm">
                      {l.server}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{l.username}</Text>
                  </Table.Td>
                  <Table.Td>
                    {!l.verified && (
                      <Badge color="yellow" variant="light">
                        not checked
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Tooltip label="Log out (forget the password)">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Log out of ${l.server}`}
                        onClick={() =>
                          call('registries.logout', { server: l.server })
                            .then(() => client.invalidateQueries({ queryKey: ['registries.list'] }))
                            .catch((err: unknown) => notifyError('Could not log out', err))
                        }
                      >
                        <IconLogout size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void login();
          }}
        >
          <Stack gap="xs">
            <Text fw={600} size="sm">
              Log in to a registry
            </Text>
            <TextInput
              label="Registry"
              placeholder="docker.io, quay.io, ghcr.io, 127.0.0.1:5000"
              value={server}
              onChange={(e) => setServer(e.currentTarget.value)}
              error={server && !check.success ? check.error.issues[0]?.message : null}
              data-testid="login-server"
            />
            <Group grow>
              <TextInput
                label="User name"
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
                autoComplete="username"
                data-testid="login-username"
              />
              <PasswordInput
                label="Password or token"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Group>
            {error && (
              <Alert
                color="red"
                title={error.code === 'UNAUTHORIZED' ? 'Wrong user name or password' : 'Could not log in'}
                data-testid="login-error"
              >
                {error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button
                type="submit"
                leftSection={<IconLogin size={16} />}
                loading={busy}
                disabled={!check.success || !username || !password}
                data-testid="login-submit"
              >
                Log in
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
