import { Alert, Button, Group, Loader } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { call } from '../../../api/client';
import { JsonView } from '../../../components/JsonView';

export function InspectTab({ id, version }: { id: string; version: string }) {
  // The state in the list changing (started, stopped) is a reason to look again.
  const inspect = useQuery({ queryKey: ['containers.inspect', id, version], queryFn: () => call('containers.inspect', { id }) });
  if (inspect.isPending) return <Loader size="sm" />;
  if (inspect.error)
    return (
      <Alert color="red" title="Could not inspect">
        {inspect.error.message}
      </Alert>
    );
  return (
    <div>
      <Group justify="flex-end" mb={-32}>
        <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} onClick={() => inspect.refetch()} mr={40}>
          Refresh
        </Button>
      </Group>
      <JsonView value={inspect.data} height="calc(100dvh - 330px)" />
    </div>
  );
}
