import {
  ActionIcon,
  Alert,
  Anchor,
  Breadcrumbs,
  Group,
  Loader,
  ScrollArea,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconDownload, IconFile, IconFolder, IconLink } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ContainerFileEntry } from '../../../../../shared/contract';
import { call } from '../../../api/client';
import { notifyDone, notifyError } from '../../../components/notify';
import { formatBytes } from '../../../lib/format';

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** rwxr-xr-x from a mode number. */
export function permissions(mode: number): string {
  const bits = 'rwxrwxrwx';
  return [...bits].map((c, i) => (mode & (1 << (8 - i)) ? c : '-')).join('');
}

function resolveLink(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target : `${dir}/${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (!p || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

/** The container's files, read through the archive API (any state, read-only), a folder at a time. */
export function FilesTab({ id }: { id: string }) {
  const [path, setPath] = useState('/');
  const [downloading, setDownloading] = useState<string | null>(null);
  const listing = useQuery({
    queryKey: ['containers.listFiles', id, path],
    queryFn: () => call('containers.listFiles', { id, path }),
  });
  const crumbs = path.split('/').filter(Boolean);

  const download = async (target: string) => {
    setDownloading(target);
    try {
      const result = await call('containers.downloadPath', { id, path: target });
      if (result) notifyDone(`Saved to ${result.savedTo}`);
    } catch (error) {
      notifyError(`Could not download ${target}`, error);
    } finally {
      setDownloading(null);
    }
  };

  const open = (entry: ContainerFileEntry) => {
    if (entry.type === 'directory') setPath(join(listing.data?.path ?? path, entry.name));
    else if (entry.type === 'symlink' && entry.linkTarget) setPath(resolveLink(listing.data?.path ?? path, entry.linkTarget));
  };

  return (
    <div>
      <Group justify="space-between" mb="xs">
        <Breadcrumbs separator="/" data-testid="files-path">
          <Anchor component="button" size="sm" onClick={() => setPath('/')}>
            root
          </Anchor>
          {crumbs.map((part, i) => (
            <Anchor component="button" key={i} size="sm" onClick={() => setPath(`/${crumbs.slice(0, i + 1).join('/')}`)}>
              {part}
            </Anchor>
          ))}
        </Breadcrumbs>
        <Tooltip label={`Download ${path === '/' ? 'the whole file system' : path} as a .tar`}>
          <ActionIcon
            variant="subtle"
            loading={downloading === path}
            onClick={() => download(path)}
            aria-label="Download this folder"
          >
            <IconDownload size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {listing.isPending && <Loader size="sm" />}
      {listing.error && (
        <Alert color="red" title={`Cannot list ${path}`}>
          {listing.error.message}
        </Alert>
      )}
      {listing.data?.truncated && (
        <Alert color="yellow" mb="xs" title="Partial listing">
          This folder holds more than PodDesk reads for one listing; open a subfolder to see all of it.
        </Alert>
      )}
      {listing.data && (
        <ScrollArea h="calc(100dvh - 330px)" type="auto">
          <Table highlightOnHover verticalSpacing={4} data-testid="files-table" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th ta="right">Size</Table.Th>
                <Table.Th>Permissions</Table.Th>
                <Table.Th>Modified</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {path !== '/' && (
                <Table.Tr style={{ cursor: 'pointer' }} onClick={() => setPath(path.split('/').slice(0, -1).join('/') || '/')}>
                  <Table.Td colSpan={5}>
                    <UnstyledButton
                      aria-label="Up one folder"
                      onClick={(ev) => {
                        ev.stopPropagation();
                        setPath(path.split('/').slice(0, -1).join('/') || '/');
                      }}
                    >
                      <Group gap={6}>
                        <IconFolder size={16} />
                        <Text size="sm">..</Text>
                      </Group>
                    </UnstyledButton>
                  </Table.Td>
                </Table.Tr>
              )}
              {listing.data.entries.map((e) => (
                <Table.Tr
                  key={e.name}
                  data-testid="file-row"
                  data-name={e.name}
                  style={{ cursor: e.type === 'file' ? 'default' : 'pointer' }}
                  onClick={() => open(e)}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {e.type === 'directory' ? (
                        <IconFolder size={16} color="var(--mantine-color-yellow-6)" />
                      ) : e.type === 'symlink' ? (
                        <IconLink size={16} />
                      ) : (
                        <IconFile size={16} />
                      )}
                      {/* Folders and links open from the keyboard too: their name is a button. */}
                      {e.type === 'file' ? (
                        <Text size="sm" ff="monospace">
                          {e.name}
                        </Text>
                      ) : (
                        <UnstyledButton
                          onClick={(ev) => {
                            ev.stopPropagation();
                            open(e);
                          }}
                        >
                          <Text size="sm" ff="monospace" component="span">
                            {e.name}
                          </Text>
                        </UnstyledButton>
                      )}
                      {e.linkTarget && (
                        <Text size="xs" c="dimmed" ff="monospace">
                          → {e.linkTarget}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm">{e.type === 'symlink' ? '' : formatBytes(e.size)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" c="dimmed">
                      {e.type === 'directory' ? 'd' : e.type === 'symlink' ? 'l' : '-'}
                      {permissions(e.mode)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {e.modified ? new Date(e.modified * 1000).toLocaleString() : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" onClick={(ev) => ev.stopPropagation()}>
                    {e.type !== 'symlink' && (
                      <ActionIcon
                        size="sm"
                        variant="subtle"
                        loading={downloading === join(listing.data.path, e.name)}
                        onClick={() => download(join(listing.data.path, e.name))}
                        aria-label={`Download ${e.name}`}
                      >
                        <IconDownload size={14} />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {listing.data.entries.length === 0 && (
            <Text c="dimmed" size="sm" p="sm">
              This folder is empty.
            </Text>
          )}
        </ScrollArea>
      )}
    </div>
  );
}
