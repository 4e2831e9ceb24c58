import { Alert, Anchor, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconDeviceFloppy, IconRocket } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ComposeIssue, StackDetail } from '../../../../shared/contract';
import { call } from '../../api/client';
import { notifyDone, notifyError } from '../../components/notify';
import { startLaunch } from './launches';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function IssueList({ issues }: { issues: ComposeIssue[] }) {
  if (issues.length === 0) return null;
  const errors = issues.filter((i) => i.severity === 'error');
  return (
    <Alert
      color={errors.length ? 'red' : 'yellow'}
      title={errors.length ? `${errors.length} error(s)` : `${issues.length} warning(s)`}
      data-testid="compose-issues"
    >
      <Stack gap={2}>
        {issues.map((i, n) => (
          <Text key={n} size="sm" c={i.severity === 'error' ? 'red' : undefined}>
            {i.line ? `Line ${i.line}:${i.column} — ` : ''}
            {i.message}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** The stack's Compose file: checked as you type, saved, and relaunched (only changed services are recreated). */
export function ComposeEditor({ detail, onSaved }: { detail: StackDetail; onSaved: () => void }) {
  const [text, setText] = useState(detail.yaml ?? '');
  const [saving, setSaving] = useState(false);
  const debounced = useDebounced(text, 300);
  const dirty = text !== detail.yaml;
  const check = useQuery({
    queryKey: ['stacks.validate', detail.id, debounced],
    queryFn: () => call('stacks.validate', { id: detail.id, yaml: debounced }),
    enabled: dirty,
    staleTime: Infinity,
  });
  const issues = dirty ? (check.data?.issues ?? []) : detail.issues;
  const hasErrors = issues.some((i) => i.severity === 'error' && !i.message.startsWith('Required variable'));

  const save = async (relaunch: boolean) => {
    setSaving(true);
    try {
      await call('stacks.save', { id: detail.id, yaml: text });
      onSaved();
      if (relaunch) startLaunch(detail.id);
      else notifyDone('Saved. Relaunch to apply it.');
    } catch (error) {
      notifyError('Not saved', error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Stack>
      {detail.file && (
        <Text size="sm" c="dimmed">
          {detail.source === 'builtin' ? 'Built-in file: ' : 'Imported from: '}
          <Anchor size="sm" ff="monospace" component="span">
            {detail.file}
          </Anchor>
          {detail.source === 'builtin' && ' — your edits are kept as your version; “Revert” brings the original back.'}
        </Text>
      )}
      <Textarea
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autosize
        minRows={14}
        maxRows={30}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        aria-label="Compose file"
        data-testid="compose-editor"
      />
      <IssueList issues={issues} />
      <Group>
        <Button
          leftSection={<IconDeviceFloppy size={16} />}
          variant="default"
          disabled={!dirty || hasErrors}
          loading={saving}
          onClick={() => save(false)}
        >
          Save
        </Button>
        <Button
          leftSection={<IconRocket size={16} />}
          disabled={!dirty || hasErrors}
          loading={saving}
          onClick={() => save(true)}
          data-testid="save-relaunch"
        >
          Save and relaunch
        </Button>
        {dirty && (
          <Button variant="subtle" onClick={() => setText(detail.yaml ?? '')}>
            Discard changes
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        Relaunching recreates only the services whose definition changed; the others keep running. Relative paths resolve against{' '}
        <code>{detail.workingDir}</code>.
      </Text>
    </Stack>
  );
}
