import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Menu,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconCode,
  IconCopy,
  IconDots,
  IconDownload,
  IconFileExport,
  IconFileImport,
  IconInfoCircle,
  IconMessagePlus,
  IconPencil,
  IconTrash,
} from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ModelSummary } from '../../../../shared/contract';
import { call } from '../../api/client';
import { hostLabel, useModels, useOllamaStatus } from '../../api/ollama';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { notifyDone, notifyError } from '../../components/notify';
import { OllamaPanel } from '../../components/OllamaPanel';
import { useFocusWhenOllamaFound } from '../../components/ollama-found-focus';
import { formatBytes, timeAgo } from '../../lib/format';
import { navigate } from '../../lib/router';
import { onPullDone, startPull, usePulls } from './pulls';
import { MODEL_NAME, PullCard } from './PullCard';
import { ModelDetailsDrawer } from './ModelDetailsDrawer';
import { ExportModelDialog } from './ExportModelDialog';
import { ImportModelDialog } from './ImportModelDialog';
import { ModelSnippetsDialog } from './ModelSnippetsDialog';

function RunningModels() {
  const queryClient = useQueryClient();
  const running = useQuery({ queryKey: ['ollama.running'], queryFn: () => call('ollama.running') });
  const [busy, setBusy] = useState<string | null>(null);
  if (!running.data || running.data.length === 0) return null;
  return (
    <Card withBorder padding="sm">
      <Text fw={500} mb="xs">
        Loaded now
      </Text>
      <Table verticalSpacing={4} data-testid="running-models">
        <Table.Tbody>
          {running.data.map((m) => (
            <Table.Tr key={m.name} data-testid="running-row" data-name={m.name}>
              <Table.Td>{m.name}</Table.Td>
              <Table.Td>{formatBytes(m.size)} in memory</Table.Td>
              <Table.Td>{m.contextLength ? `${m.contextLength.toLocaleString('en')} tokens of context` : ''}</Table.Td>
              <Table.Td c="dimmed">{expiry(m.expiresAt)}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="default"
                  loading={busy === m.name}
                  onClick={async () => {
                    setBusy(m.name);
                    try {
                      await call('ollama.unload', { name: m.name });
                      await queryClient.invalidateQueries({ queryKey: ['ollama.running'] });
                    } catch (error) {
                      notifyError(`Could not unload ${m.name}`, error);
                    } finally {
                      setBusy(null);
                    }
                  }}
                >
                  Unload
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function expiry(iso: string): string {
  return Date.parse(iso) > Date.now() + 365 * 86_400_000 ? 'kept loaded' : `unloads ${timeUntil(iso)}`;
}

function timeUntil(iso: string): string {
  const minutes = Math.round((Date.parse(iso) - Date.now()) / 60_000);
  if (!Number.isFinite(minutes)) return '';
  return minutes <= 0 ? 'now' : minutes < 60 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
}

function NameDialog({
  action,
  onClose,
}: {
  action: { kind: 'copy' | 'rename'; model: ModelSummary } | null;
  onClose: () => void;
}) {
  // Keyed by the action at the call site: a new action starts with a fresh suggestion.
  const [name, setName] = useState(() => (action ? `${action.model.name.split(':')[0]}-copy:latest` : ''));
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const invalid = name.trim() !== '' && !MODEL_NAME.test(name.trim());
  return (
    <Modal
      opened={action !== null}
      onClose={onClose}
      title={action?.kind === 'rename' ? `Rename ${action.model.name}` : `Copy ${action?.model.name}`}
      centered
    >
      <Stack>
        <TextInput
          label="New name"
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={invalid ? 'Use letters, digits, "_", ".", "-", an optional namespace/ and :tag' : undefined}
          data-autofocus
          data-testid="model-new-name"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={!name.trim() || invalid}
            loading={busy}
            data-testid="model-name-confirm"
            onClick={async () => {
              if (!action) return;
              setBusy(true);
              try {
                await call(action.kind === 'rename' ? 'ollama.rename' : 'ollama.copy', {
                  source: action.model.name,
                  destination: name.trim(),
                });
                await queryClient.invalidateQueries({ queryKey: ['ollama.models'] });
                notifyDone(`${action.kind === 'rename' ? 'Renamed' : 'Copied'} to ${name.trim()}`);
                onClose();
              } catch (error) {
                notifyError(`Could not ${action.kind} ${action.model.name}`, error);
              } finally {
                setBusy(false);
              }
            }}
          >
            {action?.kind === 'rename' ? 'Rename' : 'Copy'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

async function chatWith(model: string) {
  try {
    const conversation = await call('chat.create', { model });
    navigate(`/chat/${conversation.id}`);
  } catch (error) {
    notifyError('Could not start a conversation', error);
  }
}

export function ModelsPage() {
  const status = useOllamaStatus();
  const reachable = status.state === 'reachable';
  const models = useModels(reachable);
  const pulls = usePulls();
  const queryClient = useQueryClient();
  // #/models/pull/<name> (from a chat whose model is missing) fills the pull box.
  const [pullName, setPullName] = useState(() => {
    const m = /^#\/models\/pull\/(.+)$/.exec(window.location.hash);
    return m ? decodeURIComponent(m[1]!) : '';
  });
  const [details, setDetails] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ModelSummary | null>(null);
  const [naming, setNaming] = useState<{ kind: 'copy' | 'rename'; model: ModelSummary } | null>(null);
  const [deleteBusy, setDeleteBusy] = useState(false);
  // #/models/import (from a chat with no models) opens the import dialog.
  const [importing, setImporting] = useState(() => window.location.hash === '#/models/import');
  const [exporting, setExporting] = useState<string | null>(null);
  const [snippetsOf, setSnippetsOf] = useState<string | null>(null);
  // Ollama just launched from this page: what comes next is getting a model.
  const pullInput = useRef<HTMLInputElement>(null);
  useFocusWhenOllamaFound(pullInput);

  useEffect(() => {
    onPullDone((name) => {
      void queryClient.invalidateQueries({ queryKey: ['ollama.models'] });
      notifyDone(`${name} is ready`);
    });
  }, [queryClient]);

  const invalidName = pullName.trim() !== '' && !MODEL_NAME.test(pullName.trim());
  const rows = [...(models.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Models</Title>
        {reachable && (
          <Tooltip label={hostLabel(status)}>
            <Badge variant="light" color="teal" data-testid="ollama-state">
              Ollama {status.version} · {status.candidate.source === 'container' ? status.candidate.label : status.candidate.host}
            </Badge>
          </Tooltip>
        )}
      </Group>
      {!reachable && <OllamaPanel />}
      {reachable && (
        <>
          <Group align="start">
            <TextInput
              placeholder="Model to pull, e.g. llama3.2:3b or qwen3:0.6b"
              value={pullName}
              onChange={(e) => setPullName(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && pullName.trim() && !invalidName) {
                  startPull(pullName.trim());
                  setPullName('');
                }
              }}
              error={invalidName ? 'Not a model name: letters, digits, "_", "." and "-", as in llama3.2:3b' : undefined}
              w={380}
              aria-label="Model to pull"
              data-testid="pull-name"
              ref={pullInput}
            />
            <Button
              leftSection={<IconDownload size={16} />}
              disabled={!pullName.trim() || invalidName}
              onClick={() => {
                startPull(pullName.trim());
                setPullName('');
              }}
              data-testid="pull-button"
            >
              Pull
            </Button>
            <Text size="xs" c="dimmed" maw={320}>
              Names as on ollama.com/library. A cancelled or failed pull resumes where it stopped.
            </Text>
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              onClick={() => setImporting(true)}
              data-testid="import-open"
              ml="auto"
            >
              Import a model file…
            </Button>
          </Group>
          {pulls.map((p) => (
            <PullCard key={p.name} pull={p} />
          ))}
          <RunningModels />
          {models.error && <Alert color="red">{models.error.message}</Alert>}
          {models.data && rows.length === 0 && (
            <Stack align="center" py="xl" gap="xs" data-testid="no-models">
              <Text fw={500}>No models yet</Text>
              <Text c="dimmed" size="sm">
                Pull one above: small ones to start with are qwen3:0.6b (500 MB) or llama3.2:1b (1.3 GB). Offline? Import a .gguf
                file with “Import a model file…”.
              </Text>
            </Stack>
          )}
          {rows.length > 0 && (
            <Table highlightOnHover verticalSpacing="xs" data-testid="models-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Family</Table.Th>
                  <Table.Th>Parameters</Table.Th>
                  <Table.Th>Quantization</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Modified</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((m) => (
                  <Table.Tr key={m.name} data-testid="model-row" data-name={m.name}>
                    <Table.Td>
                      <Text fw={500} size="sm">
                        {m.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>{m.details.family || '—'}</Table.Td>
                    <Table.Td>{m.details.parameterSize || '—'}</Table.Td>
                    <Table.Td>{m.details.quantization || '—'}</Table.Td>
                    <Table.Td>{formatBytes(m.size)}</Table.Td>
                    <Table.Td c="dimmed">{timeAgo(Date.parse(m.modifiedAt) / 1000)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Tooltip label="Chat with it">
                          <ActionIcon variant="subtle" aria-label={`Chat with ${m.name}`} onClick={() => void chatWith(m.name)}>
                            <IconMessagePlus size={18} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Details">
                          <ActionIcon variant="subtle" aria-label={`Details of ${m.name}`} onClick={() => setDetails(m.name)}>
                            <IconInfoCircle size={18} />
                          </ActionIcon>
                        </Tooltip>
                        <Menu position="bottom-end">
                          <Menu.Target>
                            <ActionIcon variant="subtle" aria-label={`More for ${m.name}`}>
                              <IconDots size={18} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconCode size={14} />} onClick={() => setSnippetsOf(m.name)}>
                              Call from your code…
                            </Menu.Item>
                            <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => setNaming({ kind: 'copy', model: m })}>
                              Copy…
                            </Menu.Item>
                            <Menu.Item
                              leftSection={<IconPencil size={14} />}
                              onClick={() => setNaming({ kind: 'rename', model: m })}
                            >
                              Rename…
                            </Menu.Item>
                            <Menu.Item leftSection={<IconFileExport size={14} />} onClick={() => setExporting(m.name)}>
                              Export…
                            </Menu.Item>
                            <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting(m)}>
                              Delete…
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
      <ModelDetailsDrawer name={details} onClose={() => setDetails(null)} />
      <ImportModelDialog opened={importing} onClose={() => setImporting(false)} />
      <ExportModelDialog name={exporting} onClose={() => setExporting(null)} />
      <ModelSnippetsDialog model={snippetsOf} onClose={() => setSnippetsOf(null)} />
      <NameDialog key={naming ? `${naming.kind}:${naming.model.name}` : 'none'} action={naming} onClose={() => setNaming(null)} />
      <ConfirmDialog
        opened={deleting !== null}
        title={`Delete ${deleting?.name ?? ''}?`}
        message={`Its ${formatBytes(deleting?.size ?? 0)} of weights are removed from Ollama. Layers other models share stay. Your conversations are kept.`}
        confirmLabel="Delete"
        busy={deleteBusy}
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          setDeleteBusy(true);
          try {
            await call('ollama.delete', { name: deleting.name });
            await queryClient.invalidateQueries({ queryKey: ['ollama.models'] });
            setDeleting(null);
          } catch (error) {
            notifyError(`Could not delete ${deleting.name}`, error);
          } finally {
            setDeleteBusy(false);
          }
        }}
      />
    </Stack>
  );
}
