import { Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconFileImport } from '@tabler/icons-react';
import { useState, type DragEvent } from 'react';
import type { StackSummary } from '../../../../shared/contract';
import { useLive } from '../../api/live';
import { EngineGate } from '../../components/ConnectionPanel';
import { useRoute } from '../../lib/router';
import { ImportModal, type ImportSeed } from './ImportModal';
import { StackCard } from './StackCard';
import { StackDetail } from './StackDetail';

/** #/stacks is the list; #/stacks/<id> opens one stack (the Chat page links to #/stacks/ollama). */
export function StacksPage() {
  const path = useRoute();
  const id = path.startsWith('/stacks/') ? decodeURIComponent(path.slice('/stacks/'.length)) : undefined;
  return id ? <StackDetail key={id} id={id} /> : <StackList />;
}

const SECTIONS: { source: StackSummary['source']; title: string; hint: string }[] = [
  {
    source: 'builtin',
    title: 'Ready to launch',
    hint: 'Ordinary Compose files shipped with PodDesk: read them, copy them, change their variables.',
  },
  { source: 'user', title: 'Your stacks', hint: 'Compose files you imported.' },
  {
    source: 'external',
    title: 'Started by other tools',
    hint: 'Compose projects found on the engine (podman-compose, docker compose).',
  },
];

function StackList() {
  const { value: stacks, loaded } = useLive('stacks.watch', (s) => s.id);
  const [importing, setImporting] = useState<ImportSeed | null>(null);
  const [dragging, setDragging] = useState(false);

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) setImporting({ yaml: await file.text(), fileName: file.name });
  };

  return (
    <Stack
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      style={dragging ? { outline: '2px dashed var(--mantine-color-violet-5)', outlineOffset: 6, borderRadius: 8 } : undefined}
    >
      <Group justify="space-between">
        <div>
          <Title order={2}>Stacks</Title>
          <Text c="dimmed" size="sm">
            Several containers launched together from a Compose file, on their own network, with their data in volumes.
          </Text>
        </div>
        <Button
          leftSection={<IconFileImport size={16} />}
          variant="default"
          onClick={() => setImporting({})}
          data-testid="import-stack"
        >
          Import Compose file
        </Button>
      </Group>
      <EngineGate>
        {SECTIONS.map((section) => {
          const list = stacks.filter((s) => s.source === section.source);
          if (list.length === 0 && section.source !== 'builtin') return null;
          return (
            <Stack key={section.source} gap="xs">
              <div>
                <Title order={4}>{section.title}</Title>
                <Text size="sm" c="dimmed">
                  {section.hint}
                </Text>
              </div>
              {loaded && list.length === 0 ? (
                <Text c="dimmed">No built-in stacks were found in this installation.</Text>
              ) : (
                <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                  {list.map((s) => (
                    <StackCard key={s.id} stack={s} />
                  ))}
                </SimpleGrid>
              )}
            </Stack>
          );
        })}
      </EngineGate>
      {importing && <ImportModal seed={importing} onClose={() => setImporting(null)} />}
    </Stack>
  );
}
