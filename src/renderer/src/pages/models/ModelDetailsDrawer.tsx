import { Badge, Code, Drawer, Group, Loader, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useModelDetails } from '../../api/ollama';

export function ModelDetailsDrawer({ name, onClose }: { name: string | null; onClose: () => void }) {
  const details = useModelDetails(name ?? undefined);
  const d = details.data;
  return (
    <Drawer opened={name !== null} onClose={onClose} position="right" size="lg" title={<Title order={4}>{name}</Title>}>
      {details.isLoading && <Loader size="sm" />}
      {details.error && <Text c="red">{details.error.message}</Text>}
      {d && (
        <Stack data-testid="model-details">
          <Group gap="xs">
            {d.capabilities.map((c) => (
              <Badge key={c} variant="light" data-testid="capability">
                {c}
              </Badge>
            ))}
          </Group>
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td c="dimmed">Family</Table.Td>
                <Table.Td>{d.details.family || '—'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">Parameters</Table.Td>
                <Table.Td>{d.details.parameterSize || '—'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">Quantization</Table.Td>
                <Table.Td>{d.details.quantization || '—'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">Context length</Table.Td>
                <Table.Td>{d.contextLength ? d.contextLength.toLocaleString('en') : '—'} tokens</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {d.parameters && (
            <>
              <Text fw={500}>Parameters</Text>
              <Code block>{d.parameters}</Code>
            </>
          )}
          {d.system && (
            <>
              <Text fw={500}>System prompt</Text>
              <Code block>{d.system}</Code>
            </>
          )}
          <Text fw={500}>Template</Text>
          <ScrollArea.Autosize mah={200}>
            <Code block>{d.template || '—'}</Code>
          </ScrollArea.Autosize>
          <Text fw={500}>License</Text>
          <ScrollArea.Autosize mah={200}>
            <Code block>{d.license || '—'}</Code>
          </ScrollArea.Autosize>
        </Stack>
      )}
    </Drawer>
  );
}
