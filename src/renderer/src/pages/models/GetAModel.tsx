import { Button, Chip, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDownload, IconFileImport, IconMessagePlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ImportModelDialog } from './ImportModelDialog';
import { MODEL_NAME, PullCard } from './PullCard';
import { startPull, usePulls } from './pulls';

/** Small models to start with: they download in minutes and run on a laptop. */
const STARTERS = [
  { name: 'qwen3:0.6b', size: '500 MB' },
  { name: 'llama3.2:1b', size: '1.3 GB' },
  { name: 'gemma3:1b', size: '815 MB' },
];

/**
 * The ways to get a first model, offered where one is needed (a new chat with none installed).
 * Each way is a section of its own: pulling from the Ollama library, or importing a .gguf file
 * from this computer (offline).
 */
export function GetAModel({ onReady }: { onReady: (model: string) => void }) {
  const queryClient = useQueryClient();
  const pulls = usePulls();
  const [name, setName] = useState(STARTERS[0]!.name);
  const [pulled, setPulled] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<string | null>(null);
  const pull = pulled ? pulls.find((p) => p.name === pulled) : undefined;
  const invalid = name.trim() !== '' && !MODEL_NAME.test(name.trim());

  // Once the model is in, the list of models is stale: ask Ollama again.
  const done = pull?.state === 'done';
  useEffect(() => {
    if (done) void queryClient.invalidateQueries({ queryKey: ['ollama.models'] });
  }, [done, queryClient]);

  const start = () => {
    const chosen = name.trim();
    startPull(chosen);
    setPulled(chosen);
  };

  return (
    <Stack data-testid="get-a-model">
      <Text size="sm">
        A conversation needs a model, and Ollama has none yet. Get one first — it stays on this computer for every chat.
      </Text>
      <Stack gap="xs" component="section" aria-labelledby="get-a-model-pull">
        <Title order={4} id="get-a-model-pull">
          Pull from the Ollama library
        </Title>
        <Chip.Group value={name} onChange={(v) => setName(v as string)}>
          <Group gap="xs" role="radiogroup" aria-label="Small models to start with">
            {STARTERS.map((s) => (
              <Chip key={s.name} value={s.name} size="sm" type="radio">
                {s.name} · {s.size}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Group align="flex-end">
          <TextInput
            label="Model"
            description="Any name from ollama.com/library"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && name.trim() && !invalid) start();
            }}
            error={invalid ? 'Not a model name: letters, digits, "_", "." and "-", as in llama3.2:3b' : undefined}
            w={300}
            data-testid="get-model-name"
          />
          <Button
            leftSection={<IconDownload size={16} />}
            disabled={!name.trim() || invalid || pull?.state === 'running'}
            onClick={start}
            data-testid="get-model-pull"
          >
            Pull
          </Button>
        </Group>
        {pull && <PullCard pull={pull} />}
        {done && (
          <Button leftSection={<IconMessagePlus size={16} />} onClick={() => onReady(pull.name)} data-testid="get-model-chat">
            Start a chat with {pull.name}
          </Button>
        )}
      </Stack>
      <Stack gap="xs" component="section" aria-labelledby="get-a-model-import">
        <Title order={4} id="get-a-model-import">
          Or import a model file
        </Title>
        <Text size="sm">Got a .gguf file on a USB stick or from a classmate? Import it — no network needed.</Text>
        <Group>
          <Button
            variant="default"
            leftSection={<IconFileImport size={16} />}
            onClick={() => setImporting(true)}
            data-testid="get-model-import"
          >
            Import a model file…
          </Button>
        </Group>
        {imported && (
          <Button leftSection={<IconMessagePlus size={16} />} onClick={() => onReady(imported)} data-testid="get-model-chat">
            Start a chat with {imported}
          </Button>
        )}
      </Stack>
      <ImportModelDialog
        opened={importing}
        onImported={setImported}
        onClose={() => {
          setImporting(false);
          // The imported model shows in the lists of models.
          void queryClient.invalidateQueries({ queryKey: ['ollama.models'] });
        }}
      />
    </Stack>
  );
}
