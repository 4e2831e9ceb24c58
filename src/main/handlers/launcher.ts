import type { Launcher } from '../launcher/service';
import type { CallHandlers } from '../rpc/handlers';

export function launcherHandlers(launcher: Launcher) {
  const calls = {
    'launcher.status': () => launcher.status(),
    'launcher.add': () => launcher.add(),
    'launcher.remove': () => launcher.remove(),
  } satisfies Partial<CallHandlers>;
  return { calls, streams: {} };
}
