import { DropArea } from '../../components/DropArea';
import { Alert, Button, Group, Modal, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { IconFolderOpen, IconHammer } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { buildCommand } from '../../../../shared/podman-commands';
import { CommandPreview } from '../../components/CommandPreview';
import { imageReference, type BuildContextInput, type HostHandle } from '../../../../shared/contract';
import { call, CallError, subscribe } from '../../api/client';
import { filesFromDrop, filesFromInput, hasNativeFiles, registerDropped, sendFiles, type PickedFile } from '../../api/transfers';
import { AddRowButton, KeyValueRow, StreamedLog } from '../../components/RowEditors';
import { notifyDone } from '../../components/notify';

const MAX_LOG_LINES = 5_000;

/** The folder to build: a handle main gave (Electron: dialog or drop) or the files the page picked (browser). */
type Folder = { kind: 'handle'; chosen: HostHandle } | { kind: 'browser'; name: string; files: PickedFile[] };

/** Picked or dropped files of one folder, with paths relative to that folder. */
function browserFolder(picked: PickedFile[]): Folder | null {
  if (picked.length === 0) return null;
  const top = picked[0]!.path.split('/')[0]!;
  const inOne = picked.every((p) => p.path.startsWith(`${top}/`));
  return {
    kind: 'browser',
    name: inOne ? top : `${picked.length} files`,
    files: inOne ? picked.map((p) => ({ file: p.file, path: p.path.slice(top.length + 1) })) : picked,
  };
}

function contextOf(folder: Folder): BuildContextInput {
  return folder.kind === 'handle'
    ? { kind: 'handle', handle: folder.chosen.handle }
    : { kind: 'browser', files: folder.files.map((f) => ({ path: f.path, size: f.file.size })) };
}

/** Build from a folder with a Containerfile or Dockerfile: the log streams as the engine writes it. */
export function BuildDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [folder, setFolder] = useState<Folder | null>(null);
  const [registries, setRegistries] = useState<string[]>([]);
  const logins = useQuery({ queryKey: ['registries.list'], queryFn: () => call('registries.list'), enabled: opened });
  const directoryInput = useRef<HTMLInputElement>(null);
  const native = hasNativeFiles();
  const [containerfile, setContainerfile] = useState('');
  const [tag, setTag] = useState('');
  const [args, setArgs] = useState<{ key: string; value: string }[]>([]);
  const [log, setLog] = useState<string[]>([]);
  const [building, setBuilding] = useState(false);
  const [result, setResult] = useState<{ id: string; tag: string } | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const stop = useRef<(() => void) | null>(null);
  const uploads = useRef<AbortController | null>(null);
  const tagCheck = imageReference.safeParse(tag);
  const argError = args.find((a) => a.key && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.key));

  const browse = async () => {
    // Electron asks with main's dialog (a handle comes back); the browser has its own folder picker.
    if (!native) return directoryInput.current?.click();
    try {
      const chosen = await call('images.chooseBuildFolder');
      if (chosen) setFolder({ kind: 'handle', chosen });
    } catch (failure) {
      setError(failure instanceof CallError ? failure : new CallError({ code: 'INTERNAL', message: String(failure) }));
    }
  };
  const dropped = async (data: DataTransfer) => {
    try {
      if (native) {
        const [chosen] = await registerDropped([...data.files].slice(0, 1));
        if (chosen) setFolder({ kind: 'handle', chosen });
      } else setFolder(browserFolder(await filesFromDrop(data)));
    } catch (failure) {
      setError(failure instanceof CallError ? failure : new CallError({ code: 'INTERNAL', message: String(failure) }));
    }
  };
  const start = () => {
    if (!folder || !tagCheck.success || argError) return;
    setLog([]);
    setResult(null);
    setError(null);
    setBuilding(true);
    const buildArgs = Object.fromEntries(args.filter((a) => a.key).map((a) => [a.key, a.value]));
    const sending = new AbortController();
    uploads.current = sending;
    const picked = folder.kind === 'browser' ? folder.files : [];
    stop.current = subscribe(
      'images.build',
      {
        context: contextOf(folder),
        tag: tagCheck.data,
        buildArgs,
        registries,
        ...(containerfile.trim() ? { containerfile: containerfile.trim() } : {}),
      },
      {
        onItems: (events) => {
          const lines: string[] = [];
          for (const e of events) {
            if (e.type === 'log') lines.push(...e.text.replace(/\n$/, '').split('\n'));
            else if (e.type === 'awaiting-files') {
              // main reads the Containerfile first, then asks for the files that go (the ignore file applied)
              sendFiles(e.ticket, picked, e.indexes, sending.signal).catch((failure: unknown) => {
                if (!sending.signal.aborted)
                  setError(
                    failure instanceof CallError ? failure : new CallError({ code: 'INTERNAL', message: String(failure) }),
                  );
              });
            } else {
              setResult({ id: e.id, tag: e.tag });
              // A folder by handle is used up by a build that succeeded: the next one asks again.
              if (folder.kind === 'handle') setFolder(null);
              notifyDone(`Built ${e.tag}`);
            }
          }
          if (lines.length) setLog((l) => [...l, ...lines].slice(-MAX_LOG_LINES));
        },
        onEnd: (err) => {
          stop.current = null;
          sending.abort();
          setBuilding(false);
          if (err && err.code !== 'CANCELLED') setError(err);
        },
      },
    );
  };
  const cancel = () => {
    uploads.current?.abort();
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
          <DropArea
            onDrop={(data) => {
              if (!building) void dropped(data);
            }}
          >
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={2}>
                <Text size="sm" fw={500}>
                  Folder
                </Text>
                <Text size="sm" c={folder ? undefined : 'dimmed'} data-testid="build-folder">
                  {folder
                    ? folder.kind === 'handle'
                      ? folder.chosen.name
                      : `${folder.name} (${folder.files.length} file${folder.files.length === 1 ? '' : 's'})`
                    : 'Drop the folder with the Containerfile or Dockerfile here, or choose it.'}
                </Text>
                <Text size="xs" c="dimmed">
                  .containerignore and .dockerignore are honoured.
                </Text>
              </Stack>
              <Button
                variant="default"
                leftSection={<IconFolderOpen size={16} />}
                onClick={() => void browse()}
                disabled={building}
              >
                Choose a folder…
              </Button>
            </Group>
            <input
              ref={(el) => {
                directoryInput.current = el;
                el?.setAttribute('webkitdirectory', '');
              }}
              type="file"
              multiple
              hidden
              data-testid="build-folder-input"
              onChange={(e) => {
                if (e.currentTarget.files) setFolder(browserFolder(filesFromInput(e.currentTarget.files)));
                e.currentTarget.value = '';
              }}
            />
          </DropArea>
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
          {(logins.data?.logins.length ?? 0) > 0 && (
            <MultiSelect
              label="Also use my login for"
              description="The build gets your login for the registries its Containerfile pulls from; add others it needs here."
              data={(logins.data?.logins ?? []).map((l) => l.server)}
              value={registries}
              onChange={setRegistries}
              disabled={building}
              clearable
            />
          )}
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
          <CommandPreview
            commands={
              folder && tagCheck.success
                ? buildCommand({
                    tag: tagCheck.data,
                    context: folder.kind === 'handle' ? folder.chosen.name : folder.name,
                    ...(containerfile.trim() ? { containerfile: containerfile.trim() } : {}),
                    buildArgs: Object.fromEntries(args.filter((a) => a.key).map((a) => [a.key, a.value])),
                  })
                : null
            }
          />
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
              <Button variant="default" onClick={close} data-testid="build-close">
                Close
              </Button>
            )}
            <Button
              type="submit"
              leftSection={<IconHammer size={16} />}
              loading={building}
              disabled={!folder || !tagCheck.success || Boolean(argError)}
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
