import dgram from 'node:dgram';
import net from 'node:net';

/**
 * What trying to listen on a port says: free, held by something, or not this computer's
 * address at all. Anything else (no right to bind a low port here, while the engine may have
 * it) is `unknown`, and the engine decides when it runs the container.
 */
export type ListenProbe = 'free' | 'in-use' | 'no-address' | 'unknown';

function outcome(error: NodeJS.ErrnoException): ListenProbe {
  if (error.code === 'EADDRINUSE') return 'in-use';
  if (error.code === 'EADDRNOTAVAIL') return 'no-address';
  return 'unknown';
}

/**
 * Whether this computer could listen on a port now. A published port is bound on the host the
 * user browses from (rootless Podman's port forwarder, a Podman machine's gvproxy), so trying
 * to listen is the honest check, and it holds nothing: the probe closes at once.
 */
export function probeListen(port: number, protocol: 'tcp' | 'udp', hostIp = ''): Promise<ListenProbe> {
  const host = hostIp || undefined;
  if (protocol === 'udp') {
    return new Promise((resolve) => {
      const socket = dgram.createSocket(hostIp.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', (error) => (socket.close(), resolve(outcome(error))));
      socket.bind(port, host, () => socket.close(() => resolve('free')));
    });
  }
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error) => resolve(outcome(error)));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}
