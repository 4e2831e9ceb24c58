import { z } from 'zod';
import { call, stream } from './define';
import { kind } from './kinds';
import { consentCode, type ConsentPending } from './consent';
import type { ContainerState, Health, LiveChange, PortMapping } from './containers';
import type { ImagePullProgress } from './images';

/**
 * Stacks: Compose files launched as a group (docs/architecture.md §4). Built-in ones ship with the app,
 * users import their own, and groups started by podman-compose or docker compose show up too.
 */

/** `jupyter`, `my-app`; an external Compose project is `project:<name>`. */
export const stackId = kind(
  'name',
  z
    .string()
    .min(1, 'A stack id is required')
    .max(200)
    .regex(/^(project:)?[a-z0-9][a-z0-9_.-]*$/, 'Not a stack id'),
);

export const projectName = kind(
  'name',
  z
    .string()
    .min(1, 'A stack name is required')
    .max(63, 'A stack name has at most 63 characters')
    .regex(
      /^[a-z0-9][a-z0-9_-]*$/,
      'A stack name may hold lower-case letters, digits, _ and -, and starts with a letter or digit',
    ),
);

const serviceName = kind(
  'name',
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, 'Not a service name'),
);

const variableName = kind('name', z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Not a variable name'));

/** A Compose file's text as it crosses the boundary: large files are refused, not truncated. */
const composeText = kind('compose', z.string().max(1_000_000, 'A Compose file larger than 1 MB is not accepted'));

export const variablesInput = z.record(variableName, kind('text', z.string().max(10_000)));

export interface ComposeIssue {
  severity: 'error' | 'warning';
  message: string;
  /** The file it is in, when not the stack's own (an override, an included or extended file). */
  file?: string;
  /** e.g. services.web.ports.0 */
  path?: string;
  line?: number;
  column?: number;
}

export type StackSource = 'builtin' | 'user' | 'external';

/**
 * not-created: nothing exists; running: every service up (and healthy where it has a check);
 * starting: up, some health still being established; unhealthy: some service failed its check;
 * partial: some services up, others missing or stopped; stopped: containers exist, none running.
 */
export type StackStatus = 'not-created' | 'running' | 'starting' | 'unhealthy' | 'partial' | 'stopped';

export interface StackLink {
  label: string;
  url: string;
}

export interface StackServiceView {
  name: string;
  title?: string;
  image: string;
  /** The service is built from a folder (the launch builds its image). */
  build: boolean;
  container?: {
    id: string;
    name: string;
    state: ContainerState;
    health?: Health;
    exitCode?: number;
  };
  /** Published ports: the container's when it exists, else what the file asks for (hostPort 0 = any). */
  ports: PortMapping[];
  /** What "Open" opens, when the service publishes a TCP port and runs. */
  links: StackLink[];
  /** A service that runs to completion (an init job): exited 0 counts as done, not as stopped. */
  oneShot: boolean;
  /** The Compose profiles it runs with (absent: it always runs). */
  profiles?: string[];
  /** None of its profiles is on: a launch leaves it out (start it by name to run it anyway). */
  inactive?: boolean;
}

export interface StackSummary {
  id: string;
  /** The Compose project name: the label on every container, network and volume. */
  project: string;
  title: string;
  description?: string;
  source: StackSource;
  status: StackStatus;
  services: StackServiceView[];
  /** Volumes of the stack (engine names): what "delete data" would delete. */
  volumes: string[];
  /** A launch is running now. */
  launching: boolean;
  /** The file does not parse any more (after an edit outside the app): why. */
  invalid?: string;
  /** Built-in stacks whose file the user edited (Revert brings the original back). */
  modified?: boolean;
}

export interface StackVariable {
  name: string;
  /** The default written in the file. */
  default?: string;
  /** The file refuses to launch without it (`${X:?…}`). */
  required: boolean;
  /**
   * What a launch would use now, and where it comes from. Never a value taken from PodDesk's own
   * environment (source "environment", or a .env line built from it): those stay in main.
   */
  value?: string;
  source: 'saved' | 'generated' | 'env-file' | 'environment' | 'default' | 'unset';
  /** Generated secrets (a Jupyter token) are shown masked. */
  secret: boolean;
}

export interface StackDetail extends StackSummary {
  /** The Compose file's text; absent for external stacks, which have none here. */
  yaml?: string;
  /** Where the built-in file or the imported original lives (for the user to read or copy). */
  file?: string;
  /** Relative paths in the file resolve against this folder. */
  workingDir?: string;
  issues: ComposeIssue[];
  variables: StackVariable[];
  /** The file can be edited and saved (built-in and user stacks). */
  editable: boolean;
  /**
   * For a file that publishes its ports on `${BIND_ADDRESS:-127.0.0.1}` (the built-in stacks):
   * whether they are open to other computers now (true) or to this one only. Absent when the
   * file offers no such choice.
   */
  reachableFromOtherComputers?: boolean;
  /** The file's Compose profiles, and whether each is on for this stack. */
  profiles?: { name: string; active: boolean }[];
  /**
   * Files merged over the stack's own, in order: a compose.override.yaml beside the imported
   * file (auto, as docker compose merges it), then the ones the user added.
   */
  overrideFiles?: { path: string; origin: 'auto' | 'user' }[];
  /** For a file that offers GPU overrides (the Ollama stacks): the choice, and what this engine's machine has. */
  gpu?: StackGpu;
  /**
   * How its containers are named: as docker compose does (<project>-<service>-1) or as
   * podman-compose 1.x does (<project>_<service>_1), whose down, stop and logs find them by name.
   * Absent for stacks started by other tools.
   */
  containerNames?: ContainerNaming;
}

export type ContainerNaming = 'docker-compose' | 'podman-compose';

export interface StackGpu {
  offers: ('nvidia' | 'amd')[];
  chosen?: 'nvidia' | 'amd';
  /**
   * What the engine's machine has; null when PodDesk cannot look (a Podman machine, WSL or a
   * remote engine keeps its devices to itself).
   */
  machine: { nvidia: { present: boolean; cdi: boolean }; amd: { present: boolean } } | null;
}

/** The variable the built-in stacks publish their ports on; "reachable from other computers" sets it. */
export const BIND_ADDRESS_VARIABLE = 'BIND_ADDRESS';

/**
 * What a stack reaches on this computer beyond its own named volumes. Each kind is one row of the
 * plan's "This computer" section; keys that lift a container's isolation (privileged, cap_add,
 * pid or network "host") join as 'widens-access' when PodDesk supports them.
 */
export type HostAccessKind =
  /** A folder or file of this computer mounted into a container. */
  | 'mount'
  /** A mount whose SELinux label Podman changes (`:z`, `:Z`). */
  | 'relabel'
  /** A device passed through (/dev/sda, a GPU). */
  | 'device'
  /** A file outside the stack's folder read into the containers' environment. */
  | 'env-file'
  /** A folder outside the stack's folder sent to Podman to build an image. */
  | 'build-context'
  /** A variable taken from PodDesk's own environment: its name only, never its value. */
  | 'environment'
  /** A key that lifts the container's isolation. */
  | 'widens-access';

export interface HostAccessItem {
  kind: HostAccessKind;
  /** A path on this computer, a device, a variable's name, or a key such as `privileged`. */
  subject: string;
  /** Where a symbolic link leads, when the path is one: what the container really gets. */
  realPath?: string;
  /** Where it appears inside the container (mounts, devices). */
  target?: string;
  /** For paths: whether the containers can change it. */
  access?: 'read-write' | 'read-only';
  /** The services concerned; empty for the file as a whole (a variable). */
  services: string[];
  /** Why it matters, in plain words. */
  note: string;
}

export interface HostAccess {
  items: HostAccessItem[];
  /** Names this exact list (every field but the notes): what a confirmation confirms. */
  fingerprint: string;
  /** The list is not empty and is not the one the user confirmed: the launch waits for a confirmation. */
  needsConfirmation: boolean;
}

/**
 * What a request to confirm "This computer" came to. The page cannot confirm by itself: main asks
 * the user (a dialog in the desktop app; in the browser, a code it prints in the terminal where
 * PodDesk was started, which the user types back).
 */
export type HostAccessConfirmation = { state: 'confirmed' } | ConsentPending;

export type PlanAction = 'create' | 'exists' | 'external';

export interface StackPlan {
  project: string;
  networks: { key: string; name: string; action: PlanAction }[];
  volumes: { key: string; name: string; action: PlanAction }[];
  images: { ref: string; services: string[]; action: 'present' | 'pull' | 'build'; context?: string }[];
  services: {
    name: string;
    container: string;
    /** create: new; recreate: its definition changed; start: exists, stopped; keep: up to date and running. */
    action: 'create' | 'recreate' | 'start' | 'keep';
    reason: string;
    ports: { hostIp: string; hostPort: number; containerPort: number; protocol: string }[];
    dependsOn: string[];
    /** How many containers (deploy.replicas / scale), when not one: <project>-<service>-1…n. */
    replicas?: number;
  }[];
  /** Containers of the project whose service the file no longer has: the launch removes them. */
  orphans: { name: string; service: string }[];
  /** Start order. */
  order: string[];
  /** What the stack touches on this computer, and whether the user must confirm it first. */
  hostAccess: HostAccess;
  /** Each of these refuses the launch before anything is created. */
  problems: ComposeIssue[];
  warnings: ComposeIssue[];
  /** Nothing to do: every service is up to date and running. */
  upToDate: boolean;
}

/**
 * In a launch error's details (`pullFailed`): the image that could not be pulled, the services
 * that use it, and where the Compose file names it — the variable that sets it, or the line.
 */
export interface PullFailure {
  image: string;
  services: string[];
  variable?: string;
  line?: number;
}

export type LaunchStepKind = 'image' | 'network' | 'volume' | 'container' | 'health';

export type LaunchEvent =
  | { type: 'plan'; plan: StackPlan }
  | {
      type: 'step';
      /** Stable id, e.g. "image:docker.io/ollama/ollama:latest", "container:web", "health:web". */
      id: string;
      kind: LaunchStepKind;
      label: string;
      status: 'running' | 'done' | 'failed' | 'skipped';
      detail?: string;
    }
  | { type: 'pull'; image: string; progress: ImagePullProgress }
  | { type: 'build-log'; image: string; line: string }
  | { type: 'done'; nothingToDo: boolean; links: (StackLink & { service: string })[] };

export interface StackLogLine {
  service: string;
  stream: 'stdout' | 'stderr';
  text: string;
  /** RFC 3339 as the engine reported it. */
  time?: string;
}

export interface RemoveResult {
  containers: string[];
  networks: string[];
  volumesRemoved: string[];
  volumesKept: string[];
}

export interface ValidationResult {
  issues: ComposeIssue[];
  services: string[];
  variables: StackVariable[];
  project?: string;
}

const idInput = z.object({ id: stackId });
const serviceInput = z.object({ id: stackId, service: serviceName.optional() });
/** How long a container may take to stop before it is killed; by default its stop_grace_period (else 10 s). */
const timeoutSeconds = z.number().int().min(0).max(3600).optional();
const stopInput = serviceInput.extend({ timeoutSeconds });

export const stackCalls = {
  'stacks.list': call(z.void()).returns<StackSummary[]>(),
  'stacks.get': call(idInput).returns<StackDetail>(),
  /** Checks a Compose text (the editor, the import dialog) without saving anything. */
  'stacks.validate': call(z.object({ yaml: composeText, id: stackId.optional() })).returns<ValidationResult>(),
  /** What a launch would do now, against what exists. */
  'stacks.plan': call(
    z.object({
      id: stackId,
      variables: variablesInput.optional(),
      rebuild: z.boolean().default(false),
      services: z.array(serviceName).max(200).optional(),
    }),
  ).returns<StackPlan>(),
  'stacks.start': call(serviceInput).returns<void>(),
  'stacks.stop': call(stopInput).returns<void>(),
  'stacks.restart': call(stopInput).returns<void>(),
  /** Containers and networks go; volumes stay unless `deleteVolumes` and the stack's name typed back. */
  'stacks.remove': call(
    z
      .object({
        id: stackId,
        deleteVolumes: z.boolean().default(false),
        confirmName: kind('text', z.string().max(200)).optional(),
        timeoutSeconds,
      })
      .refine((v) => !v.deleteVolumes || v.confirmName !== undefined, {
        message: 'Type the stack’s name to delete its data',
        path: ['confirmName'],
      }),
  ).returns<RemoveResult>(),
  /** A Compose file's text (picked or dropped in the window) as a new user stack. */
  'stacks.import': call(
    z.object({ yaml: composeText, fileName: kind('text', z.string().max(255)).optional(), name: projectName.optional() }),
  ).returns<StackDetail>(),
  /** Asks for a Compose file on this computer; relative paths in it keep working. null = cancelled. */
  'stacks.importFromHost': call(z.object({ name: projectName.optional() })).returns<StackDetail | null>(),
  /** Saves an edited file (a built-in one is kept as the user's version). Relaunch applies it. */
  'stacks.save': call(z.object({ id: stackId, yaml: composeText })).returns<StackDetail>(),
  /**
   * Asks main to ask the user to accept what the stack touches on this computer, as shown (the
   * fingerprint of the list read): once allowed, its launches go ahead until the list changes.
   * The answer says what comes next (a code to type, in the browser). CONFLICT when the list
   * changed meanwhile.
   */
  'stacks.confirmHostAccess': call(
    z.object({
      id: stackId,
      fingerprint: kind('name', z.string().regex(/^[0-9a-f]{64}$/, 'Not a fingerprint')),
      code: consentCode,
    }),
  ).returns<HostAccessConfirmation>(),
  /** Publishes a stack that offers the choice on every interface (true) or on this computer only (false). */
  'stacks.setReachable': call(z.object({ id: stackId, reachable: z.boolean() })).returns<StackDetail>(),
  /** Brings a built-in stack's original file back. */
  'stacks.revert': call(idInput).returns<StackDetail>(),
  /** Turns the file's profiles on (the ones listed) or off (the others) for later launches. */
  'stacks.setProfiles': call(
    z.object({
      id: stackId,
      profiles: z.array(kind('name', z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'Not a profile name'))).max(100),
    }),
  ).returns<StackDetail>(),
  /** Asks (main's own dialog) for a Compose file merged over the stack's, as `docker compose -f`. null = cancelled. */
  'stacks.addOverride': call(idInput).returns<StackDetail | null>(),
  /** Stops merging the user's override file at this position of overrideFiles (user ones only). */
  'stacks.removeOverride': call(z.object({ id: stackId, index: z.number().int().min(0).max(100) })).returns<StackDetail>(),
  /** "Use the GPU": merges the file's override for that vendor; null turns it off. */
  'stacks.setGpu': call(z.object({ id: stackId, gpu: z.enum(['nvidia', 'amd']).nullable() })).returns<StackDetail>(),
  /** How the stack's containers are named from its next launch on (that launch recreates them). */
  'stacks.setContainerNames': call(
    z.object({ id: stackId, naming: z.enum(['docker-compose', 'podman-compose']) }),
  ).returns<StackDetail>(),
  /** Saves variable values for later launches; an empty string clears one. */
  'stacks.setVariables': call(z.object({ id: stackId, values: variablesInput })).returns<StackDetail>(),
  /** Forgets a user stack's file (its containers, if any, stay and show as an external project). */
  'stacks.delete': call(idInput).returns<void>(),
  /** Kubernetes YAML for the stack's containers (libpod generate kube); saved to a file when asked. */
  'stacks.exportKube': call(z.object({ id: stackId, save: z.boolean().default(false) })).returns<{
    yaml: string;
    path?: string;
  }>(),
};

export const stackStreams = {
  'stacks.watch': stream(z.void()).emits<LiveChange<StackSummary>>(),
  /**
   * Plan → images → networks/volumes → containers in dependency order → health → links. After the
   * plan, refused with NEEDS_CONFIRMATION (details: { hostAccess }) while the plan's hostAccess
   * needs a confirmation (stacks.confirmHostAccess).
   */
  'stacks.launch': stream(
    z.object({
      id: stackId,
      variables: variablesInput.optional(),
      /** Build the images of services with `build` even when they exist (after editing the app's source). */
      rebuild: z.boolean().default(false),
      /**
       * Launch only these services and what they depend on, whatever their profiles (as
       * `docker compose up NAME`): how a service whose profile is off is started.
       */
      services: z.array(serviceName).max(200).optional(),
    }),
  ).emits<LaunchEvent>(),
  'stacks.logs': stream(
    z.object({
      id: stackId,
      service: serviceName.optional(),
      tail: z.number().int().min(0).max(10_000).default(200),
      follow: z.boolean().default(true),
    }),
  ).emits<StackLogLine>(),
};
