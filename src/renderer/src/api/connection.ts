import type { ConnectionStatus } from '../../../shared/contract';
import { useLatest } from './live';

/** The Podman connection as main reports it, live. */
export function useConnection(): ConnectionStatus {
  const { value } = useLatest('connection.watch');
  return value ?? { state: 'searching' };
}

/** Whether there is an engine to show numbers of (connected, or reconnecting with the last ones). */
export function useEngineReady(): boolean {
  const { state } = useConnection();
  return state === 'connected' || state === 'lost';
}

export function endpointText(status: ConnectionStatus): string {
  if (status.state !== 'connected' && status.state !== 'lost') return '';
  const e = status.candidate.endpoint;
  switch (e.kind) {
    case 'unix':
    case 'npipe':
      return e.path;
    case 'tcp':
      return `${e.host}:${e.port}`;
    case 'ssh':
      return `ssh://${e.username}@${e.host}:${e.port}${e.socketPath}`;
    case 'command':
      return e.argv.join(' ');
  }
}
