import type { App } from '../../src/main/app';
import { podman, type PodmanInfo } from './podman';
import type { HostAccess, HostAccessConfirmation, LaunchEvent, StackDetail, StackPlan } from '../../src/shared/contract';
import { terminalOf } from './app';
import type { ErrorShape } from '../../src/shared/errors';

/**
 * Stack helpers for the integration and e2e layers: a launch through the real dispatcher (as
 * the renderer subscribes to it), and an import of Compose text as a user stack.
 */
export interface LaunchOutcome {
  events: LaunchEvent[];
  error?: ErrorShape;
}

let streamCounter = 0;

export function launch(
  app: App,
  input: { id: string; variables?: Record<string, string>; rebuild?: boolean },
): Promise<LaunchOutcome> {
  const events: LaunchEvent[] = [];
  return new Promise((resolve, reject) => {
    const session = app.dispatcher.session((message) => {
      if (message.type === 'batch') events.push(...(message.items as LaunchEvent[]));
      else resolve(message.error ? { events, error: message.error } : { events });
    });
    const opened = session.open(`launch-${++streamCounter}`, 'stacks.launch', input);
    if (!opened.ok) reject(new Error(opened.error.message));
  });
}

export async function importStack(app: App, yaml: string, name: string): Promise<StackDetail> {
  const result = await app.dispatcher.call('stacks.import', { yaml, name });
  if (!result.ok) throw new Error(`import failed: ${result.error.message}`);
  return result.data as StackDetail;
}

/**
 * Confirms what the stack touches on this computer, as the user does after reading the plan's
 * "This computer" section: the page asks, PodDesk prints a code in its terminal, the user types
 * it back. Returns the list confirmed.
 */
export async function confirmHostAccess(app: App, id: string): Promise<HostAccess> {
  const plan = await ok<StackPlan>(app.dispatcher.call('stacks.plan', { id }));
  const fingerprint = plan.hostAccess.fingerprint;
  let answer = await ok<HostAccessConfirmation>(app.dispatcher.call('stacks.confirmHostAccess', { id, fingerprint }));
  if (answer.state === 'code-required') {
    const code = terminalOf(app).lastCode();
    answer = await ok<HostAccessConfirmation>(app.dispatcher.call('stacks.confirmHostAccess', { id, fingerprint, code }));
  }
  if (answer.state !== 'confirmed') throw new Error(`not confirmed: ${JSON.stringify(answer)}`);
  return plan.hostAccess;
}

export async function ok<T>(promise: Promise<{ ok: true; data: unknown } | { ok: false; error: ErrorShape }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as T;
}

export function steps(events: LaunchEvent[]): string[] {
  return events.filter((e): e is Extract<LaunchEvent, { type: 'step' }> => e.type === 'step').map((e) => `${e.id} ${e.status}`);
}

/**
 * Containers as podman-compose or docker compose would leave them (`<project>_<service>_1`,
 * the Compose labels), for the "started by other tools" view. `extra` adds arguments per service.
 */
export async function runComposeProject(
  info: PodmanInfo,
  project: string,
  services: string[],
  extra: (service: string) => string[] = () => [],
): Promise<void> {
  for (const service of services) {
    await podman(
      info,
      'run',
      '-d',
      '--name',
      `${project}_${service}_1`,
      '--label',
      `com.docker.compose.project=${project}`,
      '--label',
      `com.docker.compose.service=${service}`,
      ...extra(service),
      info.busybox,
      'sleep',
      '300',
    );
  }
}
