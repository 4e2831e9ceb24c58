import { useSyncExternalStore } from 'react';
import type { PullProgress } from '../../../../shared/contract';
import { subscribe, type CallError } from '../../api/client';

/**
 * Pulls live here, not in a page: leaving the Models page does not cancel a download. Cancel
 * unsubscribes (main aborts the request); pulling the same name again resumes (Ollama keeps
 * the downloaded part).
 */
export interface PullState {
  name: string;
  progress?: PullProgress;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  error?: CallError;
}

let pulls: PullState[] = [];
const stops = new Map<string, () => void>();
const listeners = new Set<() => void>();
let onDone: ((name: string) => void) | null = null;

const publish = (next: PullState[]) => {
  pulls = next;
  for (const l of listeners) l();
};
const patch = (name: string, change: Partial<PullState>) =>
  publish(pulls.map((p) => (p.name === name ? { ...p, ...change } : p)));

export function startPull(name: string): void {
  if (stops.has(name)) return;
  publish([{ name, state: 'running' }, ...pulls.filter((p) => p.name !== name)]);
  const stop = subscribe(
    'ollama.pull',
    { name },
    {
      onItems: (items) => patch(name, { progress: items.at(-1) }),
      onEnd: (error) => {
        stops.delete(name);
        if (error) patch(name, { state: error.code === 'CANCELLED' ? 'cancelled' : 'failed', error });
        else {
          patch(name, { state: 'done' });
          onDone?.(name);
        }
      },
    },
  );
  stops.set(name, stop);
}

export function cancelPull(name: string): void {
  stops.get(name)?.();
  stops.delete(name);
  patch(name, { state: 'cancelled' });
}

export function dismissPull(name: string): void {
  publish(pulls.filter((p) => p.name !== name));
}

export function onPullDone(listener: (name: string) => void): void {
  onDone = listener;
}

export function usePulls(): PullState[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pulls,
  );
}
