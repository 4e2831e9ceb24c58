import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Consent } from '../../../src/main/consent';
import type { ContainerSummary, LaunchEvent } from '../../../src/shared/contract';
import type { AppError } from '../../../src/shared/errors';
import { createLiveCollection } from '../../../src/main/podman/live-collection';
import { createDefinitionStore } from '../../../src/main/stacks/definitions';
import { hostAccessLine } from '../../../src/main/stacks/host-access-consent';
import { createStacksService } from '../../../src/main/stacks/service';
import { ALLOW, fakeConsent, terminalConsent } from '../../support/consent';
import { fakeHostFiles } from '../../support/host-files';
import { fakeEngine } from './fake-engine';

const file = (mode = '') => `
services:
  web:
    image: web:1
    volumes: ["/srv/shop-data:/data${mode}"]
    devices: ["/dev/dri"]
`;

/**
 * "This computer" is allowed by the user through main (a dialog, or a code printed in the
 * terminal), never by the page's call alone: the consent here is the user, the service calls are
 * what the page sends.
 */
describe('who allows what a stack touches on this computer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poddesk-consent-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const setUp = async (consent: Consent) => {
    const engine = fakeEngine();
    const definitions = createDefinitionStore({ builtinDir: join(dir, 'builtin'), dataDir: dir });
    const service = createStacksService({
      definitions,
      containers: createLiveCollection<ContainerSummary>({
        listAll: async () => [],
        fetchOne: async () => null,
        key: (c) => c.id,
      }),
      engine: () => {
        throw new Error('no engine in this test');
      },
      ops: engine.ops,
      images: engine.images,
      env: {},
      homeDir: dir,
      hostFiles: fakeHostFiles(dir),
      consent,
      endpoint: () => undefined,
    });
    const stack = await service.importText({ yaml: file(), name: 'shop' });
    const launch = async () => {
      const events: LaunchEvent[] = [];
      const error = await service
        .launch({ id: stack.id, rebuild: false }, (e) => events.push(e), new AbortController().signal)
        .then(
          () => undefined,
          (e: unknown) => e as AppError,
        );
      return { events, error };
    };
    const fingerprint = async () => (await service.plan(stack.id, undefined, false)).hostAccess.fingerprint;
    const kept = async () => (await definitions.get(stack.id)).state.hostAccessConfirmed;
    return { engine, service, id: stack.id, launch, fingerprint, kept };
  };

  it('never unlocks a launch on the page’s call alone: the user said no, nothing is kept', async () => {
    const consent = fakeConsent();
    const { engine, service, id, launch, fingerprint, kept } = await setUp(consent);
    expect(await service.confirmHostAccess(id, await fingerprint())).toEqual({
      state: 'refused',
      message: expect.stringMatching(/Cancel/),
    });
    expect((await launch()).error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
    expect(engine.calls).toEqual([]);
    // Nothing of a confirmation reached the stack's saved state.
    expect(await kept()).toBeUndefined();
    // A code the page makes up is no yes either.
    expect((await service.confirmHostAccess(id, await fingerprint(), '123456')).state).toBe('refused');
    expect((await launch()).error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
  });

  it('asks with the list as the user should read it, and launches once the user allows', async () => {
    const consent = fakeConsent(ALLOW);
    const { engine, service, id, launch, fingerprint, kept } = await setUp(consent);
    const print = await fingerprint();
    expect(await service.confirmHostAccess(id, print)).toEqual({ state: 'confirmed' });
    expect(await kept()).toBe(print);
    expect(consent.asked).toHaveLength(1);
    expect(consent.asked[0]).toMatchObject({
      subject: `stack:shop:${print}`,
      title: 'Let the stack “shop” use these 2 things on this computer?',
      allowLabel: 'Allow',
      lines: ['Folder or file: /srv/shop-data → /data, read-write — web', 'Device: /dev/dri → /dev/dri — web'],
    });
    expect((await launch()).error).toBeUndefined();
    expect(engine.calls).toContain('create web');
    // Confirmed already: no second question.
    expect(await service.confirmHostAccess(id, print)).toEqual({ state: 'confirmed' });
    expect(consent.asked).toHaveLength(1);
  });

  it('asks again when the list changes, and refuses a confirmation of the old list without asking', async () => {
    const consent = fakeConsent(ALLOW, ALLOW);
    const { service, id, launch, fingerprint } = await setUp(consent);
    const first = await fingerprint();
    await service.confirmHostAccess(id, first);
    await service.save(id, file(':ro'));
    expect((await launch()).error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
    await expect(service.confirmHostAccess(id, first)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(consent.asked).toHaveLength(1);
    const second = await fingerprint();
    expect(second).not.toBe(first);
    expect(await service.confirmHostAccess(id, second)).toEqual({ state: 'confirmed' });
    expect(consent.asked[1]!.lines[0]).toBe('Folder or file: /srv/shop-data → /data, read-only — web');
    expect((await launch()).error).toBeUndefined();
  });

  it('with a terminal code: refuses a wrong, expired or reused one, and allows the one printed', async () => {
    let time = 0;
    const consent = terminalConsent({ now: () => time });
    const { service, id, launch, fingerprint } = await setUp(consent);
    const print = await fingerprint();
    expect(await service.confirmHostAccess(id, print)).toMatchObject({ state: 'code-required', codePending: true });
    const wrong = consent.lastCode() === '000000' ? '000001' : '000000';
    expect(await service.confirmHostAccess(id, print, wrong)).toMatchObject({
      state: 'code-required',
      codePending: true,
      problem: /not the code/,
    });
    time += 10 * 60_000;
    expect(await service.confirmHostAccess(id, print, consent.lastCode())).toMatchObject({
      state: 'code-required',
      codePending: false,
      problem: /expired/,
    });
    expect((await launch()).error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });

    await service.confirmHostAccess(id, print);
    const code = consent.lastCode();
    expect(await service.confirmHostAccess(id, print, code)).toEqual({ state: 'confirmed' });
    expect((await launch()).error).toBeUndefined();

    // The same code for the changed list: spent, and for another list anyway.
    await service.save(id, file(':ro'));
    expect(await service.confirmHostAccess(id, await fingerprint(), code)).toMatchObject({
      state: 'code-required',
      codePending: false,
    });
    expect((await launch()).error).toMatchObject({ code: 'NEEDS_CONFIRMATION' });
  });

  it('writes one plain line per item, with every field the fingerprint covers', () => {
    expect(
      hostAccessLine({
        kind: 'mount',
        subject: '/home/ada/link',
        realPath: '/srv/real',
        target: '/data',
        access: 'read-only',
        services: ['a', 'b'],
        note: 'not shown',
      }),
    ).toBe('Folder or file: /home/ada/link (really /srv/real) → /data, read-only — a, b');
    expect(hostAccessLine({ kind: 'environment', subject: 'GITHUB_TOKEN', services: [], note: '' })).toBe(
      'Variable from PodDesk’s environment: GITHUB_TOKEN',
    );
  });
});
