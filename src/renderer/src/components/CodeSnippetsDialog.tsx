import { Anchor, Button, Code, CopyButton, Group, Modal, ScrollArea, SegmentedControl, Stack, Tabs, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiChatRequest } from '../../../shared/chat-request';
import {
  ollamaBaseUrl,
  snippet,
  SNIPPET_LANGUAGES,
  type SnippetLanguage,
  type SnippetPlace,
} from '../../../shared/code-snippets';
import { useOllamaStatus } from '../api/ollama';
import { navigate } from '../lib/router';

const PLACES: { value: SnippetPlace; label: string; hint: string }[] = [
  {
    value: 'computer',
    label: 'This computer',
    hint: 'A program or notebook on this computer reaches Ollama at its published port on localhost.',
  },
  {
    value: 'stack',
    label: 'Container on the Ollama stack’s network',
    hint: 'Containers on the same network find each other by service name: Ollama is “ollama”, on its own port 11434.',
  },
  {
    value: 'container',
    label: 'Any other container',
    hint: 'A container on another network reaches this computer as host.containers.internal, on the port Ollama is published on.',
  },
];

/**
 * "Call this model from your code": the chat's request as curl, Python and JavaScript, for where
 * the code runs. `request` is built by the same function the chat uses (shared/chat-request).
 */
export function CodeSnippetsDialog({
  opened,
  onClose,
  request,
  note,
}: {
  opened: boolean;
  onClose: () => void;
  request: ApiChatRequest | null;
  /** Said above the code, e.g. what was left out. */
  note?: string;
}) {
  const status = useOllamaStatus();
  const [place, setPlace] = useState<SnippetPlace>('computer');
  const [language, setLanguage] = useState<SnippetLanguage>('curl');
  const configured = status.state === 'reachable' ? status.candidate.host : 'http://127.0.0.1:11434';
  const base = ollamaBaseUrl(configured, place);
  const code = request ? snippet(language, request, base) : '';

  return (
    <Modal opened={opened} onClose={onClose} title="Call this model from your code" size="xl" data-testid="snippets-dialog">
      <Stack gap="sm">
        <Text size="sm">
          The same request the chat sends to Ollama’s <Code>/api/chat</Code>: the model, the messages, the options, and{' '}
          <Code>stream: true</Code>, so the answer arrives piece by piece as it is written.
        </Text>
        {note && (
          <Text size="sm" c="dimmed">
            {note}
          </Text>
        )}
        <Stack gap={4}>
          <Text size="sm" fw={500} id="snippet-place-label">
            Where does your code run?
          </Text>
          <SegmentedControl
            aria-labelledby="snippet-place-label"
            value={place}
            onChange={(v) => setPlace(v as SnippetPlace)}
            data={PLACES.map((p) => ({ value: p.value, label: p.label }))}
            fullWidth
            data-testid="snippet-place"
          />
          <Text size="xs" c="dimmed">
            {PLACES.find((p) => p.value === place)!.hint} Address: <Code>{base}</Code>
          </Text>
        </Stack>
        <Tabs value={language} onChange={(v) => v && setLanguage(v as SnippetLanguage)} keepMounted={false}>
          <Tabs.List>
            {SNIPPET_LANGUAGES.map((l) => (
              <Tabs.Tab key={l.value} value={l.value}>
                {l.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {SNIPPET_LANGUAGES.map((l) => (
            <Tabs.Panel key={l.value} value={l.value} pt="xs">
              <Stack gap={6}>
                <Group justify="flex-end">
                  <CopyButton value={code}>
                    {({ copied, copy }) => (
                      <Button
                        size="xs"
                        variant="light"
                        color={copied ? 'teal' : undefined}
                        leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                        onClick={copy}
                        data-testid="copy-snippet"
                      >
                        {copied ? 'Copied' : `Copy ${l.label}`}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
                <ScrollArea.Autosize mah={360} type="auto">
                  <Code block data-testid="snippet-code" tabIndex={0} aria-label={`${l.label} code`}>
                    {code}
                  </Code>
                </ScrollArea.Autosize>
              </Stack>
            </Tabs.Panel>
          ))}
        </Tabs>
        <Text size="sm">
          A worked example: the{' '}
          <Anchor
            component="button"
            type="button"
            onClick={() => {
              onClose();
              navigate('/stacks/ai-webapp');
            }}
          >
            AI web app stack
          </Anchor>{' '}
          runs a small Flask app (<Code>resources/templates/flask-chat/app.py</Code>) that lists the models, pulls one and streams
          a chat this way, calling <Code>http://ollama:11434</Code> by service name.
        </Text>
      </Stack>
    </Modal>
  );
}
