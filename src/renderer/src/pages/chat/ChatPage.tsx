import { Alert, Box, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useViewportSize } from '@mantine/hooks';
import { IconMessagePlus } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { useOllamaStatus } from '../../api/ollama';
import { call } from '../../api/client';
import { notifyError } from '../../components/notify';
import { OllamaPanel } from '../../components/OllamaPanel';
import { useFocusWhenOllamaFound } from '../../components/ollama-found-focus';
import { navigate, useRoute } from '../../lib/router';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { GetAModel } from '../models/GetAModel';

/** Conversations on the left, the open one on the right. History stays readable while Ollama is away. */
export function ChatPage() {
  const path = useRoute();
  const id = /^\/chat\/([a-z0-9-]{8,64})$/.exec(path)?.[1] ?? null;
  const status = useOllamaStatus();
  const { height } = useViewportSize();
  const available = Math.max(420, height - 52 - 40);
  const [needModel, setNeedModel] = useState(false);
  const startChat = useRef<HTMLButtonElement>(null);
  useFocusWhenOllamaFound(startChat);

  /**
   * A new conversation with `preferred` (the last one's model) if Ollama still has it, else its
   * first model. With none at all, a conversation could not answer: offer to get one instead.
   */
  const newChat = async (preferred?: string) => {
    try {
      const models = await call('ollama.models').catch(() => null);
      if (models && models.length === 0) {
        setNeedModel(true);
        return;
      }
      const model = models && !models.some((m) => m.name === preferred) ? models[0]?.name : preferred;
      const c = await call('chat.create', model ? { model } : {});
      navigate(`/chat/${c.id}`);
    } catch (error) {
      notifyError('Could not start a conversation', error);
    }
  };

  return (
    <Group align="stretch" gap="md" wrap="nowrap" h={available} data-testid="chat-page">
      <Box w={280} style={{ flexShrink: 0 }}>
        <ConversationList activeId={id} height={available} onNewChat={(model) => void newChat(model)} />
      </Box>
      <Stack style={{ flex: 1, minWidth: 0 }} h={available} gap="xs">
        {status.state === 'unreachable' && (
          <Alert color="orange" p="xs" data-testid="ollama-banner">
            <Group justify="space-between">
              <Text size="sm">Ollama is not running: you can read your conversations, but not get new replies.</Text>
              <Button size="xs" variant="light" onClick={() => navigate('/models')}>
                What to do
              </Button>
            </Group>
          </Alert>
        )}
        {id ? (
          <ConversationView key={id} id={id} />
        ) : status.state === 'unreachable' ? (
          <OllamaPanel compact />
        ) : (
          <Stack align="center" justify="center" style={{ flex: 1 }}>
            <Text c="dimmed">Pick a conversation, or start one.</Text>
            <Button
              leftSection={<IconMessagePlus size={16} />}
              onClick={() => void newChat()}
              data-testid="start-chat"
              ref={startChat}
            >
              New chat
            </Button>
          </Stack>
        )}
      </Stack>
      <Modal opened={needModel} onClose={() => setNeedModel(false)} title="Get a model first" size="lg" centered>
        <GetAModel
          onReady={(model) => {
            setNeedModel(false);
            void newChat(model);
          }}
        />
      </Modal>
    </Group>
  );
}
