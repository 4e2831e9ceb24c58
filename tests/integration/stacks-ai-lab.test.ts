import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { LaunchEvent, StackDetail } from '../../src/shared/contract';
import { connectedApp, uniqueName } from '../support/app';
import { podman } from '../support/podman';
import { freePort, pushImage, startRegistry, type Registry } from '../support/registry';
import { STACK_IMAGES, buildStackImages, offlineVariables, writeWebappContext } from '../support/stack-images';
import { confirmHostAccess, importStack, launch, ok, steps } from '../support/stacks';

/**
 * The built-in AI lab (Jupyter + Ollama + the chat app on one network), with Ollama's image
 * pulled from a registry on loopback: the launch pulls with progress, builds the app, and a
 * notebook's container reaches http://ollama:11434 by service name, as the file promises.
 */
const info = inject('podman');
let app: App;
let registry: Registry;

beforeAll(async () => {
  await buildStackImages(info);
  [app, registry] = await Promise.all([connectedApp(info), startRegistry()]);
});
afterAll(async () => {
  await app?.close();
  await registry?.stop();
});

describe('the built-in AI lab', () => {
  it('pulls, builds, starts three services in order, and Jupyter reaches Ollama by name', async () => {
    const id = uniqueName('lab');
    const image = `${registry.host}/poddesk/ollama:${process.pid}`;
    await pushImage(info, STACK_IMAGES.ollama, image);
    const ports = { ollama: await freePort(), jupyter: await freePort(), web: await freePort() };
    const context = await writeWebappContext(info);
    const yaml = readFileSync(join(import.meta.dirname, '../../resources/stacks/ai-lab.yaml'), 'utf8');
    await importStack(app, yaml, id);
    await ok(
      app.dispatcher.call('stacks.setVariables', { id, values: { ...offlineVariables(ports, context), OLLAMA_IMAGE: image } }),
    );
    await confirmHostAccess(app, id);
    const detail = await ok<StackDetail>(app.dispatcher.call('stacks.get', { id }));
    const token = detail.variables.find((v) => v.name === 'JUPYTER_TOKEN')!.value!;

    const { events, error } = await launch(app, { id });
    expect(error).toBeUndefined();
    const plan = events.find((e): e is Extract<LaunchEvent, { type: 'plan' }> => e.type === 'plan')!.plan;
    expect(plan.images.map((i) => [i.ref, i.action])).toEqual([
      [image, 'pull'],
      [STACK_IMAGES.jupyter, 'present'],
      [offlineVariables(ports, context).WEBAPP_IMAGE, 'build'],
    ]);
    // Per-image progress while pulling, then the steps in dependency order.
    const pulls = events.filter((e): e is Extract<LaunchEvent, { type: 'pull' }> => e.type === 'pull');
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls.every((p) => p.image === image)).toBe(true);
    expect(pulls.at(-1)!.progress.done).toBe(true);
    const order = steps(events);
    expect(order).toContain(`image:${image} done`);
    expect(order.indexOf('health:ollama done')).toBeLessThan(order.indexOf('container:web running'));
    expect(order.indexOf('container:ollama done')).toBeLessThan(order.indexOf('container:jupyter running'));
    const done = events.at(-1);
    expect(done?.type === 'done' && done.links.map((l) => [l.service, l.url])).toEqual([
      ['ollama', `http://localhost:${ports.ollama}/`],
      ['jupyter', `http://localhost:${ports.jupyter}/lab?token=${token}`],
      ['web', `http://localhost:${ports.web}/`],
    ]);

    // A notebook calls the model server by its service name, like the web app does.
    const fromJupyter = await podman(info, 'exec', `${id}-jupyter-1`, 'wget', '-qO-', 'http://ollama:11434/api/version');
    expect(JSON.parse(fromJupyter)).toEqual({ version: '0.0.0-offline' });
    expect(await (await fetch(`http://127.0.0.1:${ports.web}/cgi-bin/ask`)).json()).toEqual({ version: '0.0.0-offline' });
    await ok(app.dispatcher.call('stacks.remove', { id, timeoutSeconds: 0 }));
  });
});
