import type { PortMapping, StackLink } from '../../shared/contract';
import type { ServiceExtras } from './compose/model';

/**
 * What "Open" opens for a service: its `x-poddesk.open` path on the port it names (Jupyter's
 * /lab?token=…), else the root of each published TCP port.
 */
export function serviceLinks(
  ports: Pick<PortMapping, 'hostIp' | 'hostPort' | 'containerPort' | 'protocol'>[],
  extras: ServiceExtras | undefined,
  host = 'localhost',
): StackLink[] {
  const published = ports.filter((p) => p.protocol === 'tcp' && p.hostPort > 0);
  if (published.length === 0) return [];
  const hostFor = (p: { hostIp: string }) =>
    p.hostIp && !['0.0.0.0', '::', '127.0.0.1', '::1'].includes(p.hostIp) ? p.hostIp : host;
  const url = (p: (typeof published)[number], path = '/') => {
    const h = hostFor(p);
    return `http://${h.includes(':') ? `[${h}]` : h}:${p.hostPort}${path.startsWith('/') ? path : `/${path}`}`;
  };
  if (extras?.open) {
    const target = extras.open.port === undefined ? published[0] : published.find((p) => p.containerPort === extras.open!.port);
    if (target) return [{ label: extras.title ?? 'Open', url: url(target, extras.open.path) }];
  }
  const seen = new Set<number>();
  return published
    .filter((p) => (seen.has(p.hostPort) ? false : (seen.add(p.hostPort), true)))
    .map((p) => ({ label: published.length === 1 && extras?.title ? extras.title : `Port ${p.hostPort}`, url: url(p) }));
}
