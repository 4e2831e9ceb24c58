import dgram from 'node:dgram';
import net from 'node:net';

/**
 * Whether this computer could listen on a port now. A published port is bound on the host the
 * user browses from (rootless Podman's port forwarder, a Podman machine's gvproxy), so trying
 * to listen is the honest check, and it holds nothing: the probe closes at once.
 */
export function canListen(port: number, protocol: 'tcp' | 'udp', hostIp = ''): Promise<boolean> {
  const host = hostIp || undefined;
  if (protocol === 'udp') {
    return new Promise((resolve) => {
      const socket = dgram.createSocket(hostIp.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', () => (socket.close(), resolve(false)));
      socket.bind(port, host, () => socket.close(() => resolve(true)));
    });
  }
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
