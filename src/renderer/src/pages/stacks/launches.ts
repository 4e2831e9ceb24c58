import { useSyncExternalStore } from 'react';
import type { LaunchEvent, LaunchStepKind, StackLink, StackPlan } from '../../../../shared/contract';
import type { ImagePullProgress } from '../../../../shared/contract/images';
import { CallError, subscribe } from '../../api/client';

/**
 * Launches outlive the page that started them: the subscription lives here, in the module, so
 * switching pages does not cancel a launch (only Cancel does, or closing the window).
 */
export interface LaunchStep {
  id: string;
  kind: LaunchStepKind;
  label: string;
  status: 'running' | 'done' | 'failed' | 'skipped';
  detail?: string;
}

export interface LaunchState {
  running: boolean;
  plan?: StackPlan;
  steps: LaunchStep[];
  pulls: Record<string, ImagePullProgress>;
  /** The latest lines of each image's build log. */
  buildLog: Record<string, string[]>;
  done?: { nothingToDo: boolean; links: (StackLink & { service: string })[] };
  error?: CallError;
  startedAt: number;
  finishedAt?: number;
}

const BUILD_LOG_LINES = 400;
const states = new Map<string, LaunchState>();
const stops = new Map<string, () => void>();
const listeners = new Set<() => void>();

const publish = (id: string, next: LaunchState) => {
  states.set(id, next);
  for (const l of listeners) l();
};

function apply(state: LaunchState, events: LaunchEvent[]): LaunchState {
  let next = state;
  for (const e of events) {
    switch (e.type) {
      case 'plan':
        next = { ...next, plan: e.plan };
        break;
      case 'step': {
        const step: LaunchStep = {
          id: e.id,
          kind: e.kind,
          label: e.label,
          status: e.status,
          ...(e.detail ? { detail: e.detail } : {}),
        };
        const i = next.steps.findIndex((s) => s.id === e.id);
        const steps = [...next.steps];
        if (i < 0) steps.push(step);
        else steps[i] = step;
        next = { ...next, steps };
        break;
      }
      case 'pull':
        next = { ...next, pulls: { ...next.pulls, [e.image]: e.progress } };
        break;
      case 'build-log': {
        const lines = [...(next.buildLog[e.image] ?? []), e.line].slice(-BUILD_LOG_LINES);
        next = { ...next, buildLog: { ...next.buildLog, [e.image]: lines } };
        break;
      }
      case 'done':
        next = { ...next, done: { nothingToDo: e.nothingToDo, links: e.links } };
        break;
    }
  }
  return next;
}

/** `services`: launch only these (and what they depend on), whatever their profiles. */
export function startLaunch(id: string, options: { rebuild?: boolean; services?: string[] } = {}): void {
  if (states.get(id)?.running) return;
  publish(id, { running: true, steps: [], pulls: {}, buildLog: {}, startedAt: Date.now() });
  const stop = subscribe(
    'stacks.launch',
    { id, ...(options.rebuild ? { rebuild: true } : {}), ...(options.services ? { services: options.services } : {}) },
    {
      onItems: (events) => publish(id, apply(states.get(id)!, events)),
      onEnd: (error) => {
        stops.delete(id);
        const current = states.get(id)!;
        publish(id, { ...current, running: false, finishedAt: Date.now(), ...(error ? { error } : {}) });
      },
    },
  );
  stops.set(id, stop);
}

export function cancelLaunch(id: string): void {
  const stop = stops.get(id);
  if (!stop) return;
  stop();
  stops.delete(id);
  const current = states.get(id);
  if (!current) return;
  publish(id, {
    ...current,
    running: false,
    finishedAt: Date.now(),
    error: new CallError({ code: 'CANCELLED', message: 'Cancelled. What was created so far is kept: launch again to finish.' }),
  });
}

export function clearLaunch(id: string): void {
  if (states.get(id)?.running) return;
  states.delete(id);
  for (const l of listeners) l();
}

function subscribeStore(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLaunch(id: string): LaunchState | undefined {
  return useSyncExternalStore(subscribeStore, () => states.get(id));
}
