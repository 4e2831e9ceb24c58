import { Alert, Button, Group, Modal, Progress, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconLogin } from '@tabler/icons-react';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { imageReference } from '../../../../shared/contract';
import type { CallError } from '../../api/client';
import { pullCommand } from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { notifyDone } from '../../components/notify';
import { formatBytes } from '../../lib/format';
import { pullAmount, pullInBackground, pullPercent, startPull, type PullState, type PullTask } from './pull-task';

const IDLE: PullState = { progress: null, error: null, running: false };

/** The pull the dialog shows, and how to stop listening to it. */
interface Watched {
  pull: PullTask;
  unlisten: () => void;
}

function stopWatching(task: RefObject<Watched | null>): void {
  task.current?.unlisten();
  task.current = null;
}

/** A pull still running when the dialog closes (or the page goes) carries on in a notification. */
function handOff(task: RefObject<Watched | null>): void {
  const pull = task.current?.pull;
  stopWatching(task);
  if (pull?.state().running) pullInBackground(pull);
}

/** What to do about each kind of failure, in a sentence. */
export function pullAdvice(error: CallError): string | null {
  switch (error.code) {
    case 'NOT_FOUND':
      return 'Check the spelling of the name and the tag (browse the registry’s site to see which tags exist).';
    case 'UNAUTHORIZED':
      return 'This registry wants you to log in first — or the name is wrong and the registry hides that it does not exist.';
    case 'UNREACHABLE':
      return 'Check the network connection and the registry’s address. PodDesk works offline with images you already have.';
    default:
      return null;
  }
}

/**
 * Pull by reference, with one progress bar summed over every layer, and a Cancel that really stops
 * it. Closing the dialog mid-pull does not: the pull goes on in a notification.
 */
export function PullDialog({
  opened,
  onClose,
  onLogin,
}: {
  opened: boolean;
  onClose: () => void;
  onLogin: (server: string) => void;
}) {
  const [reference, setReference] = useState('');
  const [{ progress, error, running: pulling }, setState] = useState<PullState>(IDLE);
  const task = useRef<Watched | null>(null);
  const check = imageReference.safeParse(reference);
  useEffect(() => () => handOff(task), []);

  const start = () => {
    if (!check.success) return;
    const pull = startPull(check.data);
    setState(pull.state());
    const unlisten = pull.listen((state) => {
      setState(state);
      if (!state.running) {
        if (state.progress?.id) notifyDone(`Pulled ${pull.reference}`);
        stopWatching(task);
      }
    });
    task.current = { pull, unlisten };
  };
  const cancel = () => {
    task.current?.pull.cancel();
    stopWatching(task);
    setState(IDLE);
  };
  const close = () => {
    handOff(task);
    setState(IDLE);
    onClose();
  };
  const registry = (() => {
    const first = reference.split('/')[0] ?? '';
    return reference.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
  })();
  const done = Boolean(progress?.id);
  const percent = pullPercent(progress);

  return (
    <Modal opened={opened} onClose={close} title="Pull an image" size="lg" centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <Stack>
          <TextInput
            label="Image"
            placeholder="docker.io/library/nginx:1.27"
            description="registry/name:tag — without a tag, :latest"
            data-autofocus
            value={reference}
            onChange={(e) => {
              setReference(e.currentTarget.value);
              setState(IDLE);
            }}
            error={reference && !check.success ? check.error.issues[0]?.message : null}
            disabled={pulling}
            data-testid="pull-reference"
          />
          <CommandPreview commands={check.success ? pullCommand(check.data) : null} />
          {progress && (
            <Stack gap={4} data-testid="pull-progress">
              <Progress
                value={percent ?? 0}
                animated={pulling && !done}
                striped={percent === null}
                size="lg"
                color={done ? 'teal' : 'violet'}
                aria-label="Pull progress"
                data-testid="pull-bar"
                data-value={percent ?? ''}
              />
              <Group justify="space-between">
                <Text size="sm" data-testid="pull-bytes">
                  {pullAmount(progress, percent)}
                </Text>
                <Text size="sm" c="dimmed">
                  {done ? 'Done' : progress.bytesPerSecond > 0 ? `${formatBytes(progress.bytesPerSecond)}/s` : ''}
                  {progress.layers > 0 ? ` · layers ${progress.layersDone}/${progress.layers}` : ''}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" ff="monospace" truncate>
                {done ? `Image ${progress.id!.slice(0, 12)} is ready.` : progress.status}
              </Text>
            </Stack>
          )}
          {error && (
            <Alert
              color="red"
              icon={<IconAlertTriangle size={16} />}
              title={
                error.code === 'UNAUTHORIZED'
                  ? 'Authentication required'
                  : error.code === 'NOT_FOUND'
                    ? 'Image not found'
                    : error.code === 'UNREACHABLE'
                      ? 'Registry unreachable'
                      : 'The pull failed'
              }
              data-testid="pull-error"
              data-code={error.code}
            >
              <Text size="sm">{error.message}</Text>
              {pullAdvice(error) && (
                <Text size="sm" c="dimmed" mt={4}>
                  {pullAdvice(error)}
                </Text>
              )}
              {error.code === 'UNAUTHORIZED' && (
                <Button size="xs" mt="sm" leftSection={<IconLogin size={14} />} onClick={() => onLogin(registry)}>
                  Log in to {registry}
                </Button>
              )}
            </Alert>
          )}
          <Group justify="flex-end">
            {pulling ? (
              <>
                <Button variant="default" onClick={close} data-testid="pull-background">
                  Continue in background
                </Button>
                <Button color="red" variant="light" onClick={cancel} data-testid="pull-cancel">
                  Cancel
                </Button>
              </>
            ) : (
              <Button variant="default" onClick={close} data-testid="pull-dialog-close">
                {done ? 'Close' : 'Cancel'}
              </Button>
            )}
            <Button
              type="submit"
              leftSection={<IconDownload size={16} />}
              loading={pulling}
              disabled={!check.success}
              data-testid="pull-start"
            >
              Pull
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
