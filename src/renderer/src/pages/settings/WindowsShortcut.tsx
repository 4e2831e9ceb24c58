import { Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { LauncherStatus } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';

/**
 * Inside a WSL distro: a shortcut on the Windows desktop that starts PodDesk there. The page only
 * says add or remove; main chose the file, the folder and what it runs, and the card shows the
 * file and folder before anything is written.
 */
export function WindowsShortcut() {
  const queryClient = useQueryClient();
  const descriptionId = useId();
  const status = useQuery({ queryKey: ['launcher.status'], queryFn: () => call('launcher.status') });
  const change = useMutation({
    mutationFn: (add: boolean) => call(add ? 'launcher.add' : 'launcher.remove'),
    onSuccess: (next: LauncherStatus, add) => {
      queryClient.setQueryData(['launcher.status'], next);
      if (next.state === 'ready')
        notifyDone(add ? `${next.fileName} is on your Windows desktop` : `${next.fileName} was removed`);
    },
    onError: (error, add) => notifyError(add ? 'Could not add the shortcut' : 'Could not remove the shortcut', error),
  });
  const data = status.data;
  if (!data || data.state === 'not-offered') return null;
  return (
    <Card withBorder data-testid="windows-shortcut">
      <Stack>
        <Title order={4}>Windows desktop</Title>
        {data.state === 'unavailable' ? (
          <Text size="sm">PodDesk cannot add a Windows desktop shortcut right now. {data.reason}</Text>
        ) : (
          <>
            <Stack gap={4} id={descriptionId}>
              <Text size="sm">
                {data.starts === 'desktop'
                  ? `A double-click starts PodDesk in your WSL distro ${data.distro}, in its own window (WSLg). No console window opens.`
                  : `A double-click starts PodDesk in your WSL distro ${data.distro} and opens it in your Windows browser. No console window opens.`}
              </Text>
              <Text size="sm">
                {data.added ? 'On your desktop: ' : 'PodDesk will write '}
                <Code>{data.fileName}</Code> {data.added ? 'in' : 'to'} <Code>{data.folder}</Code>
                {data.added ? '.' : ' (a small script that Windows runs without a window).'}
              </Text>
            </Stack>
            <Group>
              {data.added ? (
                <Button
                  variant="default"
                  loading={change.isPending}
                  aria-describedby={descriptionId}
                  onClick={() => change.mutate(false)}
                >
                  Remove from Windows desktop
                </Button>
              ) : (
                <Button loading={change.isPending} aria-describedby={descriptionId} onClick={() => change.mutate(true)}>
                  Add to Windows desktop
                </Button>
              )}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
