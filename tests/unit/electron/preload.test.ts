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
    // The one extra: a dropped file's path (webUtils.getPathForFile), for uploads streamed from disk.
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'getPathForFile', 'streams']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...callNames].sort());
    expect(Object.keys(bridge.streams).sort()).toEqual([...streamNames].sort());
  });

  it('answers a dropped file’s path through webUtils, and nothing more', () => {
    const bridge = fake.current.exposed.poddesk as PodDeskBridge;
    expect(bridge.getPathForFile!({ fakePath: '/home/me/photo.png' } as unknown as File)).toBe('/home/me/photo.png');
    expect(bridge.getPathForFile!.length).toBe(1);
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
