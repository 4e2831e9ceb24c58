import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ModelExportResult } from '../../../../shared/contract';
import { call, type CallError } from '../../api/client';
import { formatBytes } from '../../lib/format';

/**
 * Export a model for another computer: its GGUF weights and a Modelfile into a folder, where the
 * weights are readable from here (an Ollama on this computer), or the Modelfile alone.
 */
export function ExportModelDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  const plan = useQuery({
    queryKey: ['ollama.exportPlan', name],
    queryFn: () => call('ollama.exportPlan', { name: name! }),
    enabled: name !== null,
    staleTime: 0,
  });
  const [busy, setBusy] = useState<'files' | 'modelfile' | null>(null);
  const [result, setResult] = useState<ModelExportResult | null>(null);
  const [error, setError] = useState<CallError | null>(null);

  const close = () => {
    setResult(null);
    setError(null);
    onClose();
  };
  const run = async (modelfileOnly: boolean) => {
    if (!name) return;
    setBusy(modelfileOnly ? 'modelfile' : 'files');
    setError(null);
    try {
      const saved = await call('ollama.export', { name, modelfileOnly });
      if (saved) setResult(saved);
    } catch (e) {
      setError(e as CallError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal opened={name !== null} onClose={close} title={`Export ${name ?? ''}`} centered>
      <Stack data-testid="export-dialog">
        {plan.isLoading && <Loader size="sm" aria-label="Looking for the model's files" />}
        {plan.error && <Alert color="red">{plan.error.message}</Alert>}
        {plan.data?.files && (
          <Text size="sm">
            Copies the model's weights ({formatBytes(plan.data.size)}, a .gguf file) and a Modelfile with its template, system
            prompt and parameters into a new folder. On the other computer, import the .gguf file here in PodDesk, or run{' '}
            <code>ollama create {name} -f Modelfile</code> in that folder.
          </Text>
        )}
        {plan.data && !plan.data.files && (
          <Alert color="yellow" title="The weights cannot be copied from here" data-testid="export-unavailable">
            {plan.data.reason}
          </Alert>
        )}
        {result && (
          <Alert color="teal" role="status" data-testid="export-done">
            Saved {result.files.join(' and ')} to {result.savedTo}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert" data-testid="export-error">
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Close
          </Button>
          <Button
            variant={plan.data?.files ? 'default' : 'filled'}
            loading={busy === 'modelfile'}
            disabled={busy !== null || !plan.data}
            onClick={() => void run(true)}
            data-testid="export-modelfile"
          >
            Save the Modelfile only…
          </Button>
          {plan.data?.files && (
            <Button
              loading={busy === 'files'}
              disabled={busy !== null}
              onClick={() => void run(false)}
              data-testid="export-files"
            >
              Export to a folder…
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
