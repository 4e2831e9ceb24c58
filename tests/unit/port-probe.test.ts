import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { probePort } from '../../src/main/podman/containers/port-probe';

/** Real sockets on loopback: what the Run form's port check hears from this computer. */
describe('probing a port by listening on it', () => {
  it('tells a free port, a held one and an address this computer does not have apart', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const held = (holder.address() as net.AddressInfo).port;
    try {
      expect(await probePort(held, 'tcp', '127.0.0.1')).toBe('in-use');
      holder.close();
      await new Promise((resolve) => holder.once('close', resolve));
      expect(await probePort(held, 'tcp', '127.0.0.1')).toBe('free');
      // 192.0.2.1 is reserved for documentation: no computer has it.
      expect(await probePort(held, 'tcp', '192.0.2.1')).toBe('no-address');
      expect(await probePort(held, 'udp', '192.0.2.1')).toBe('no-address');
    } finally {
      if (holder.listening) holder.close();
    }
  });
});
