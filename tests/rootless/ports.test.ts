import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { probePort } from '../../src/main/podman/containers/port-probe';
import type { PortCheck } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { importStack, launch, ok } from '../support/stacks';

/**
 * Rootless Podman publishes a port as this user: the kernel lets it bind ports from
 * net.ipv4.ip_unprivileged_port_start up (1024 unless an administrator lowered it). What the
 * engine refuses the app refuses first, in plain words; what the engine allows the app allows.
 */
const info = inject('podman');
const start = Number.parseInt(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'), 10);
let app: App;

beforeAll(async () => {
  app = await connectedApp(info);
});
afterAll(() => app?.close());

const names = async () => (await podman(info, 'ps', '-a', '--format', '{{.Names}}')).split('\n');

describe(`published ports below and from ip_unprivileged_port_start (${start} here)`, () => {
  // With the sysctl at 0 every port is this user's: nothing is privileged, nothing to refuse.
  it.runIf(start > 0)('refuses the port below it before creating anything, as the engine would', async () => {
    const port = start - 1;
    const check = await ok<PortCheck>(app.dispatcher.call('containers.checkPort', { hostPort: port }));
    expect(check).toEqual({
      free: false,
      reason: expect.stringContaining(`Port ${port} is a privileged port: Podman runs rootless`),
    });
    expect(check.reason).toContain(`from ${start} up`);

    const name = uniqueName('low');
    const refused = await app.dispatcher.call('containers.run', {
      image: info.busybox,
      name,
      command: ['httpd', '-f', '-p', '80', '-h', '/www'],
      ports: [{ hostPort: port, containerPort: 80 }],
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: check.reason, details: [{ path: 'ports.0.hostPort', message: check.reason }] },
    });
    expect(await names()).not.toContain(name);

    // The oracle: the engine itself, asked through the CLI, refuses the same port.
    const engine = await podman(info, 'run', '--rm', '-p', `${port}:80`, info.busybox, 'true').then(
      () => 'allowed',
      (error: Error) => error.message,
    );
    expect(engine).toMatch(new RegExp(`rootlessport cannot expose privileged port ${port}`));
  });

  it('publishes the first port it allows, and serves on it', async () => {
    let port = start;
    while ((await probePort(port, 'tcp')) !== 'free') port++; // something of this machine's may hold it
    expect(await ok<PortCheck>(app.dispatcher.call('containers.checkPort', { hostPort: port }))).toEqual({ free: true });
    const name = uniqueName('first');
    const result = await app.dispatcher.call('containers.run', {
      image: info.busybox,
      name,
      command: ['httpd', '-f', '-p', '80', '-h', '/www'],
      ports: [{ hostPort: port, containerPort: 80 }],
    });
    expect(result).toMatchObject({ ok: true });
    await waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      return response?.ok === true && (await response.text()).includes('hello from busybox');
    }, `httpd on port ${port}`);
    await podman(info, 'rm', '-f', '-t', '0', name);
  });

  it.runIf(start > 0)('a stack publishing a privileged port stops with the engine’s own words', async () => {
    const id = uniqueName('lowstack');
    const yaml = `services:\n  web:\n    image: ${info.busybox}\n    command: httpd -f -p 80 -h /www\n    ports: ["${start - 1}:80"]\n`;
    await importStack(app, yaml, id);
    const { error } = await launch(app, { id });
    expect(error?.message).toMatch(new RegExp(`rootlessport cannot expose privileged port ${start - 1}`));
    await ok(app.dispatcher.call('stacks.remove', { id, timeoutSeconds: 0 }));
    await ok(app.dispatcher.call('stacks.delete', { id }));
  });
});
