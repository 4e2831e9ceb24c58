import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerSummary, LaunchEvent } from '../../../src/shared/contract';
import { createLiveCollection } from '../../../src/main/podman/live-collection';
import { createDefinitionStore } from '../../../src/main/stacks/definitions';
import { createStacksService } from '../../../src/main/stacks/service';
import { fakeConsent } from '../../support/consent';
import { fakeHostFiles } from '../../support/host-files';
import { fakeEngine } from './fake-engine';

const TWO = `
services:
  db:
    image: db:1
  app:
    image: app:1
    depends_on: [db]
`;

/**
 * The live cache learns of containers through engine events, which can trail an action by a
 * moment. Here it never learns anything: whatever the service does to the stack's containers
 * must come from the engine itself.
 */
describe('stack actions with a container cache that lags the engine', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poddesk-stack-remove-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const setUp = () => {
    const fake = fakeEngine();
    const lagging = createLiveCollection<ContainerSummary>({
      listAll: async () => [],
      fetchOne: async () => null,
      key: (c) => c.id,
    });
    const service = createStacksService({
      definitions: createDefinitionStore({ builtinDir: join(dir, 'builtin'), dataDir: dir }),
      containers: lagging,
      engine: () => {
        throw new Error('no engine in this test');
      },
      ops: fake.ops,
      images: fake.images,
      env: {},
      homeDir: dir,
      hostFiles: fakeHostFiles(dir),
      consent: fakeConsent(),
      endpoint: () => undefined,
    });
    return { fake, service };
  };

  const launch = async (service: ReturnType<typeof setUp>['service'], id: string) => {
    const events: LaunchEvent[] = [];
    await service.launch({ id, rebuild: false }, (e) => events.push(e), new AbortController().signal);
    expect(events.at(-1)?.type).toBe('done');
  };

  it('removes every container the engine has, then the network they used', async () => {
    const { fake, service } = setUp();
    const stack = await service.importText({ yaml: TWO, name: 'lagging' });
    await launch(service, stack.id);
    expect(fake.containers.size).toBe(2);

    const result = await service.remove(stack.id, { deleteVolumes: false });

    expect(fake.containers.size).toBe(0);
    expect(result.containers.sort()).toEqual(['lagging-app-1', 'lagging-db-1']);
    expect(result.networks).toEqual(['lagging_default']);
    expect(fake.networks.size).toBe(0);
    // Dependents first, as compose down does.
    expect(fake.calls.filter((c) => c.startsWith('remove'))).toEqual(['remove app', 'remove db']);
    await service.close();
  });

  it('stops and starts the containers the engine has', async () => {
    const { fake, service } = setUp();
    const stack = await service.importText({ yaml: TWO, name: 'lagging2' });
    await launch(service, stack.id);
    fake.calls.length = 0;

    await service.stop(stack.id, undefined);
    expect([...fake.containers.values()].map((c) => c.state)).toEqual(['exited', 'exited']);
    await service.start(stack.id);
    expect(fake.calls.filter((c) => c.startsWith('start'))).toEqual(['start db', 'start app']);
    await service.close();
  });
});
