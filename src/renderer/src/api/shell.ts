import { useSyncExternalStore } from 'react';
import type { ConnectionStatus } from '../../../shared/contract';
import type { Shell } from '../../../shared/podman-commands';
import { useConnection } from './connection';

/**
 * Which shell the commands PodDesk shows are written for: the user's choice (kept in this
 * browser profile), else what fits where PodDesk runs — PowerShell on Windows, bash on Linux,
 * macOS and inside WSL. With Podman inside a WSL distro, its commands are typed in that distro.
 */
const KEY = 'poddesk.shell';
const listeners = new Set<() => void>();

function stored(): Shell | null {
  try {
    const value = globalThis.localStorage?.getItem(KEY);
    return value === 'bash' || value === 'powershell' ? value : null;
  } catch {
    return null;
  }
}

let chosen: Shell | null = stored();

export function chooseShell(shell: Shell): void {
  chosen = shell;
  try {
    globalThis.localStorage?.setItem(KEY, shell);
  } catch {
    // Storage refused (a private window): the choice lasts until the page closes.
  }
  for (const listener of listeners) listener();
}

export function defaultShell(status: ConnectionStatus): Shell {
  const platform = 'platform' in status ? status.platform : undefined;
  if (platform === 'win32') {
    const viaWsl = (status.state === 'connected' || status.state === 'lost') && status.candidate.source === 'wsl';
    return viaWsl ? 'bash' : 'powershell';
  }
  if (platform) return 'bash';
  return typeof navigator !== 'undefined' && /^Win/.test(navigator.platform) ? 'powershell' : 'bash';
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function useShell(): [Shell, (shell: Shell) => void] {
  const status = useConnection();
  const mine = useSyncExternalStore(subscribe, () => chosen);
  return [mine ?? defaultShell(status), chooseShell];
}

/** The shell now, outside React (a notification). */
export const currentShell = (status: ConnectionStatus): Shell => chosen ?? defaultShell(status);
