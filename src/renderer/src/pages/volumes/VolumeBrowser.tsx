import {
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Code,
  FileButton,
  Grid,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconFolderPlus, IconRefresh, IconSearch, IconUpload } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState, type DragEvent } from 'react';
import type { FileEntry } from '../../../../shared/contract';
import { call, CallError } from '../../api/client';
import { filesFromDrop, filesFromInput, hasNativeFiles, incomingFrom, type PickedFile } from '../../api/transfers';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EngineGate } from '../../components/ConnectionPanel';
import { notifyDone, notifyError } from '../../components/notify';
import { runTransfer } from '../../components/transfer-notice';
import { downloadTitles, uploadTitles } from '../../lib/transfer-titles';
import { navigate } from '../../lib/router';
import { FileList, type FileActions } from './FileList';
import { FilePreview } from './FilePreview';
import { FolderTree } from './FolderTree';
import { openVolume } from './route';
import { sortEntries, type SortKey } from './sort';

const NAME_ERROR = (name: string) =>
  !name ? null : name.includes('/') ? 'A name cannot contain “/”' : name === '.' || name === '..' ? 'Not a usable name' : null;

function NameDialog(props: {
  title: string;
  initial: string;
  label: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const [name, setName] = useState(props.initial);
  const [busy, setBusy] = useState(false);
  const error = NAME_ERROR(name);
  const submit = async () => {
    setBusy(true);
    try {
      await props.onSubmit(name);
      props.onClose();
    } catch (e) {
      notifyError(props.title, e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={props.onClose} title={props.title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name && !error) void submit();
        }}
      >
        <Stack>
          <TextInput
            label={props.label}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={error}
            data-autofocus
            data-testid="name-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name || Boolean(error)} data-testid="name-submit">
              {props.label === 'Folder name' ? 'Create' : 'Rename'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The helper image is missing: ask once, pull, and go on. */
function HelperConsent({ image, onDone }: { image: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Alert
      color="blue"
      icon={<IconAlertTriangle size={16} />}
      title="This volume opens through a helper container"
      data-testid="helper-consent"
    >
      <Stack gap="xs">
        <Text size="sm">
          Its files are not readable from this computer directly, so PodDesk uses a tiny helper container that mounts it. The
          helper’s image, <code>{image}</code>, is not here yet. Pull it now? It is downloaded once (about 2 MB) and kept; you can
          change it in Settings.
        </Text>
        <Group>
          <Button
            size="xs"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await call('volumes.pullHelperImage');
                onDone();
              } catch (e) {
                notifyError('Could not pull the helper image', e);
              } finally {
                setBusy(false);
              }
            }}
          >
            Pull {image}
          </Button>
          <Button size="xs" variant="default" onClick={() => navigate('/volumes')}>
            Not now
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

export function VolumeBrowser({ volume, path }: { volume: string; path: string }) {
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'name', descending: false });
  // The selection belongs to the folder it was made in: opening another folder clears it.
  const [selection, setSelection] = useState<{ at: string; entry: FileEntry } | null>(null);
  const selected = selection && selection.at === `${volume}/${path}` ? selection.entry : null;
  const setSelected = (entry: FileEntry | null) => setSelection(entry ? { at: `${volume}/${path}`, entry } : null);
  const [naming, setNaming] = useState<{ kind: 'mkdir' } | { kind: 'rename'; entry: FileEntry } | null>(null);
  const [deleting, setDeleting] = useState<FileEntry | null>(null);
  const [replacing, setReplacing] = useState<{ existing: string[]; again: () => void } | null>(null);
  /** A CONFLICT naming files that exist: ask "Replace?" and, if so, run the upload again with overwrite. */
  const askToReplace = (error: unknown, again: (details: { handles?: string[] }) => void): boolean => {
    const details =
      error instanceof CallError && error.code === 'CONFLICT'
        ? (error.details as { existing?: string[]; handles?: string[] } | undefined)
        : undefined;
    if (!details?.existing) return false;
    setReplacing({ existing: details.existing, again: () => again(details) });
    return true;
  };
  const [dragging, setDragging] = useState(false);
  const dragDepth = useRef(0);

  const listing = useQuery({
    queryKey: ['volumes.files.list', volume, path],
    queryFn: () => call('volumes.files.list', { volume, path }),
  });
  const entries = useMemo(
    () => sortEntries(listing.data?.entries ?? [], sort.key, sort.descending, filter),
    [listing.data, sort, filter],
  );
  const dir = listing.data?.path ?? path;
  // Uploads and new folders go into the folder on screen: not before it opened (or while the helper image is missing).
  const writable = listing.data !== undefined;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['volumes.files.list', volume] });

  const upload = async (picked: PickedFile[], overwrite = false): Promise<void> => {
    if (picked.length === 0) return;
    const titles = uploadTitles(picked.length === 1 ? picked[0]!.path : `${picked.length} files`, volume);
    let source;
    try {
      source = await incomingFrom(picked);
    } catch (error) {
      notifyError('Could not read the dropped files', error);
      return;
    }
    const last = await runTransfer(titles, 'volumes.files.upload', { volume, dir, source, overwrite }, picked, (error) =>
      askToReplace(error, () => void upload(picked, true)),
    );
    if (last) void refresh();
  };

  const uploadNative = async (source: { kind: 'choose'; directories: boolean } | { kind: 'handles'; handles: string[] }) => {
    const last = await runTransfer(
      uploadTitles(null, volume),
      'volumes.files.upload',
      { volume, dir, source, overwrite: source.kind === 'handles' },
      [],
      (error) =>
        source.kind === 'choose' &&
        // main answers handles for what was chosen: "Replace" sends them back (the page never sees the paths)
        askToReplace(error, ({ handles }) => {
          if (handles?.length) void uploadNative({ kind: 'handles', handles });
        }),
    );
    if (last) void refresh();
  };

  const actions: FileActions = {
    open(entry) {
      if (entry.type === 'dir') openVolume(volume, entry.path);
      else setSelected(entry);
    },
    download(entry, format) {
      void runTransfer(downloadTitles(entry.name), 'volumes.files.download', { volume, path: entry.path, format });
    },
    rename: (entry) => setNaming({ kind: 'rename', entry }),
    remove: (entry) => setDeleting(entry),
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    try {
      await upload(await filesFromDrop(e.dataTransfer));
    } catch (error) {
      notifyError('Could not read the dropped files', error);
    }
  };

  const crumbs = ['', ...(dir ? dir.split('/') : [])];
  const helperImage =
    listing.error instanceof CallError ? (listing.error.details as { helperImage?: string } | undefined)?.helperImage : undefined;

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="xs">
          <Tooltip label="All volumes">
            <Button variant="subtle" size="compact-sm" onClick={() => navigate('/volumes')} aria-label="Back to volumes">
              <IconArrowLeft size={18} />
            </Button>
          </Tooltip>
          <Title order={2}>{volume}</Title>
          {listing.data && (
            <Tooltip
              label={
                listing.data.access === 'direct'
                  ? 'Read straight from the volume’s mount point on this computer'
                  : 'Opened through a helper container that mounts the volume'
              }
            >
              <Badge variant="light" color={listing.data.access === 'direct' ? 'teal' : 'blue'} data-testid="access-badge">
                {listing.data.access === 'direct' ? 'Direct access' : 'Helper container'}
              </Badge>
            </Tooltip>
          )}
        </Group>
        <Group>
          <TextInput
            placeholder="Filter this folder…"
            leftSection={<IconSearch size={16} />}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={220}
            aria-label="Filter files"
          />
          {hasNativeFiles() ? (
            <>
              <Button
                variant="default"
                leftSection={<IconUpload size={16} />}
                disabled={!writable}
                onClick={() => void uploadNative({ kind: 'choose', directories: false })}
              >
                Upload files
              </Button>
              <Button
                variant="default"
                leftSection={<IconUpload size={16} />}
                disabled={!writable}
                onClick={() => void uploadNative({ kind: 'choose', directories: true })}
              >
                Upload folder
              </Button>
            </>
          ) : (
            <>
              <FileButton multiple onChange={(files) => void upload(files.map((file) => ({ file, path: file.name })))}>
                {(p) => (
                  <Button variant="default" leftSection={<IconUpload size={16} />} disabled={!writable} {...p}>
                    Upload files
                  </Button>
                )}
              </FileButton>
              <FolderPicker disabled={!writable} onPick={(files) => void upload(files)} />
            </>
          )}
          <Button
            variant="default"
            leftSection={<IconFolderPlus size={16} />}
            disabled={!writable}
            onClick={() => setNaming({ kind: 'mkdir' })}
            data-testid="new-folder"
          >
            New folder
          </Button>
          <Tooltip label="Refresh">
            <Button variant="subtle" onClick={() => void refresh()} aria-label="Refresh">
              <IconRefresh size={18} />
            </Button>
          </Tooltip>
        </Group>
      </Group>
      <Breadcrumbs data-testid="breadcrumbs">
        {crumbs.map((part, i) => {
          const target = crumbs.slice(1, i + 1).join('/');
          return (
            <Anchor key={target || '/'} component="button" size="sm" onClick={() => openVolume(volume, target)}>
              {i === 0 ? volume : part}
            </Anchor>
          );
        })}
      </Breadcrumbs>
      <EngineGate>
        {helperImage ? (
          <HelperConsent image={helperImage} onDone={() => void refresh()} />
        ) : (
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: selected ? 2 : 2.5 }}>
              <Paper withBorder p="xs" h="calc(100vh - 220px)" style={{ overflow: 'auto' }} data-testid="folder-tree">
                <FolderTree volume={volume} current={dir} onOpen={(p) => openVolume(volume, p)} />
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: selected ? 6.5 : 9.5 }}>
              <Paper
                withBorder
                style={{ position: 'relative', outline: dragging ? '2px dashed var(--mantine-primary-color-filled)' : undefined }}
                onDragEnter={(e) => {
                  e.preventDefault();
                  dragDepth.current++;
                  setDragging(true);
                }}
                onDragOver={(e) => e.preventDefault()}
                onDragLeave={() => {
                  dragDepth.current = Math.max(0, dragDepth.current - 1);
                  if (dragDepth.current === 0) setDragging(false);
                }}
                onDrop={(e) => void onDrop(e)}
                data-testid="drop-zone"
              >
                {listing.isLoading ? (
                  <Group p="md">
                    <Loader size="sm" />
                    <Text size="sm">Opening {dir || 'the volume'}…</Text>
                  </Group>
                ) : listing.error ? (
                  <Alert color="red" m="md" icon={<IconAlertTriangle size={16} />} data-testid="listing-error">
                    {listing.error.message}
                  </Alert>
                ) : (
                  <FileList
                    entries={entries}
                    selected={selected?.path ?? null}
                    sort={sort}
                    onSort={(key) => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }))}
                    onSelect={(entry) => (entry.type === 'dir' ? openVolume(volume, entry.path) : setSelected(entry))}
                    actions={actions}
                    height="calc(100vh - 262px)"
                  />
                )}
                {listing.data && entries.length === 0 && (
                  <Text c="dimmed" size="sm" ta="center" p="md" style={{ position: 'absolute', top: 60, left: 0, right: 0 }}>
                    {filter ? `Nothing matches “${filter}”.` : 'This folder is empty. Drop files here to upload them.'}
                  </Text>
                )}
                {dragging && (
                  <Box
                    style={{
                      position: 'absolute',
                      inset: 0,
                      background: 'rgba(124, 58, 237, 0.08)',
                      display: 'grid',
                      placeItems: 'center',
                      pointerEvents: 'none',
                    }}
                  >
                    <Text fw={600}>Drop to upload to /{dir}</Text>
                  </Box>
                )}
              </Paper>
              <Text size="xs" c="dimmed" mt={4}>
                {listing.data ? `${listing.data.entries.length} ${listing.data.entries.length === 1 ? 'item' : 'items'}` : ''} ·
                drop files or folders to upload
              </Text>
            </Grid.Col>
            {selected && (
              <Grid.Col span={{ base: 12, md: 3.5 }}>
                <Paper withBorder p="sm">
                  <FilePreview volume={volume} entry={selected} />
                </Paper>
              </Grid.Col>
            )}
          </Grid>
        )}
      </EngineGate>
      {naming?.kind === 'mkdir' && (
        <NameDialog
          title="New folder"
          label="Folder name"
          initial=""
          onClose={() => setNaming(null)}
          onSubmit={async (name) => {
            await call('volumes.files.mkdir', { volume, dir, name });
            void refresh();
          }}
        />
      )}
      {naming?.kind === 'rename' && (
        <NameDialog
          title={`Rename ${naming.entry.name}`}
          label="New name"
          initial={naming.entry.name}
          onClose={() => setNaming(null)}
          onSubmit={async (newName) => {
            await call('volumes.files.rename', { volume, path: naming.entry.path, newName });
            setSelected(null);
            void refresh();
          }}
        />
      )}
      <ConfirmDialog
        opened={replacing !== null}
        title="Replace what is there?"
        message={
          replacing && (
            <>
              {replacing.existing.length === 1 ? 'This name is' : `These ${replacing.existing.length} names are`} already taken in
              /{dir}: <Code>{replacing.existing.slice(0, 8).join(', ')}</Code>
              {replacing.existing.length > 8 ? ` and ${replacing.existing.length - 8} more` : ''}. Replacing overwrites{' '}
              {replacing.existing.length === 1 ? 'it' : 'them'}.
            </>
          )
        }
        confirmLabel="Replace"
        onCancel={() => setReplacing(null)}
        onConfirm={() => {
          const { again } = replacing!;
          setReplacing(null);
          again();
        }}
      />
      <ConfirmDialog
        opened={deleting !== null}
        title={`Delete ${deleting?.name ?? ''}?`}
        message={
          deleting?.type === 'dir'
            ? 'The folder and everything in it are deleted from the volume. This cannot be undone.'
            : deleting?.type === 'symlink'
              ? 'The link is deleted; what it points to is not touched.'
              : 'The file is deleted from the volume. This cannot be undone.'
        }
        confirmLabel="Delete"
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          const target = deleting!;
          setDeleting(null);
          try {
            await call('volumes.files.delete', { volume, paths: [target.path] });
            if (selected?.path === target.path) setSelected(null);
            notifyDone(`${target.name} deleted`);
          } catch (e) {
            notifyError(`Could not delete ${target.name}`, e);
          }
          void refresh();
        }}
      />
    </Stack>
  );
}

/** A folder picker for the browser (webkitdirectory): every file keeps its path in the folder. */
function FolderPicker({ onPick, disabled }: { onPick: (files: PickedFile[]) => void; disabled: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={(el) => {
          input.current = el;
          el?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        multiple
        hidden
        onChange={(e) => {
          if (e.currentTarget.files) onPick(filesFromInput(e.currentTarget.files));
          e.currentTarget.value = '';
        }}
      />
      <Button variant="default" leftSection={<IconUpload size={16} />} disabled={disabled} onClick={() => input.current?.click()}>
        Upload folder
      </Button>
    </>
  );
}
