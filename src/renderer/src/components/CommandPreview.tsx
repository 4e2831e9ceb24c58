import { Alert, Button, Code, CopyButton, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconInfoCircle } from '@tabler/icons-react';
import { useId } from 'react';
import { formatCommand, formatCommands, shellNames, shellNotes, type Command, type Shell } from '../../../shared/podman-commands';
import { useShell } from '../api/shell';

/**
 * The podman command line that does what this dialog does, for the user's shell, with Copy. A
 * learner reads it next to the form; one day they type it themselves.
 */
export function CommandPreview({
  commands,
  label = 'The same with podman',
  notes = [],
  testId = 'command-preview',
}: {
  commands: Command | readonly Command[] | null;
  label?: string;
  /** What the command cannot do, or needs, in words. */
  notes?: readonly string[];
  testId?: string;
}) {
  const [shell, setShell] = useShell();
  const labelId = useId();
  const list = commands === null ? [] : Array.isArray(commands) ? (commands as readonly Command[]) : [commands as Command];
  const text = formatCommands(list, shell);
  const allNotes = [...notes, ...shellNotes(list, shell)];
  return (
    <Stack gap={6} role="group" aria-labelledby={labelId} data-testid={testId} data-shell={shell}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={600} id={labelId}>
          {label}
        </Text>
        <Group gap={6} wrap="nowrap">
          <SegmentedControl
            size="xs"
            value={shell}
            onChange={(v) => setShell(v as Shell)}
            data={(['bash', 'powershell'] as const).map((s) => ({ value: s, label: shellNames[s] }))}
            aria-label="Shell the command is written for"
          />
          <CopyButton value={text} timeout={1500}>
            {({ copied, copy }) => (
              <Button
                size="compact-sm"
                variant="light"
                onClick={copy}
                disabled={list.length === 0}
                leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                aria-label={copied ? 'Copied' : `Copy the command (${shellNames[shell]})`}
                data-testid={`${testId}-copy`}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Group>
      {list.length === 0 ? (
        <Text size="sm">Fill in the form to see the command.</Text>
      ) : (
        list.map((cmd, i) => (
          <Stack key={i} gap={2}>
            {cmd.comment && <Text size="xs">{cmd.comment}</Text>}
            <Code block fz="xs" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid={`${testId}-text`}>
              {formatCommand(cmd, shell)}
            </Code>
          </Stack>
        ))
      )}
      {allNotes.map((note) => (
        <Alert key={note} p={6} variant="light" color="gray" icon={<IconInfoCircle size={14} />}>
          <Text size="xs">{note}</Text>
        </Alert>
      ))}
    </Stack>
  );
}
