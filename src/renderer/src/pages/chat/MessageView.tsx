import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Collapse,
  Group,
  Image,
  Loader,
  Paper,
  Stack,
  Text,
  Textarea,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconApi,
  IconBrain,
  IconChevronLeft,
  IconChevronRight,
  IconCopy,
  IconDownload,
  IconPencil,
  IconRefresh,
} from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { memo, useState } from 'react';
import type { ChatMessage, ImageRef } from '../../../../shared/contract';
import { call } from '../../api/client';
import { navigate } from '../../lib/router';
import { Markdown } from '../../markdown/Markdown';

/** Stable per conversation (so memoized messages stay memoized), plus what differs per message. */
export interface MessageHandlers {
  conversationId: string;
  onSwitch(messageId: string): void;
  onRegenerate(messageId: string): void;
  onEdit(message: ChatMessage, content: string): void;
  /** Opens the request this reply sent to Ollama and its streamed response. */
  onShowRequest(messageId: string): void;
}

interface MessageActions extends MessageHandlers {
  /** Other versions of this message (edits, regenerations), oldest first. */
  versions: string[];
  canRegenerate: boolean;
  busy: boolean;
}

function copy(text: string) {
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

function Thumbnail({ conversationId, image }: { conversationId: string; image: ImageRef }) {
  const data = useQuery({
    queryKey: ['chat.image', conversationId, image.id],
    queryFn: () => call('chat.image', { conversationId, id: image.id }),
    staleTime: Infinity,
  });
  return data.data ? (
    <Image
      src={`data:${data.data.mime};base64,${data.data.data}`}
      alt={image.name}
      h={96}
      w="auto"
      radius="sm"
      data-testid="message-image"
    />
  ) : (
    <Loader size="xs" />
  );
}

function Versions({ message, actions }: { message: ChatMessage; actions: MessageActions }) {
  const i = actions.versions.indexOf(message.id);
  if (actions.versions.length < 2) return null;
  return (
    <Group gap={2} data-testid="versions">
      <ActionIcon
        size="sm"
        variant="subtle"
        aria-label="Previous version"
        disabled={i <= 0 || actions.busy}
        onClick={() => actions.onSwitch(actions.versions[i - 1]!)}
      >
        <IconChevronLeft size={14} />
      </ActionIcon>
      <Text size="xs" c="dimmed">
        {i + 1}/{actions.versions.length}
      </Text>
      <ActionIcon
        size="sm"
        variant="subtle"
        aria-label="Next version"
        disabled={i >= actions.versions.length - 1 || actions.busy}
        onClick={() => actions.onSwitch(actions.versions[i + 1]!)}
      >
        <IconChevronRight size={14} />
      </ActionIcon>
    </Group>
  );
}

function Thinking({ message }: { message: ChatMessage }) {
  const [open, setOpen] = useState(false);
  const thinking = message.status === 'streaming' && !message.content;
  const seconds = message.thinkingMs !== undefined ? (message.thinkingMs / 1000).toFixed(1) : null;
  return (
    <div data-testid="thinking">
      <UnstyledButton onClick={() => setOpen((o) => !o)}>
        <Group gap={6}>
          <IconBrain size={16} />
          <Text size="sm" c="dimmed">
            {thinking ? 'Thinking…' : seconds ? `Thought for ${seconds} s` : 'Thoughts'} {open ? '▾' : '▸'}
          </Text>
        </Group>
      </UnstyledButton>
      <Collapse expanded={open || thinking}>
        <Text
          size="sm"
          c="dimmed"
          pl="md"
          mt={4}
          style={{ whiteSpace: 'pre-wrap', borderLeft: '2px solid var(--mantine-color-default-border)' }}
        >
          {message.thinking}
        </Text>
      </Collapse>
    </div>
  );
}

function Stats({ message }: { message: ChatMessage }) {
  const s = message.stats;
  if (!s) return null;
  const parts: string[] = [];
  if (s.tokensPerSecond) parts.push(`${s.tokensPerSecond.toFixed(1)} tokens/s`);
  if (s.evalCount !== undefined) parts.push(`${s.evalCount} tokens`);
  if (s.promptEvalCount !== undefined) parts.push(`${s.promptEvalCount} in prompt`);
  if (s.timeToFirstTokenMs !== undefined) parts.push(`first token ${(s.timeToFirstTokenMs / 1000).toFixed(2)} s`);
  if (s.doneReason === 'length') parts.push('cut at the length limit');
  return (
    <Text size="xs" c="dimmed" data-testid="reply-stats">
      {parts.join(' · ')}
    </Text>
  );
}

function ErrorBox({ message, actions }: { message: ChatMessage; actions: MessageActions }) {
  const error = message.error!;
  const missing = error.code === 'NOT_FOUND' && message.model;
  return (
    <Alert
      color="red"
      title={missing ? `${message.model} is not installed` : 'The reply failed'}
      data-testid="reply-error"
      data-code={error.code}
    >
      <Stack gap="xs">
        <Text size="sm">{error.message}</Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} />}
            disabled={actions.busy}
            onClick={() => actions.onRegenerate(message.id)}
            data-testid="retry"
          >
            Retry
          </Button>
          {missing && (
            <Button
              size="xs"
              leftSection={<IconDownload size={14} />}
              onClick={() => navigate(`/models/pull/${encodeURIComponent(message.model!)}`)}
              data-testid="pull-missing"
            >
              Pull {message.model}
            </Button>
          )}
          {error.code === 'OLLAMA_UNAVAILABLE' && (
            <Button size="xs" variant="subtle" onClick={() => navigate('/models')}>
              Check Ollama
            </Button>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}

function UserMessage({ message, actions }: { message: ChatMessage; actions: MessageActions }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  return (
    <Stack gap={4} align="flex-end" data-testid="message" data-role="user">
      <Paper withBorder radius="md" px="md" py="xs" maw="85%" bg="var(--mantine-color-default-hover)">
        {editing ? (
          <Stack gap="xs" miw={420}>
            <Textarea
              autosize
              minRows={2}
              maxRows={12}
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              data-testid="edit-box"
            />
            <Group justify="flex-end" gap="xs">
              <Button size="xs" variant="default" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <Button
                size="xs"
                disabled={!draft.trim() || actions.busy}
                onClick={() => {
                  setEditing(false);
                  actions.onEdit(message, draft);
                }}
                data-testid="edit-send"
              >
                Send as a new version
              </Button>
            </Group>
          </Stack>
        ) : (
          <>
            {message.images && message.images.length > 0 && (
              <Group gap="xs" mb={message.content ? 'xs' : 0}>
                {message.images.map((image) => (
                  <Thumbnail key={image.id} conversationId={actions.conversationId} image={image} />
                ))}
              </Group>
            )}
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {message.content}
            </Text>
          </>
        )}
      </Paper>
      <Group gap={4}>
        <Versions message={message} actions={actions} />
        <Tooltip label="Copy">
          <ActionIcon size="sm" variant="subtle" aria-label="Copy message" onClick={() => copy(message.content)}>
            <IconCopy size={14} />
          </ActionIcon>
        </Tooltip>
        <Tooltip label="Edit and resend (the current version is kept)">
          <ActionIcon
            size="sm"
            variant="subtle"
            aria-label="Edit message"
            disabled={actions.busy}
            onClick={() => {
              setDraft(message.content);
              setEditing(true);
            }}
            data-testid="edit"
          >
            <IconPencil size={14} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Stack>
  );
}

function AssistantMessage({ message, actions }: { message: ChatMessage; actions: MessageActions }) {
  const streaming = message.status === 'streaming';
  return (
    <Stack gap={6} data-testid="message" data-role="assistant" data-status={message.status}>
      {message.thinking && <Thinking message={message} />}
      {message.content ? (
        <Markdown text={message.content} streaming={streaming} />
      ) : streaming && !message.thinking ? (
        <Group gap="xs">
          <Loader size="xs" type="dots" />
          <Text size="sm" c="dimmed">
            Waiting for {message.model}… (loading a model can take a while)
          </Text>
        </Group>
      ) : null}
      {message.status === 'stopped' && (
        <Badge variant="light" color="gray" data-testid="stopped-badge">
          Stopped — what arrived is kept
        </Badge>
      )}
      {message.status === 'interrupted' && (
        <Badge variant="light" color="orange">
          Interrupted — the app ended during this reply
        </Badge>
      )}
      {message.status === 'error' && message.error && <ErrorBox message={message} actions={actions} />}
      {!streaming && (
        <Group gap={4}>
          <Versions message={message} actions={actions} />
          <Tooltip label="Copy">
            <ActionIcon size="sm" variant="subtle" aria-label="Copy reply" onClick={() => copy(message.content)}>
              <IconCopy size={14} />
            </ActionIcon>
          </Tooltip>
          {actions.canRegenerate && (
            <Tooltip label="Regenerate (this reply is kept as another version)">
              <ActionIcon
                size="sm"
                variant="subtle"
                aria-label="Regenerate"
                disabled={actions.busy}
                onClick={() => actions.onRegenerate(message.id)}
                data-testid="regenerate"
              >
                <IconRefresh size={14} />
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label="Show the request sent to Ollama">
            <ActionIcon
              size="sm"
              variant="subtle"
              aria-label="Show request"
              onClick={() => actions.onShowRequest(message.id)}
              data-testid="show-request-button"
            >
              <IconApi size={14} />
            </ActionIcon>
          </Tooltip>
          <Stats message={message} />
        </Group>
      )}
    </Stack>
  );
}

/** One message; memoized so that a streaming reply re-renders alone. */
export const MessageView = memo(function MessageView({
  message,
  handlers,
  versions,
  canRegenerate,
  busy,
}: {
  message: ChatMessage;
  handlers: MessageHandlers;
  /** Ids of the versions, comma-separated (a string keeps the memo effective). */
  versions: string;
  canRegenerate: boolean;
  busy: boolean;
}) {
  const actions: MessageActions = { ...handlers, versions: versions.split(','), canRegenerate, busy };
  return message.role === 'user' ? (
    <UserMessage message={message} actions={actions} />
  ) : (
    <AssistantMessage message={message} actions={actions} />
  );
});
