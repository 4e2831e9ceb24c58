import {
  ActionIcon,
  Alert,
  Autocomplete,
  Button,
  FileInput,
  Group,
  Modal,
  Progress,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconFileImport, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { HostHandle, ModelImportProgress } from '../../../../shared/contract';
import { isGguf, MODEL_PARAMETERS, notGgufMessage, parametersFrom } from '../../../../shared/model-file';
import { modelNameProblem } from '../../../../shared/model-name';
import { call, subscribe, type CallError } from '../../api/client';
import { hasNativeFiles, sendFiles } from '../../api/transfers';
import { notifyDone } from '../../components/notify';
import { formatBytes } from '../../lib/format';

/** The file to import: a handle main gave (its dialog), or the File the page holds (browser host). */
type Picked = { kind: 'handle'; handle: HostHandle } | { kind: 'file'; file: File };

/** A name Ollama takes, from a file name: "Llama-3.2-1B-Instruct-Q4_K_M.gguf" → "llama-3.2-1b-instruct-q4_k_m". */
export function suggestedModelName(fileName: string): string {
  const stem = fileName.replace(/\.gguf$/i, '').toLowerCase();
  return stem
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/\.{2,}/g, '.')
    .slice(0, 120)
    .replace(/[^a-z0-9]+$/, '');
}

function progressText(p: ModelImportProgress | null): { label: string; percent: number | null } {
  if (!p) return { label: 'Starting…', percent: null };
  const pct = (c: number, t: number) => (t > 0 ? Math.min(100, (c / t) * 100) : 0);
  switch (p.phase) {
    case 'awaiting-file':
      return { label: 'Reading the file…', percent: null };
    case 'hashing':
      return {
        label: `Checking the file: ${formatBytes(p.completed)} of ${formatBytes(p.total)}`,
        percent: pct(p.completed, p.total),
      };
    case 'uploading':
      return {
        label: `Sending it to Ollama: ${Math.round(pct(p.completed, p.total))}% (${formatBytes(p.completed)} of ${formatBytes(p.total)})`,
        percent: pct(p.completed, p.total),
      };
    case 'creating':
      return { label: `Ollama is creating the model: ${p.status}`, percent: null };
    case 'done':
      return { label: 'Done', percent: 100 };
  }
}

