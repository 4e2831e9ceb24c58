import { Alert, Button, Group, Modal, Progress, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconLogin } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { imageReference, type PullEvent } from '../../../../shared/contract';
import type { CallError } from '../../api/client';
import { notifyDone } from '../../components/notify';
import { formatBytes } from '../../lib/format';
import { pullAmount, pullInBackground, pullPercent, startPull, type PullTask } from './pull-task';

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
  const [progress, setProgress] = useState<PullEvent | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [pulling, setPulling] = useState(false);
  const task = useRef<{ pull: PullTask; unlisten: () => void } | null>(null);
  const check = imageReference.safeParse(reference);

  const letGo = () => {
    task.current?.unlisten();
    task.current = null;
  };
  // A pull still running when the page goes away carries on in a notification.
  useEffect(
    () => () => {
      const pull = task.current?.pull;
      letGo();
      if (pull?.state().running) pullInBackground(pull);
    },
    [],
  );

  const start = () => {
    if (!check.success) return;
    setError(null);
    setProgress(null);
    setPulling(true);
    const pull = startPull(check.data);
    const unlisten = pull.listen((state) => {
      setProgress(state.progress);
      setPulling(state.running);
      if (state.error) setError(state.error);
      if (!state.running) {
        if (state.progress?.id) notifyDone(`Pulled ${pull.reference}`);
        letGo();
      }
    });
    task.current = { pull, unlisten };
  };
  const cancel = () => {
    task.current?.pull.cancel();
    letGo();
    setPulling(false);
    setProgress(null);
  };
  /** Closing keeps a running pull going, in a notification. */
  const close = () => {
    const pull = task.current?.pull;
    letGo();
    if (pull?.state().running) pullInBackground(pull);
    setPulling(false);
    setProgress(null);
    setError(null);
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
              setError(null);
              setProgress(null);
            }}
            error={reference && !check.success ? check.error.issues[0]?.message : null}
            disabled={pulling}
            data-testid="pull-reference"
          />
          {progress && (
            <Stack gap={4} data-testid="pull-progress">
              <Progress
                value={percent ?? 0}
                animated={pulling && !done}
                striped={percent === null}
                size="lg"
                color={done ? 'teal' : 'violet'}
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
              <Button variant="default" onClick={close}>
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
