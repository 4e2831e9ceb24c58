import { Box, Group, Loader, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconDatabase, IconFolder } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../../api/client';

/** One folder of the tree: its subfolders load when it opens (a listing of that folder, no more). */
function Node({
  volume,
  path,
  name,
  depth,
  current,
  onOpen,
}: {
  volume: string;
  path: string;
  name: string;
  depth: number;
  current: string;
  onOpen: (path: string) => void;
}) {
  const onTheWay = current === path || current.startsWith(path ? `${path}/` : '');
  const [open, setOpen] = useState(onTheWay);
  const listing = useQuery({
    queryKey: ['volumes.files.list', volume, path],
    queryFn: () => call('volumes.files.list', { volume, path }),
    enabled: open,
  });
  const dirs = (listing.data?.entries ?? []).filter((e) => e.type === 'dir').sort((a, b) => a.name.localeCompare(b.name));
  const Chevron = open ? IconChevronDown : IconChevronRight;
  return (
    <Box>
      <Group
        gap={2}
        wrap="nowrap"
        pl={depth * 12}
        bg={current === path ? 'var(--mantine-primary-color-light)' : undefined}
        style={{ borderRadius: 4 }}
      >
        <UnstyledButton onClick={() => setOpen((o) => !o)} aria-label={open ? `Collapse ${name}` : `Expand ${name}`} p={2}>
          <Chevron size={14} />
        </UnstyledButton>
        <UnstyledButton onClick={() => onOpen(path)} style={{ flex: 1, minWidth: 0 }} data-testid="tree-node" data-path={path}>
          <Group gap={6} wrap="nowrap">
            {depth === 0 ? <IconDatabase size={16} /> : <IconFolder size={16} color="var(--mantine-color-yellow-6)" />}
            <Text size="sm" truncate>
              {name}
            </Text>
          </Group>
        </UnstyledButton>
        {open && listing.isLoading && <Loader size={10} />}
      </Group>
      {open &&
        dirs.map((d) => (
          <Node key={d.path} volume={volume} path={d.path} name={d.name} depth={depth + 1} current={current} onOpen={onOpen} />
        ))}
    </Box>
  );
}

export function FolderTree(props: { volume: string; current: string; onOpen: (path: string) => void }) {
  return <Node volume={props.volume} path="" name={props.volume} depth={0} current={props.current} onOpen={props.onOpen} />;
}
