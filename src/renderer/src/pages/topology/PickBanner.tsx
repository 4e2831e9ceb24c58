import { Button, Group, Paper, Text } from '@mantine/core';
import { IconStethoscope } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';

/**
 * Shown while the user picks B on the graph for "Can A reach B?". The list is the way for anyone
 * who would rather not hunt for a node; Escape (or Cancel) leaves.
 */
export function PickBanner({ from, onList, onCancel }: { from: string; onList(): void; onCancel(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  // The drawer that opened this has closed: focus lands here, not at the top of the page.
  useEffect(() => ref.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <Paper withBorder p="xs" className="pd-topology-pick" data-testid="topology-pick" ref={ref} tabIndex={-1}>
      <Group justify="space-between" gap="sm">
        <Group gap="xs" wrap="nowrap">
          <IconStethoscope size={18} aria-hidden />
          <Text size="sm" role="status">
            Can <b>{from}</b> reach…? Click the container it should reach (or focus it and press Enter).
          </Text>
        </Group>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={onList} data-testid="topology-pick-list">
            Choose from a list
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
