import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconFolderOpen, IconHammer } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { imageReference } from '../../../../shared/contract';
import { call, subscribe, type CallError } from '../../api/client';
import { AddRowButton, KeyValueRow, StreamedLog } from '../../components/RowEditors';
import { notifyDone } from '../../components/notify';

const MAX_LOG_LINES = 5_000;

/** Build from a folder with a Containerfile or Dockerfile: the log streams as the engine writes it. */
export function BuildDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [folder, setFolder] = useState('');
  const [containerfile, setContainerfile] = useState('');
  const [tag, setTag] = useState('');
  const [args, setArgs] = useState<{ key: string; value: string }[]>([]);
  const [log, setLog] = useState<string[]>([]);
  const [building, setBuilding] = useState(false);
  const [result, setResult] = useState<{ id: string; tag: string } | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [noDialog, setNoDialog] = useState(false);
  const stop = useRef<(() => void) | null>(null);
  const tagCheck = imageReference.safeParse(tag);
  const argError = args.find((a) => a.key && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.key));

  const browse = async () => {
    const chosen = await call('images.chooseBuildFolder').catch(() => null);
    if (chosen) setFolder(chosen);
    else setNoDialog(true);
  };
  const start = () => {
    if (!folder.trim() || !tagCheck.success || argError) return;
    setLog([]);
    setResult(null);
    setError(null);
    setBuilding(true);
    const buildArgs = Object.fromEntries(args.filter((a) => a.key).map((a) => [a.key, a.value]));
    stop.current = subscribe(
      'images.build',
      {
        contextDir: folder.trim(),
        tag: tagCheck.data,
        buildArgs,
        ...(containerfile.trim() ? { containerfile: containerfile.trim() } : {}),
      },
      {
        onItems: (events) => {
          const lines: string[] = [];
          for (const e of events) {
            if (e.type === 'log') lines.push(...e.text.replace(/\n$/, '').split('\n'));
            else {
              setResult({ id: e.id, tag: e.tag });
              notifyDone(`Built ${e.tag}`);
            }
          }
          if (lines.length) setLog((l) => [...l, ...lines].slice(-MAX_LOG_LINES));
        },
        onEnd: (err) => {
          stop.current = null;
          setBuilding(false);
          if (err && err.code !== 'CANCELLED') setError(err);
        },
      },
    );
  };
  const cancel = () => {
    stop.current?.();
    stop.current = null;
    setBuilding(false);
    setLog((l) => [...l, '— Cancelled: the request is closed; Podman finishes the running step, then stops. —']);
  };
  const close = () => {
    if (building) cancel();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Build an image" size="xl" centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <Stack>
          <Group align="flex-end" gap="xs">
            <TextInput
              style={{ flex: 1 }}
              label="Folder"
              description="The build context: the folder with the Containerfile or Dockerfile (.containerignore and .dockerignore are honoured)"
              placeholder="/home/me/projects/app"
              value={folder}
              onChange={(e) => setFolder(e.currentTarget.value)}
              disabled={building}
              data-testid="build-folder"
            />
            <Button variant="default" leftSection={<IconFolderOpen size={16} />} onClick={browse} disabled={building}>
              Browse…
            </Button>
          </Group>
          {noDialog && (
            <Text size="xs" c="dimmed">
              There is no folder dialog in the browser: type the folder’s path on the machine PodDesk runs on.
            </Text>
          )}
          <Group grow align="flex-start">
            <TextInput
              label="Image name"
              placeholder="localhost/my-app:1.0"
              value={tag}
              onChange={(e) => setTag(e.currentTarget.value)}
              error={tag && !tagCheck.success ? tagCheck.error.issues[0]?.message : null}
              disabled={building}
              data-testid="build-tag"
            />
            <TextInput
              label="Containerfile"
              placeholder="Containerfile, else Dockerfile"
              value={containerfile}
              onChange={(e) => setContainerfile(e.currentTarget.value)}
              disabled={building}
            />
          </Group>
          <Stack gap={6}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                Build arguments
              </Text>
              {!building && <AddRowButton compact label="Add" onClick={() => setArgs((a) => [...a, { key: '', value: '' }])} />}
            </Group>
            {args.map((a, i) => (
              <KeyValueRow
                key={i}
                size="xs"
                what="Argument"
                value={a}
                onChange={(patch) => setArgs((all) => all.map((x, j) => (j === i ? { ...x, ...patch } : x)))}
                onRemove={() => setArgs((all) => all.filter((_, j) => j !== i))}
                keyError={a.key && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.key) ? 'Not an argument name' : null}
              />
            ))}
          </Stack>
          {(log.length > 0 || building) && <StreamedLog lines={log} height={280} testId="build-log" />}
          {result && (
            <Alert color="teal" title="Built" data-testid="build-done">
              {result.tag} — image {result.id.slice(0, 12)}
            </Alert>
          )}
          {error && (
            <Alert color="red" title="The build failed" data-testid="build-error">
              <Text size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
                {error.message}
              </Text>
            </Alert>
          )}
          <Group justify="flex-end">
            {building ? (
              <Button color="red" variant="light" onClick={cancel}>
                Cancel the build
              </Button>
            ) : (
              <Button variant="default" onClick={close}>
                Close
              </Button>
            )}
            <Button
              type="submit"
              leftSection={<IconHammer size={16} />}
              loading={building}
              disabled={!folder.trim() || !tagCheck.success || Boolean(argError)}
              data-testid="build-start"
            >
              Build
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
