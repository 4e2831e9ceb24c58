import type { ContainerSummary, LiveChange, StackSummary } from '../../shared/contract';
import type { LiveCollection } from '../podman/live-collection';
import { summarizeAll, type DefinitionView } from './summaries';

/**
 * The stacks as a live list, derived from the container cache (itself kept by engine events)
 * and the stack files: no engine request of its own. A burst of container changes (a stack
 * starting) is folded into one recomputation; subscribers receive only the stacks that changed.
 */
export interface StackCollection {
  items(): StackSummary[];
  get(id: string): StackSummary | undefined;
  subscribe(listener: (change: LiveChange<StackSummary>) => void): () => void;
  /** Recompute now (after the files or the running launches changed). */
  update(): void;
  close(): void;
}

export function createStackCollection(deps: {
  containers: LiveCollection<ContainerSummary>;
  views: () => DefinitionView[];
  launching: () => ReadonlySet<string>;
  linkHost: () => string;
}): StackCollection {
  let current = new Map<string, { summary: StackSummary; json: string }>();
  const listeners = new Set<(change: LiveChange<StackSummary>) => void>();
  let scheduled = false;

  const compute = () => {
    scheduled = false;
    const next = new Map<string, { summary: StackSummary; json: string }>();
    for (const summary of summarizeAll(deps.views(), deps.containers.items(), deps.launching(), deps.linkHost())) {
      next.set(summary.id, { summary, json: JSON.stringify(summary) });
    }
    const changes: LiveChange<StackSummary>[] = [];
    for (const [id, entry] of next)
      if (current.get(id)?.json !== entry.json) changes.push({ type: 'upsert', item: entry.summary });
    for (const id of current.keys()) if (!next.has(id)) changes.push({ type: 'remove', id });
    const order = [...current.keys()].join('\n') !== [...next.keys()].join('\n');
    current = next;
    if (order && listeners.size > 0) {
      // A new stack or a removed one: a reset keeps everyone's order the same as ours.
      const reset: LiveChange<StackSummary> = { type: 'reset', items: [...next.values()].map((e) => e.summary) };
      for (const l of listeners) l(reset);
      return;
    }
    for (const change of changes) for (const l of listeners) l(change);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(compute);
  };
  const unsubscribe = deps.containers.subscribe(() => schedule());
  compute();

  return {
    items: () => [...current.values()].map((e) => e.summary),
    get: (id) => current.get(id)?.summary,
    subscribe(listener) {
      listeners.add(listener);
      listener({ type: 'reset', items: [...current.values()].map((e) => e.summary) });
      return () => listeners.delete(listener);
    },
    update: compute,
    close: () => {
      unsubscribe();
      listeners.clear();
    },
  };
}
