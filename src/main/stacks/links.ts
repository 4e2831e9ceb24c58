import type { PortMapping, StackLink } from '../../shared/contract';
import type { ServiceExtras } from './compose/model';

const ANY = new Set(['', '0.0.0.0', '::']);
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/**
 * Where this computer reaches a port published on `hostIp` by an engine on `engineHost`
 * ("localhost" or 127.0.0.1 for a local engine, a remote engine's host otherwise): every
 * interface → the engine's host; loopback → itself when the engine is on this computer, and
 * nowhere when it is on another one (its loopback is its own); any other address → itself.
 */
export function reachableHost(hostIp: string, engineHost: string): string | undefined {
  if (ANY.has(hostIp)) return engineHost;
  if (isLoopback(hostIp)) return isLoopback(engineHost) ? hostIp : undefined;
  return hostIp;
}

/**
 * What "Open" opens for a service: its `x-poddesk.open` path on the port it names (Jupyter's
 * /lab?token=…), else the root of each published TCP port this computer can reach.
 */
export function serviceLinks(
  ports: Pick<PortMapping, 'hostIp' | 'hostPort' | 'containerPort' | 'protocol'>[],
  extras: ServiceExtras | undefined,
  host = 'localhost',
): StackLink[] {
  const published = ports
    .filter((p) => p.protocol === 'tcp' && p.hostPort > 0)
    .flatMap((p) => {
      const at = reachableHost(p.hostIp, host);
      // The usual loopback opens under the name people know (and Jupyter prints): localhost.
      return at === undefined ? [] : [{ ...p, at: at === '127.0.0.1' || at === '::1' ? host : at }];
    });
  if (published.length === 0) return [];
  const url = (p: (typeof published)[number], path = '/') =>
    `http://${p.at.includes(':') ? `[${p.at}]` : p.at}:${p.hostPort}${path.startsWith('/') ? path : `/${path}`}`;
  if (extras?.open) {
    const target = extras.open.port === undefined ? published[0] : published.find((p) => p.containerPort === extras.open!.port);
    if (target) return [{ label: extras.title ?? 'Open', url: url(target, extras.open.path) }];
  }
  const seen = new Set<number>();
  return published
    .filter((p) => (seen.has(p.hostPort) ? false : (seen.add(p.hostPort), true)))
    .map((p) => ({ label: published.length === 1 && extras?.title ? extras.title : `Port ${p.hostPort}`, url: url(p) }));
}
