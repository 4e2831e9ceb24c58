import { ActionIcon, Badge, CopyButton, Group, ScrollArea, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { IconCheck, IconChevronDown, IconChevronRight, IconCopy, IconSearch } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { highlight } from './AnsiText';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Paths (a.b.0.c) of every node whose key or value contains the query, and all their ancestors. */
function matchingPaths(value: Json, query: string): { hits: number; open: Set<string> } {
  const open = new Set<string>();
  let hits = 0;
  const q = query.toLowerCase();
  const visit = (v: Json, path: string[], key: string): boolean => {
    let found = key.toLowerCase().includes(q);
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) if (visit(child as Json, [...path, k], k)) found = true;
      if (found) open.add(path.join('.'));
    } else if (String(v).toLowerCase().includes(q)) found = true;
    if (found && (v === null || typeof v !== 'object')) hits++;
    return found;
  };
  if (q) visit(value, [], '');
  return { hits, open };
}

function Scalar({ value, query }: { value: Json; query: string }) {
  const color = typeof value === 'string' ? 'teal' : typeof value === 'number' ? 'blue' : 'orange';
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return (
    <Text span c={value === null ? 'dimmed' : color} ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
      {highlight(text, query)}
    </Text>
  );
}

function Node(props: {
  name: string | null;
  value: Json;
  path: string;
  depth: number;
  query: string;
  open: Set<string>;
  toggled: Map<string, boolean>;
  toggle: (path: string, open: boolean) => void;
}): ReactNode {
  const { value, path, depth, query } = props;
  const label =
    props.name === null ? null : (
      <Text span ff="monospace" size="sm" fw={500}>
        {highlight(props.name, query)}:{' '}
      </Text>
    );
  if (value === null || typeof value !== 'object') {
    return (
      <div style={{ paddingLeft: depth * 16 + 20 }}>
        {label}
        <Scalar value={value} query={query} />
      </div>
    );
  }
  const entries = Object.entries(value) as [string, Json][];
  const isArray = Array.isArray(value);
  const defaultOpen = depth < 1 || props.open.has(path);
  const isOpen = props.toggled.get(path) ?? defaultOpen;
  return (
    <div>
      <UnstyledButton
        onClick={() => props.toggle(path, !isOpen)}
        style={{ paddingLeft: depth * 16, display: 'flex', alignItems: 'center', gap: 4 }}
        aria-expanded={isOpen}
      >
        {isOpen ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        {label}
        <Text span c="dimmed" ff="monospace" size="sm">
          {isArray ? `[${entries.length}]` : `{${entries.length}}`}
        </Text>
      </UnstyledButton>
      {isOpen &&
        entries.map(([k, v]) => (
          <Node key={k} {...props} name={isArray ? `${k}` : k} value={v} path={path ? `${path}.${k}` : k} depth={depth + 1} />
        ))}
    </div>
  );
}

/**
 * The engine's JSON as a tree: folded past the first level, unfolded along every search match,
 * with the whole document one click from the clipboard.
 */
export function JsonView({ value, height = 520 }: { value: unknown; height?: number | string }) {
  const [query, setQuery] = useState('');
  const [toggled, setToggled] = useState(() => new Map<string, boolean>());
  const json = value as Json;
  const { hits, open } = useMemo(() => matchingPaths(json, query.trim()), [json, query]);
  const text = useMemo(() => JSON.stringify(value, null, 2), [value]);
  const toggle = (path: string, isOpen: boolean) => setToggled((m) => new Map(m).set(path, isOpen));
  return (
    <div data-testid="json-view">
      <Group mb="xs" justify="space-between">
        <Group gap="xs">
          <TextInput
            size="xs"
            w={260}
            placeholder="Search keys and values"
            leftSection={<IconSearch size={14} />}
            value={query}
            onChange={(e) => {
              setQuery(e.currentTarget.value);
              setToggled(new Map());
            }}
            aria-label="Search the JSON"
          />
          {query.trim() && (
            <Badge variant="light" color={hits ? 'violet' : 'gray'}>
              {hits} match{hits === 1 ? '' : 'es'}
            </Badge>
          )}
        </Group>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy the JSON'}>
              <ActionIcon variant="subtle" onClick={copy} aria-label="Copy the JSON" color={copied ? 'teal' : undefined}>
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <ScrollArea h={height} type="auto">
        <Node name={null} value={json} path="" depth={0} query={query.trim()} open={open} toggled={toggled} toggle={toggle} />
      </ScrollArea>
    </div>
  );
}
