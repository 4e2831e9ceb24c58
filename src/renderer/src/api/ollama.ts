import { useQuery } from '@tanstack/react-query';
import type { ModelDetails, OllamaStatus } from '../../../shared/contract';
import { call } from './client';
import { useLatest } from './live';

/** Ollama's status as main reports it, live (main looks again on retry, setting or container changes). */
export function useOllamaStatus(): OllamaStatus {
  const { value } = useLatest('ollama.watch');
  return value ?? { state: 'searching' };
}

export function useModels(enabled = true) {
  return useQuery({ queryKey: ['ollama.models'], queryFn: () => call('ollama.models'), enabled });
}

/** A model's details (capabilities drive what the chat offers); cached per name. */
export function useModelDetails(name: string | undefined) {
  return useQuery<ModelDetails>({
    queryKey: ['ollama.show', name],
    queryFn: () => call('ollama.show', { name: name! }),
    enabled: Boolean(name),
    staleTime: 5 * 60_000,
  });
}

export function hostLabel(status: OllamaStatus): string {
  return status.state === 'reachable' ? `${status.candidate.label} · ${status.candidate.host}` : '';
}