export function ImportModelDialog({
  opened,
  onClose,
  onImported,
}: {
  opened: boolean;
  onClose: () => void;
  /** The model's name as Ollama lists it (with its tag), once imported. */
  onImported?: (name: string) => void;
}) {
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<Picked | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [template, setTemplate] = useState('');
  const [system, setSystem] = useState('');
  const [rows, setRows] = useState<{ key: string; value: string }[]>([]);
  const [progress, setProgress] = useState<ModelImportProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const stopRef = useRef<(() => void) | null>(null);
  const uploadsRef = useRef<AbortController | null>(null);
  const native = hasNativeFiles();

  const nameProblem = name.trim() === '' && !nameTouched ? null : modelNameProblem(name);
  const params = parametersFrom(rows);
  const fileName = picked ? (picked.kind === 'handle' ? picked.handle.name.split(/[/\\]/).pop()! : picked.file.name) : '';
  const ready = picked !== null && !fileProblem && name.trim() !== '' && !modelNameProblem(name) && 'value' in params;

  const reset = () => {
    setPicked(null);
    setFileProblem(null);
    setName('');
    setNameTouched(false);
    setTemplate('');
    setSystem('');
    setRows([]);
    setProgress(null);
    setError(null);
  };
  const cancel = () => {
    uploadsRef.current?.abort();
    stopRef.current?.();
    stopRef.current = null;
    setRunning(false);
  };
  const close = () => {
    cancel();
    reset();
    onClose();
  };

  const choose = (next: Picked, shownName: string) => {
    setPicked(next);
    setError(null);
    if (!nameTouched || name.trim() === '') setName(suggestedModelName(shownName));
  };

  const pickNative = async () => {
    try {
      const chosen = await call('ollama.chooseModelFile');
      if (chosen) {
        setFileProblem(null);
        choose({ kind: 'handle', handle: chosen }, chosen.name.split(/[/\\]/).pop() ?? chosen.name);
      }
    } catch (e) {
      setError(e as CallError);
    }
  };

  const pickFile = async (file: File | null) => {
    if (!file) {
      setPicked(null);
      setFileProblem(null);
      return;
    }
    // Said at once here; main checks again as it reads the file.
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    setFileProblem(isGguf(head) ? null : notGgufMessage(file.name));
    choose({ kind: 'file', file }, file.name);
  };

  const start = () => {
    if (!picked || !('value' in params)) return;
    setError(null);
    setProgress(null);
    setRunning(true);
    const uploads = new AbortController();
    uploadsRef.current = uploads;
    const trimmed = name.trim();
    const source =
      picked.kind === 'handle'
        ? { kind: 'handle' as const, handle: picked.handle.handle }
        : { kind: 'browser' as const, fileName: picked.file.name, size: picked.file.size };
    stopRef.current = subscribe(
      'ollama.import',
      {
        name: trimmed,
        source,
        ...(template.trim() ? { template } : {}),
        ...(system.trim() ? { system } : {}),
        ...(Object.keys(params.value).length > 0 ? { parameters: params.value as never } : {}),
      },
      {
        onItems(items) {
          for (const item of items) {
            if (item.phase === 'awaiting-file') {
              if (picked.kind === 'file') {
                // A failure here is reported by main on the stream too.
                sendFiles(item.ticket, [{ file: picked.file, path: picked.file.name }], undefined, uploads.signal).catch(
                  () => undefined,
                );
              }
            } else setProgress(item);
          }
        },
        onEnd(failure) {
          stopRef.current = null;
          uploads.abort();
          setRunning(false);
          if (failure) {
            if (failure.code !== 'CANCELLED') setError(failure);
            return;
          }
          void queryClient.invalidateQueries({ queryKey: ['ollama.models'] });
          notifyDone(`${trimmed} is ready: you can chat with it`);
          onImported?.(trimmed.includes(':') ? trimmed : `${trimmed}:latest`);
          reset();
          onClose();
        },
      },
    );
  };

  const shown = progressText(progress);

  return (
    <Modal opened={opened} onClose={close} title="Import a model file" size="lg" centered>
      <Stack data-testid="import-dialog">
        <Text size="sm">
          Import a <b>.gguf</b> file (from a USB stick, a colleague, or Hugging Face) into Ollama, under a name of your choosing.
          The file is copied into Ollama; yours stays where it is.
        </Text>
        {native ? (
          <Group>
            <Button
              variant="default"
              leftSection={<IconFileImport size={16} />}
              onClick={() => void pickNative()}
              disabled={running}
            >
              Choose a .gguf file…
            </Button>
            <Text size="sm" data-testid="import-file-name">
              {fileName || 'No file chosen'}
            </Text>
          </Group>
        ) : (
          <FileInput
            label="Model file"
            placeholder="Choose a .gguf file"
            accept=".gguf"
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
            disabled={running}
            onChange={(file) => void pickFile(file)}
            error={fileProblem}
            data-testid="import-file"
          />
        )}
        {native && fileProblem && (
          <Alert color="red" role="alert">
            {fileProblem}
          </Alert>
        )}
        <TextInput
          label="Name in Ollama"
          description="As you will pick it in a chat, e.g. my-model or my-model:q4"
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            setNameTouched(true);
          }}
          error={nameProblem}
          disabled={running}
          required
          data-testid="import-name"
        />
        <Textarea
          label="Template (optional)"
          description="How a conversation is laid out for this model, in Ollama's template language. Leave empty to use the one inside the file, when it has one."
          value={template}
          onChange={(e) => setTemplate(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={6}
          disabled={running}
          styles={{ input: { fontFamily: 'monospace' } }}
          data-testid="import-template"
        />
        <Textarea
          label="System prompt (optional)"
          value={system}
          onChange={(e) => setSystem(e.currentTarget.value)}
          autosize
          minRows={1}
          maxRows={4}
          disabled={running}
          data-testid="import-system"
        />
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Parameters (optional)
          </Text>
          {rows.map((row, i) => (
            <Group key={i} gap="xs" align="start" data-testid="import-parameter">
              <Autocomplete
                aria-label={`Parameter ${i + 1} name`}
                placeholder="temperature"
                data={[...MODEL_PARAMETERS]}
                value={row.key}
                onChange={(key) => setRows(rows.map((r, j) => (j === i ? { ...r, key } : r)))}
                disabled={running}
                w={200}
              />
              <TextInput
                aria-label={`Parameter ${i + 1} value`}
                placeholder="0.7"
                value={row.value}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setRows(rows.map((r, j) => (j === i ? { ...r, value } : r)));
                }}
                disabled={running}
                style={{ flex: 1 }}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                aria-label={`Remove parameter ${i + 1}`}
                onClick={() => setRows(rows.filter((_, j) => j !== i))}
                disabled={running}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          {'error' in params && (
            <Text size="sm" c="red" role="alert" data-testid="import-parameter-error">
              {params.error}
            </Text>
          )}
          <Group>
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => setRows([...rows, { key: '', value: '' }])}
              disabled={running}
            >
              Add a parameter
            </Button>
          </Group>
        </Stack>
        {(running || progress) && (
          <Stack gap={4} data-testid="import-progress" data-phase={progress?.phase ?? 'starting'}>
            <Progress value={shown.percent ?? 100} animated={running && shown.percent === null} aria-label="Import progress" />
            <Text size="sm" aria-live="polite">
              {shown.label}
            </Text>
          </Stack>
        )}
        {error && (
          <Alert color="red" role="alert" title="The model was not imported" data-testid="import-error">
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={running ? cancel : close} data-testid="import-cancel">
            {running ? 'Cancel import' : 'Close'}
          </Button>
          <Button onClick={start} disabled={!ready || running} loading={running} data-testid="import-start">
            Import
          </Button>
        </Group>
        {picked?.kind === 'file' && (
          <Text size="xs" c="dimmed">
            {formatBytes(picked.file.size)} · the file is read twice: once to compute its checksum, once to send it.
          </Text>
        )}
      </Stack>
    </Modal>
  );
}
