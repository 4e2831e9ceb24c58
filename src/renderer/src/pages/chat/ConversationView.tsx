import { ActionIcon, Alert, Anchor, Group, Loader, ScrollArea, Select, Stack, Text, Tooltip } from '@mantine/core';
import { IconAdjustments, IconAlertTriangle, IconCode } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { call } from '../../api/client';
import { useModelDetails, useModels, useOllamaStatus } from '../../api/ollama';
import { notifyError } from '../../components/notify';
import { navigate } from '../../lib/router';
import { Composer, type Attachment } from './Composer';
import { contextUse } from './context-use';
import { MessageView, type MessageHandlers } from './MessageView';
import { SettingsDrawer } from './SettingsDrawer';
import { ChatSnippetsDialog } from './ChatSnippetsDialog';
import { ShowRequestDialog } from './ShowRequestDialog';
import { branch, siblings, useConversation } from './useConversation';

export function ConversationView({ id }: { id: string }) {
  const { conversation, removed, error } = useConversation(id);
  const status = useOllamaStatus();
  const models = useModels(status.state === 'reachable');
  const details = useModelDetails(conversation?.model || undefined);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [snippetsOpen, setSnippetsOpen] = useState(false);
  const [requestOf, setRequestOf] = useState<string | null>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  const handlers = useMemo<MessageHandlers>(
    () => ({
      conversationId: id,
      onSwitch: (messageId) =>
        void call('chat.switchBranch', { conversationId: id, messageId }).catch((e) =>
          notifyError('Could not switch versions', e),
        ),
      onRegenerate: (messageId) =>
        void call('chat.regenerate', { conversationId: id, messageId }).catch((e) => notifyError('Could not regenerate', e)),
      onEdit: (message, content) =>
        void call('chat.send', { conversationId: id, content, parentId: message.parentId, images: [] }).catch((e) =>
          notifyError('Could not send', e),
        ),
      onShowRequest: (messageId) => setRequestOf(messageId),
    }),
    [id],
  );

  const path = useMemo(() => (conversation ? branch(conversation) : []), [conversation]);
  const last = path.at(-1);

  // Follow the reply as it grows, unless the user scrolled up to read.
  useEffect(() => {
    const el = viewport.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [last?.content, last?.thinking, last?.status, path.length]);

  if (removed) return <Text c="dimmed">This conversation was deleted.</Text>;
  if (error) return <Alert color="red">{error.message}</Alert>;
  if (!conversation) return <Loader size="sm" />;

  const capabilities = details.data?.capabilities ?? [];
  const ctx = contextUse(path, conversation, details.data);
  const modelMissing =
    Boolean(conversation.model) && models.data !== undefined && !models.data.some((m) => m.name === conversation.model);
  const disabled = !conversation.model ? 'Choose a model first' : undefined;

  const send = async (content: string, images: Attachment[]) => {
    try {
      await call('chat.send', {
        conversationId: id,
        content,
        images: images.map(({ name, mime, data }) => ({ name, mime, data })),
      });
      pinned.current = true;
      return true;
    } catch (e) {
      notifyError('Could not send', e);
      return false;
    }
  };

  return (
    <Stack h="100%" gap="xs" data-testid="conversation" data-id={id} data-streaming={conversation.streaming || undefined}>
      <Group justify="space-between" wrap="nowrap">
        <Text fw={600} truncate data-testid="conversation-title">
          {conversation.title}
        </Text>
        <Group gap="xs" wrap="nowrap">
          <Select
            size="xs"
            w={240}
            placeholder="Choose a model"
            value={conversation.model || null}
            data={[...new Set([...(models.data ?? []).map((m) => m.name), ...(conversation.model ? [conversation.model] : [])])]}
            onChange={(model) =>
              model && void call('chat.update', { id, model }).catch((e) => notifyError('Could not change the model', e))
            }
            searchable
            aria-label="Model"
            data-testid="model-select"
            disabled={conversation.streaming}
          />
          <Tooltip label="Call this model from your code">
            <ActionIcon
              variant="default"
              aria-label="Call this model from your code"
              onClick={() => setSnippetsOpen(true)}
              data-testid="open-snippets"
            >
              <IconCode size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="System prompt, parameters, presets">
            <ActionIcon
              variant="default"
              aria-label="Conversation settings"
              onClick={() => setSettingsOpen(true)}
              data-testid="open-settings"
            >
              <IconAdjustments size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
      {modelMissing && (
        <Alert color="orange" p="xs" icon={<IconAlertTriangle size={16} />}>
          {conversation.model} is not installed.{' '}
          <Anchor component="button" size="sm" onClick={() => navigate(`/models/pull/${encodeURIComponent(conversation.model)}`)}>
            Pull it
          </Anchor>{' '}
          or choose another model.
        </Alert>
      )}
      <ScrollArea
        style={{ flex: 1 }}
        viewportRef={viewport}
        onScrollPositionChange={({ y }) => {
          const el = viewport.current;
          if (el) pinned.current = el.scrollHeight - y - el.clientHeight < 80;
        }}
        data-testid="messages"
      >
        <Stack gap="lg" p="xs" maw={900} mx="auto">
          {path.length === 0 && (
            <Text c="dimmed" ta="center" py="xl">
              {conversation.model ? `Ask ${conversation.model} anything.` : 'Choose a model above, then ask anything.'}
            </Text>
          )}
          {path.map((m) => (
            <MessageView
              key={m.id}
              message={m}
              handlers={handlers}
              versions={siblings(conversation, m)
                .map((s) => s.id)
                .join(',')}
              canRegenerate={m.role === 'assistant' && m === last}
              busy={conversation.streaming}
            />
          ))}
        </Stack>
      </ScrollArea>
      {ctx.used >= ctx.limit * 0.8 && (
        <Alert color="yellow" p="xs" icon={<IconAlertTriangle size={16} />} data-testid="context-warning">
          This conversation fills about {ctx.used.toLocaleString('en')} of {ctx.limit.toLocaleString('en')} tokens of context:
          Ollama forgets the oldest messages beyond that.{' '}
          {ctx.max && ctx.max > ctx.limit
            ? `Raise num_ctx in the settings (${conversation.model} handles up to ${ctx.max.toLocaleString('en')}) or start a new conversation.`
            : 'Start a new conversation to keep it sharp.'}
        </Alert>
      )}
      <Composer
        streaming={conversation.streaming}
        disabled={disabled}
        vision={capabilities.includes('vision')}
        thinking={capabilities.includes('thinking')}
        think={conversation.think}
        onThink={(think) => void call('chat.update', { id, think }).catch((e) => notifyError('Could not change thinking', e))}
        onSend={send}
        onStop={() => void call('chat.stop', { conversationId: id }).catch((e) => notifyError('Could not stop', e))}
      />
      <ChatSnippetsDialog conversation={snippetsOpen ? conversation : null} onClose={() => setSnippetsOpen(false)} />
      <ShowRequestDialog conversationId={id} messageId={requestOf} onClose={() => setRequestOf(null)} />
      <SettingsDrawer
        conversation={conversation}
        details={details.data}
        opened={settingsOpen}
        onClose={() => setSettingsOpen(false)}
      />
    </Stack>
  );
}
