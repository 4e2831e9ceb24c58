import { Accordion, Alert, Code, CopyButton, Button, Group, Loader, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { call } from '../../api/client';

/** "Show request": the JSON one reply sent to Ollama's /api/chat and the lines that streamed back. */
export function ShowRequestDialog({
  conversationId,
  messageId,
  onClose,
}: {
  conversationId: string;
  messageId: string | null;
  onClose: () => void;
}) {
  const exchange = useQuery({
    queryKey: ['chat.exchange', conversationId, messageId],
    queryFn: () => call('chat.exchange', { conversationId, messageId: messageId! }),
    enabled: Boolean(messageId),
  });
  const data = exchange.data;
  const body = data ? JSON.stringify(data.request, null, 2) : '';

  return (
    <Modal
      opened={Boolean(messageId)}
      onClose={onClose}
      title="The request behind this reply"
      size="xl"
      data-testid="show-request"
    >
      {exchange.isLoading && <Loader size="sm" />}
      {exchange.error && <Alert color="red">{(exchange.error as Error).message}</Alert>}
      {exchange.isSuccess && !data && (
        <Text size="sm">
          PodDesk keeps the request of the last 20 replies written since it started, in memory only. This reply is older:
          regenerate it to see the request it sends.
        </Text>
      )}
      {data && (
        <Stack gap="sm">
          <Text size="sm">
            The chat is built on Ollama’s API: PodDesk sent this JSON with <Code>POST {data.url}</Code>, and Ollama answered with
            one JSON object per line as the model wrote.
          </Text>
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              Request
            </Text>
            <CopyButton value={body}>
              {({ copied, copy }) => (
                <Button
                  size="xs"
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                  onClick={copy}
                >
                  {copied ? 'Copied' : 'Copy request'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <ScrollArea.Autosize mah={280} type="auto">
            <Code block tabIndex={0} aria-label="Request JSON" data-testid="request-json">
              {body}
            </Code>
          </ScrollArea.Autosize>
          {data.request.messages.some((m) => m.images?.length) && (
            <Text size="xs" c="dimmed">
              Images are shown shortened: the request carried each in full, as base64.
            </Text>
          )}
          {data.error && (
            <Alert color="red" title="The request failed">
              {data.error}
            </Alert>
          )}
          <Accordion variant="contained">
            <Accordion.Item value="response">
              <Accordion.Control data-testid="response-toggle">
                Response: {data.lines.length + data.omittedLines} streamed line
                {data.lines.length + data.omittedLines === 1 ? '' : 's'}
              </Accordion.Control>
              <Accordion.Panel>
                {data.omittedLines > 0 && (
                  <Text size="xs" c="dimmed" mb={4}>
                    {data.omittedLines} lines in the middle are left out; the last line, with the statistics, is kept.
                  </Text>
                )}
                <ScrollArea.Autosize mah={280} type="auto">
                  <Code block tabIndex={0} aria-label="Streamed response lines" data-testid="response-lines">
                    {data.lines.join('\n')}
                  </Code>
                </ScrollArea.Autosize>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        </Stack>
      )}
    </Modal>
  );
}
