import dgram from 'node:dgram';
import { readFile } from 'node:fs/promises';
import net from 'node:net';

/**
 * What trying to listen on a port said: free, held by someone, not this user's to bind (a
 * privileged port), or not this computer's address at all. Anything else is `unknown`, and the
 * engine decides when it runs the container.
 */
export type PortProbe = 'free' | 'in-use' | 'denied' | 'no-address' | 'unknown';

function verdict(error: NodeJS.ErrnoException): PortProbe {
  if (error.code === 'EADDRINUSE') return 'in-use';
  if (error.code === 'EACCES' || error.code === 'EPERM') return 'denied';
  if (error.code === 'EADDRNOTAVAIL') return 'no-address';
  return 'unknown';
}

/**
 * Whether this computer could listen on a port now. A published port is bound on the host the
 * user browses from (rootless Podman's port forwarder, a Podman machine's gvproxy), so trying
 * to listen is the honest check, and it holds nothing: the probe closes at once.
 */
export function probePort(port: number, protocol: 'tcp' | 'udp', hostIp = ''): Promise<PortProbe> {
  const host = hostIp || undefined;
  if (protocol === 'udp') {
    return new Promise((resolve) => {
      const socket = dgram.createSocket(hostIp.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', (error) => (socket.close(), resolve(verdict(error))));
      socket.bind(port, host, () => socket.close(() => resolve('free')));
    });
  }
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error) => resolve(verdict(error)));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/** The first port an unprivileged user may bind on Linux (`sysctl net.ipv4.ip_unprivileged_port_start`), or null where unknown. */
export async function unprivilegedPortStart(
  read: (path: string) => Promise<string> = (p) => readFile(p, 'utf8'),
): Promise<number | null> {
  const text = await read('/proc/sys/net/ipv4/ip_unprivileged_port_start').catch(() => '');
  const value = Number.parseInt(text.trim(), 10);
  return Number.isInteger(value) && value >= 0 ? value : null;
}

/** Why a rootless Podman cannot publish `port`, in words a learner can act on. */
export function privilegedPortReason(port: number, start: number | null): string {
  const from = start ?? 1024;
  return (
    `Port ${port} is a privileged port: Podman runs rootless here (as your user), and this system lets ` +
    `users publish ports from ${from} up. Choose ${from} or higher (${Math.max(from, 8080)}, say), or ask ` +
    `an administrator to lower net.ipv4.ip_unprivileged_port_start.`
  );
}
