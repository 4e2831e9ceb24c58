import { ActionIcon, Button, Group, Menu, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconDots, IconFileExport, IconFileImport, IconPin, IconPinFilled, IconPlus, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Conversation, ConversationSummary, SearchHit } from '../../../../shared/contract';
import { call } from '../../api/client';
import { useLive } from '../../api/live';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone, notifyError } from '../../components/notify';
import { timeAgo } from '../../lib/format';
import { navigate } from '../../lib/router';
import { ChatSnippetsDialog } from './ChatSnippetsDialog';

const ROW = 54;

async function exportConversations(ids: string[] | undefined, format: 'markdown' | 'json') {
  try {
    const saved = await call('chat.export', { ids, format });
    if (saved) notifyDone(`${saved.count} conversation${saved.count === 1 ? '' : 's'} saved to ${saved.path}`);
  } catch (error) {
    notifyError('Could not export', error);
  }
}

/** Only the rows in view are in the page: 10,000 conversations scroll like 20. */
function VirtualList<T>({ items, height, render }: { items: T[]; height: number; render: (item: T) => ReactNode }) {
  const [top, setTop] = useState(0);
  const first = Math.max(0, Math.floor(top / ROW) - 5);
  const count = Math.ceil(height / ROW) + 10;
  return (
    <div
      style={{ height, overflowY: 'auto' }}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
      data-testid="conversation-list"
    >
      <div style={{ height: items.length * ROW, position: 'relative' }}>
        {items.slice(first, first + count).map((item, i) => (
          <div key={i + first} style={{ position: 'absolute', top: (first + i) * ROW, left: 0, right: 0, height: ROW }}>
            {render(item)}
          </div>
        ))}
      </div>
    </div>
  );
}

function Highlighted({ hit }: { hit: SearchHit }) {
  const { start, length } = hit.match;
  return (
    <Text size="xs" c="dimmed" lineClamp={2}>
      {hit.snippet.slice(0, start)}
      <mark>{hit.snippet.slice(start, start + length)}</mark>
      {hit.snippet.slice(start + length)}
    </Text>
  );
}

