import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { OllamaStatus, StackDetail, StackPlan, StackSummary } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman, waitFor } from '../support/podman';
import { freePort } from '../support/registry';
import { buildStackImages, offlineVariables } from '../support/stack-images';
import { importStack, launch, ok } from '../support/stacks';

/**
 * The built-in stacks publish on 127.0.0.1 (Ollama's API has no password), and on every
 * interface once the user makes the stack "reachable from other computers" — through a real
 * engine, looking at what Podman bound and at who can connect.
 */
const info = inject('podman');
let app: App;

beforeAll(async () => {
  await buildStackImages(info);
  app = await connectedApp(info);
});
afterAll(() => app?.close());

/** An address of this computer that other computers would use (not loopback). */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const bindings = async (container: string) =>
  JSON.parse(await podman(info, 'inspect', '--format', '{{json .HostConfig.PortBindings}}', container)) as Record<
    string,
    { HostIp: string; HostPort: string }[]
  >;
const answers = (host: string, port: number) =>
  fetch(`http://${host}:${port}/api/version`, { signal: AbortSignal.timeout(3_000) }).then(
    (r) => r.ok,
    () => false,
  );
const summary = async (id: string) =>
  (await ok<StackSummary[]>(app.dispatcher.call('stacks.list', undefined))).find((s) => s.id === id);

describe('where the built-in Ollama stack publishes its port', () => {
  const id = uniqueName('publish');
  const container = `${id}-ollama-1`;
  let port: number;

  it('publishes on 127.0.0.1 by default, and the links, the health wait and the Ollama finder all reach it', async () => {
    port = await freePort();
    await importStack(app, readFileSync(join(import.meta.dirname, '../../resources/stacks/ollama.yaml'), 'utf8'), id);
    await ok(app.dispatcher.call('stacks.setVariables', { id, values: offlineVariables({ ollama: port }) }));
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id }));
    expect(detail.reachableFromOtherComputers).toBe(false);

    const { events, error } = await launch(app, { id });
    expect(error).toBeUndefined();
    // Nothing of this computer to confirm: the stack as shipped uses only its named volume.
    const plan = events.find((e) => e.type === 'plan');
    expect(plan?.type === 'plan' && plan.plan.hostAccess).toMatchObject({ items: [], needsConfirmation: false });
    expect(plan?.type === 'plan' && plan.plan.services[0]!.ports).toEqual([
      { hostIp: '127.0.0.1', hostPort: port, containerPort: 11434, protocol: 'tcp' },
    ]);
    const done = events.at(-1);
    expect(done?.type === 'done' && done.links).toEqual([
      { label: 'Ollama API', url: `http://localhost:${port}/`, service: 'ollama' },
    ]);

    expect((await bindings(container))['11434/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    expect(await answers('127.0.0.1', port)).toBe(true);
    await waitFor(async () => (await summary(id))?.services[0]?.ports[0]?.hostIp === '127.0.0.1', 'the port in the list');
    expect((await summary(id))!.services[0]!.links).toEqual([{ label: 'Ollama API', url: `http://localhost:${port}/` }]);

    // The Chat page's Ollama finder takes the running container's published address.
    const status = await ok<OllamaStatus>(app.dispatcher.call('ollama.retry', undefined));
    expect(status).toMatchObject({ state: 'reachable', candidate: { host: `http://127.0.0.1:${port}`, source: 'container' } });
  });

  it.skipIf(!lanAddress)('is out of reach of other computers while on loopback (needs a non-loopback address)', async () => {
    expect(await answers(lanAddress!, port)).toBe(false);
  });

  it('publishes on every interface once made reachable from other computers, after a relaunch', async () => {
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.setReachable', { id, reachable: true }));
    expect(detail.reachableFromOtherComputers).toBe(true);
    expect(detail.variables.find((v) => v.name === 'BIND_ADDRESS')).toMatchObject({ source: 'saved', value: '0.0.0.0' });
    const plan = await ok<StackPlan>(app.dispatcher.call('stacks.plan', { id }));
    expect(plan.services.map((s) => [s.action, s.ports[0]!.hostIp])).toEqual([['recreate', '0.0.0.0']]);

    const { error } = await launch(app, { id });
    expect(error).toBeUndefined();
    // Every interface, which Podman says with no address (as for `podman run -p 0.0.0.0:…`).
    expect((await bindings(container))['11434/tcp']).toEqual([{ HostIp: '', HostPort: String(port) }]);
    expect(await answers('127.0.0.1', port)).toBe(true);
    if (lanAddress) expect(await answers(lanAddress, port)).toBe(true);

    // And back: off publishes on loopback again.
    const off = await ok<StackDetail>(app.dispatcher.call('stacks.setReachable', { id, reachable: false }));
    expect(off.reachableFromOtherComputers).toBe(false);
    expect(off.variables.find((v) => v.name === 'BIND_ADDRESS')).toMatchObject({ source: 'default' });
    await ok(app.dispatcher.call('stacks.remove', { id, timeoutSeconds: 0 }));
  });

  it('refuses the choice for a file that does not offer it', async () => {
    const other = uniqueName('plain');
    await importStack(app, `services:\n  web:\n    image: ${info.busybox}\n    ports: ["8080:80"]\n`, other);
    const refused = await app.dispatcher.call('stacks.setReachable', { id: other, reachable: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await ok(app.dispatcher.call('stacks.delete', { id: other }));
  });
});
