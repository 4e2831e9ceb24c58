import type { StackDetail, StackPlan, StackSummary } from '../../../../shared/contract';
import {
  composeDownCommand,
  composeUpCommand,
  networkRemoveCommand,
  removeCommand,
  restartCommand,
  startCommand,
  stopCommand,
  volumeRemoveCommand,
  type Command,
  type ComposeTarget,
} from '../../../../shared/podman-commands';

export interface StackCommands {
  /** podman-compose with the stack's file: creating from a Compose file is that tool's job. */
  launch: Command[];
  start: Command[];
  stop: Command[];
  restart: Command[];
  remove: (deleteData: boolean) => Command[];
  /**
   * podman-compose's own down, for a stack whose containers are named as podman-compose names
   * them (its down finds them by those names); empty otherwise.
   */
  down: (deleteData: boolean) => Command[];
  /** What down needs besides (the file saved, variables set in the shell). */
  downNotes: string[];
  /** What the commands cannot say, in words (shown under them). */
  notes: string[];
}

/** The file podman-compose should read, the project, and the variables set on the Variables tab. */
export function composeTarget(stack: StackSummary, detail?: StackDetail): { target: ComposeTarget; notes: string[] } {
  const notes: string[] = [];
  const set = (detail?.variables ?? []).filter(
    (v) => (v.source === 'saved' || v.source === 'generated') && v.value !== undefined && v.value !== v.default,
  );
  // A secret (a generated token) is not written out where a screenshot or a shared screen shows it.
  const env = Object.fromEntries(set.filter((v) => !v.secret).map((v) => [v.name, v.value!]));
  for (const v of set.filter((x) => x.secret))
    notes.push(`Set ${v.name} in your shell first: its value is on the Variables tab (hidden here, as it is a secret).`);
  const file = detail?.file && !detail.modified ? detail.file : undefined;
  if (!file)
    notes.push(
      detail?.modified
        ? 'You edited this stack in PodDesk: save its Compose file (Compose file tab) as compose.yaml and give that to -f.'
        : 'PodDesk keeps this stack’s Compose file in its data folder: save it (Compose file tab) as compose.yaml beside you, then run this there.',
    );
  if ((detail?.variables ?? []).some((v) => v.source === 'environment'))
    notes.push('Some variables come from the environment PodDesk started in: set them in your shell too.');
  // podman-compose merges no compose.override.yaml by itself once given -f: each file is named.
  const overrides = file ? (detail?.overrideFiles ?? []).map((f) => f.path) : [];
  return {
    target: { ...(file ? { file } : {}), ...(overrides.length > 0 ? { overrides } : {}), project: stack.project, env },
    notes,
  };
}

/** The containers by name, in the order the launch starts them (the plan's), else as listed. */
function containersInOrder(stack: StackSummary, plan?: StackPlan): string[] {
  const byService = new Map(stack.services.flatMap((s) => (s.container ? [[s.name, s.container.name] as const] : [])));
  const order = plan?.order ?? [];
  const ordered = [...order.filter((s) => byService.has(s)), ...[...byService.keys()].filter((s) => !order.includes(s))];
  return ordered.map((s) => byService.get(s)!);
}

const some = (cmd: Command | false): Command[] => (cmd ? [cmd] : []);

/**
 * The commands for a stack's actions. Launching means reading a Compose file, which plain podman
 * cannot do: that one is `podman-compose up -d`. Everything after acts on what exists, so it is
 * plain podman on the stack's containers, networks and volumes by name — exactly what PodDesk does
 * (less its health waits). The plan, when there is one, gives the start order and the networks.
 */
export function stackCommands(stack: StackSummary, detail?: StackDetail, plan?: StackPlan): StackCommands {
  const names = containersInOrder(stack, plan);
  const has = names.length > 0;
  // Only the networks that exist and are the stack's own (an external one is shared: it stays).
  const networks = (plan?.networks ?? []).filter((n) => n.action === 'exists').map((n) => n.name);
  const notes: string[] = [];
  let launch: Command[] = [];
  let down: StackCommands['down'] = () => [];
  let downNotes: string[] = [];
  if (stack.source === 'external') {
    notes.push('Started by another tool: PodDesk knows its containers, not its file, so it cannot say how to launch it.');
  } else {
    const target = composeTarget(stack, detail);
    launch = [composeUpCommand(target.target)];
    notes.push(...target.notes);
    if (detail?.containerNames === 'podman-compose') {
      // 1.0.x leaves the network behind; removing it after is harmless where a later version did.
      down = (deleteData) =>
        has
          ? [composeDownCommand(target.target, deleteData), ...some(networks.length > 0 && networkRemoveCommand(networks))]
          : [];
      downNotes = target.notes;
      notes.push(
        'This stack’s containers are named as podman-compose names them (project_service_1), so podman-compose’s down, stop, start and logs find them. Its launch (up) is for when PodDesk has not launched the stack: the containers would exist already.',
      );
    } else {
      notes.push(
        'podman-compose before version 1.5 names containers project_service_1, where PodDesk (like docker compose) says project-service-1. Its ps lists them (it reads labels), but its down, stop, start and logs look for its own names: they find nothing here and change nothing (from 1.2, its down --remove-orphans also finds them by label). Remove the stack in PodDesk or with the podman commands here, or set “Container names” to “Like podman-compose” in the stack’s options (the next launch recreates them under those names).',
      );
    }
  }
  if (has && networks.length === 0)
    notes.push(
      `Its network: podman network ls --filter label=com.docker.compose.project=${stack.project} lists it, podman network rm removes it.`,
    );
  return {
    launch,
    start: some(has && startCommand(names)),
    // Stopped and removed in the reverse order, so a service goes before what it depends on.
    stop: some(has && stopCommand([...names].reverse())),
    restart: some(has && restartCommand(names)),
    // Nothing to remove before a launch (the page offers no Remove then either).
    remove: (deleteData) => [
      // -v: the containers' anonymous volumes go with them, as PodDesk's remove does when data goes.
      ...some(has && removeCommand([...names].reverse(), { force: true, volumes: deleteData })),
      ...some(networks.length > 0 && networkRemoveCommand(networks)),
      ...some(has && deleteData && stack.volumes.length > 0 && volumeRemoveCommand(stack.volumes)),
    ],
    down,
    downNotes,
    notes,
  };
}
