import { describe, expect, it, vi } from 'vitest';
import { callNames, streamNames } from '../../../src/shared/contract';
import { channels } from '../../../src/shared/ipc-channels';
import type { PodDeskBridge } from '../../../src/shared/bridge';
import { createFakeElectron, type FakeElectron } from '../../support/fake-electron';

const fake: { current: FakeElectron } = vi.hoisted(() => ({ current: null as unknown as FakeElectron }));
vi.mock('electron', () => {
  fake.current = createFakeElectron();
  return { ...fake.current.electron, default: fake.current.electron };
});

await import('../../../src/preload/index');

describe('the preload', () => {
  it('exposes one object, window.poddesk, with one function per contract name and nothing else', () => {
    expect(Object.keys(fake.current.exposed)).toEqual(['poddesk']);
    const bridge = fake.current.exposed.poddesk as PodDeskBridge;
    // The one extra: dropped files registered in main (handles), for uploads streamed from disk.
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'registerDroppedFiles', 'streams']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...callNames].sort());
    expect(Object.keys(bridge.streams).sort()).toEqual([...streamNames].sort());
  });

  it('registers dropped files in main on its own channel: the page gets handles, never paths', async () => {
    const bridge = fake.current.exposed.poddesk as PodDeskBridge;
    const handles = [{ handle: `hp_${'x'.repeat(32)}`, name: 'photo.png' }];
    fake.current.answers.set(channels.registerDrops, { ok: true, data: handles });
    const files = [{ fakePath: '/home/me/photo.png' }, { fakePath: '/home/me/notes' }] as unknown as File[];
    expect(await bridge.registerDroppedFiles!(files)).toEqual({ ok: true, data: handles });
    // The paths went to main (found here with webUtils), not to the page.
    expect(fake.current.invoked.at(-1)).toEqual({
      channel: channels.registerDrops,
      args: [['/home/me/photo.png', '/home/me/notes']],
    });
    expect(bridge.registerDroppedFiles!.length).toBe(1);
  });

  it('refuses what is not a dropped file without asking main', async () => {
    const bridge = fake.current.exposed.poddesk as PodDeskBridge;
    const before = fake.current.invoked.length;
    expect(await bridge.registerDroppedFiles!(['/etc/passwd'] as unknown as File[])).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(fake.current.invoked.length).toBe(before);
  });

  it('calls main on the call’s channel and never hands the page an IPC event', async () => {
    const bridge = fake.current.exposed.poddesk as PodDeskBridge;
    await bridge.calls['containers.stop']!({ id: 'web' });
    expect(fake.current.invoked.at(-1)).toEqual({ channel: channels.call('containers.stop'), args: [{ id: 'web' }] });

    const messages: unknown[] = [];
    bridge.streams['containers.watch']!(undefined, (m) => messages.push(m));
    const open = fake.current.invoked.at(-1)!;
    expect(open.channel).toBe(channels.streamOpen);
    const id = (open.args[0] as { id: string }).id;
    const ipcEvent = { sender: 'secret', ports: [] };
    fake.current.rendererListeners.get(channels.streamEvent)!(ipcEvent, { id, type: 'batch', items: ['x'] });
    expect(messages).toEqual([{ type: 'batch', items: ['x'] }]);
  });
});
