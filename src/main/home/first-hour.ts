import { firstHourSteps } from '../../shared/contract';
import type {
  ContainerSummary,
  FirstHour,
  ContainerWiring,
  FirstHourProgress,
  FirstHourStep,
  LiveChange,
  NetworkSummary,
  StackSummary,
  VolumeSummary,
} from '../../shared/contract';
import type { LiveCollection } from '../podman/live-collection';
import type { SettingsStore } from '../store/settings';
import { outlivedBy, reachedNow } from './first-hour-rules';

export interface FirstHourDeps {
  settings: SettingsStore;
  connected: () => boolean;
  watchConnection: (listener: () => void) => () => void;
  containers: LiveCollection<ContainerSummary>;
  volumes: LiveCollection<VolumeSummary>;
  networks: LiveCollection<NetworkSummary>;
  /** Fetches networks the cache has not seen (Podman 4.3 announces no network creation). */
  noticeNetworks: (names: string[]) => void;
  /** Follows the wiring (named volumes per container); only while the volume step is open. */
  watchWiring: (listener: (change: LiveChange<ContainerWiring>) => void) => () => void;
  stacks: { ready: Promise<unknown>; watch(listener: (change: LiveChange<StackSummary>) => void): () => void };
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}

export interface FirstHourTracker {
  progress(): FirstHourProgress;
  subscribe(listener: (progress: FirstHourProgress) => void): () => void;
  setHidden(hidden: boolean): Promise<FirstHourProgress>;
  /** A chat reply arrived whole: the Ollama step. */
  replied(): void;
  /** The network doctor reached a container by name: the network step. */
  reachedByName(): void;
  /** Resolves once what is scheduled has been judged and saved (tests wait on it). */
  settled(): Promise<void>;
  close(): void;
}

/**
 * The first-hour checklist, ticked in main from the caches the engine's events keep current: on
 * any change, the rules (first-hour-rules.ts) read the state, and a step they see done is saved
 * with its time in the settings file. A saved step stays ticked whatever happens next.
 */
export function createFirstHour(deps: FirstHourDeps): FirstHourTracker {
  const now = deps.now ?? (() => Date.now());
  const log = deps.log ?? (() => undefined);
  const listeners = new Set<(progress: FirstHourProgress) => void>();
  const stacks = new Map<string, StackSummary>();
  const wiring = new Map<string, ContainerWiring>();
  let removed: ContainerWiring[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<unknown> = Promise.resolve();
  let closed = false;
  const asked = new Set<string>();

  // The tracker's own copy is the truth; the settings file follows it, one write after another.
  let state: FirstHour = deps.settings.get().firstHour;
  const progress = (): FirstHourProgress => ({ reached: { ...state.reached }, hidden: state.hidden });
  const tell = () => {
    const p = progress();
    for (const l of listeners) l(p);
  };

  const save = (change: (current: FirstHour) => FirstHour) => {
    state = change(state);
    const firstHour = state;
    saving = saving
      .then(() => deps.settings.update({ firstHour }))
      .catch((error: unknown) => log('could not save the first-hour progress', error));
    tell();
    return saving;
  };

  const stamp = (steps: Iterable<FirstHourStep>) => {
    const reached = state.reached;
    const fresh = [...steps].filter((s) => reached[s] === undefined);
    if (fresh.length === 0) return false;
    const at = now();
    save((current) => ({ ...current, reached: { ...current.reached, ...Object.fromEntries(fresh.map((s) => [s, at])) } }));
    return true;
  };

  const judge = () => {
    timer = null;
    // A finished checklist has nothing left to judge: cache changes then cost it nothing.
    if (closed || firstHourSteps.every((step) => state.reached[step] !== undefined)) return;
    const current = state;
    let outlived = current.outlived;
    // One second of slack: the removal is seen a moment after it happened.
    const at = Math.floor(now() / 1000) - 1;
    for (const gone of removed) outlived = outlivedBy(gone, deps.volumes.items(), at, outlived);
    removed = [];
    if (outlived !== current.outlived) save((c) => ({ ...c, outlived }));
    if (current.reached.network === undefined) {
      const unknown = new Set<string>();
      for (const c of deps.containers.items())
        if (c.state === 'running') for (const n of c.networks) if (!asked.has(n) && !deps.networks.get(n)) unknown.add(n);
      for (const n of unknown) asked.add(n);
      if (unknown.size > 0) deps.noticeNetworks([...unknown]);
    }
    const steps = reachedNow({
      connected: deps.connected(),
      containers: deps.containers.items(),
      wiring: [...wiring.values()],
      networks: deps.networks.items(),
      volumes: deps.volumes.items(),
      stacks: [...stacks.values()],
      outlived,
    });
    stamp(steps);
    if (state.reached.volume !== undefined) stopWiring();
  };
  const schedule = () => {
    // A burst of events (a stack launching) is judged once.
    if (timer || closed) return;
    timer = setTimeout(judge, 20);
  };

  let unwatchWiring: (() => void) | null = null;
  const stopWiring = () => {
    unwatchWiring?.();
    unwatchWiring = null;
    wiring.clear();
  };
  if (state.reached.volume === undefined)
    unwatchWiring = deps.watchWiring((change) => {
      if (change.type === 'reset') {
        wiring.clear();
        for (const w of change.items) wiring.set(w.id, w);
      } else if (change.type === 'upsert') wiring.set(change.item.id, change.item);
      else {
        const gone = wiring.get(change.id);
        wiring.delete(change.id);
        if (gone && gone.volumes.length > 0) removed.push(gone);
      }
      schedule();
    });

  const unsubscribers = [
    deps.watchConnection(schedule),
    deps.containers.subscribe(schedule),
    deps.volumes.subscribe(schedule),
    deps.networks.subscribe(schedule),
  ];
  void deps.stacks.ready.then(() => {
    if (closed) return;
    unsubscribers.push(
      deps.stacks.watch((change) => {
        if (change.type === 'reset') {
          stacks.clear();
          for (const s of change.items) stacks.set(s.id, s);
        } else if (change.type === 'upsert') stacks.set(change.item.id, change.item);
        else stacks.delete(change.id);
        schedule();
      }),
    );
  });
  schedule();

  return {
    progress,
    subscribe(listener) {
      listeners.add(listener);
      listener(progress());
      return () => listeners.delete(listener);
    },
    async setHidden(hidden) {
      await save((current) => ({ ...current, hidden }));
      return progress();
    },
    replied() {
      stamp(['ollama-chat']);
    },
    reachedByName() {
      stamp(['network']);
    },
    async settled() {
      while (timer) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await saving;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      stopWiring();
      for (const u of unsubscribers) u();
      listeners.clear();
    },
  };
}