export function ConversationList({
  activeId,
  height,
  onNewChat,
}: {
  activeId: string | null;
  height: number;
  /** Starts a conversation, with the model of the latest one if there is one (ChatPage decides). */
  onNewChat: (model?: string) => void;
}) {
  const { value: summaries } = useLive('chat.conversations', (c) => c.id);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [renaming, setRenaming] = useState<ConversationSummary | null>(null);
  const [title, setTitle] = useState('');
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const [snippetsOf, setSnippetsOf] = useState<Conversation | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const t = setTimeout(() => setDebounced(query.trim()), 200);
    return () => clearTimeout(t);
  }, [query]);
  const search = useQuery({
    queryKey: ['chat.search', debounced],
    queryFn: () => call('chat.search', { query: debounced, limit: 100 }),
    enabled: debounced.length > 0,
  });

  const sorted = useMemo(
    () => [...summaries].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt),
    [summaries],
  );

  const create = () => onNewChat(sorted.find((s) => s.model)?.model);

  const row = (s: ConversationSummary) => (
    <Group
      gap={4}
      wrap="nowrap"
      px="xs"
      h={ROW - 4}
      style={{ borderRadius: 6, background: s.id === activeId ? 'var(--mantine-color-default-hover)' : undefined }}
      data-testid="conversation-row"
      data-id={s.id}
      data-title={s.title}
    >
      <UnstyledButton style={{ flex: 1, minWidth: 0 }} onClick={() => navigate(`/chat/${s.id}`)}>
        <Group gap={4} wrap="nowrap">
          {s.pinned && <IconPinFilled size={12} style={{ flexShrink: 0 }} />}
          <Text size="sm" truncate fw={s.id === activeId ? 600 : 400}>
            {s.title}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" truncate>
          {timeAgo(s.updatedAt / 1000)}
          {s.model ? ` · ${s.model}` : ''}
        </Text>
      </UnstyledButton>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" size="sm" aria-label={`Actions for ${s.title}`}>
            <IconDots size={14} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            onClick={() => {
              setTitle(s.title);
              setRenaming(s);
            }}
          >
            Rename…
          </Menu.Item>
          <Menu.Item
            leftSection={<IconPin size={14} />}
            onClick={() =>
              void call('chat.update', { id: s.id, pinned: !s.pinned }).catch((e) => notifyError('Could not pin', e))
            }
          >
            {s.pinned ? 'Unpin' : 'Pin to the top'}
          </Menu.Item>
          <Menu.Item
            onClick={() =>
              void call('chat.get', { id: s.id })
                .then(setSnippetsOf)
                .catch((e) => notifyError('Could not open the conversation', e))
            }
          >
            Call this model from your code…
          </Menu.Item>
          <Menu.Item onClick={() => void exportConversations([s.id], 'markdown')}>Export as Markdown</Menu.Item>
          <Menu.Item onClick={() => void exportConversations([s.id], 'json')}>Export as JSON</Menu.Item>
          <Menu.Item color="red" onClick={() => setDeleting(s)}>
            Delete…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );

  return (
    <Stack gap="xs" h={height}>
      <Group gap="xs" wrap="nowrap">
        <Button leftSection={<IconPlus size={16} />} onClick={create} style={{ flex: 1 }} data-testid="new-chat">
          New chat
        </Button>
        <Menu position="bottom-end">
          <Menu.Target>
            <ActionIcon variant="default" size="lg" aria-label="Import and export">
              <IconDots size={16} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconFileExport size={14} />} onClick={() => void exportConversations(undefined, 'markdown')}>
              Export all as Markdown
            </Menu.Item>
            <Menu.Item leftSection={<IconFileExport size={14} />} onClick={() => void exportConversations(undefined, 'json')}>
              Export all as JSON
            </Menu.Item>
            <Menu.Item leftSection={<IconFileImport size={14} />} onClick={() => fileInput.current?.click()}>
              Import JSON…
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        hidden
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (!file) return;
          try {
            const result = await call('chat.import', { json: await file.text() });
            notifyDone(
              `Imported ${result.imported} conversation${result.imported === 1 ? '' : 's'}${result.skipped ? ` (${result.skipped} skipped: not valid)` : ''}`,
            );
          } catch (error) {
            notifyError(`Could not import ${file.name}`, error);
          }
        }}
      />
      <TextInput
        placeholder="Search all conversations"
        leftSection={<IconSearch size={14} />}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        aria-label="Search conversations"
        data-testid="chat-search"
      />
      {debounced ? (
        <Stack gap={4} style={{ overflowY: 'auto', flex: 1 }} data-testid="search-results">
          {search.data?.length === 0 && (
            <Text size="sm" c="dimmed">
              Nothing matches “{debounced}”.
            </Text>
          )}
          {search.data?.map((hit) => (
            <UnstyledButton
              key={`${hit.conversationId}-${hit.messageId ?? ''}`}
              p="xs"
              style={{ borderRadius: 6 }}
              onClick={() => navigate(`/chat/${hit.conversationId}`)}
              data-testid="search-hit"
            >
              <Text size="sm" fw={500} truncate>
                {hit.title}
              </Text>
              <Highlighted hit={hit} />
            </UnstyledButton>
          ))}
        </Stack>
      ) : sorted.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" mt="md">
          No conversations yet.
        </Text>
      ) : (
        <VirtualList items={sorted} height={height - 90} render={row} />
      )}
      <ChatSnippetsDialog conversation={snippetsOf} onClose={() => setSnippetsOf(null)} />
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title="Rename conversation" centered>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!renaming || !title.trim()) return;
            void call('chat.update', { id: renaming.id, title: title.trim() }).then(
              () => setRenaming(null),
              (error) => notifyError('Could not rename', error),
            );
          }}
        >
          <Stack>
            <TextInput
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              data-autofocus
              data-testid="rename-input"
              maxLength={200}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRenaming(null)}>
                Cancel
              </Button>
              <Button type="submit" disabled={!title.trim()}>
                Rename
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <ConfirmDialog
        opened={deleting !== null}
        title={`Delete “${deleting?.title ?? ''}”?`}
        message="The conversation, every version of its messages and its images are deleted from this computer. Export it first to keep a copy."
        confirmLabel="Delete"
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (!deleting) return;
          const { id } = deleting;
          setDeleting(null);
          void call('chat.delete', { id }).then(
            () => {
              if (id === activeId) navigate('/chat');
            },
            (error) => notifyError('Could not delete', error),
          );
        }}
      />
    </Stack>
  );
}
