import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/main/podman/events';
import type { LiveCollection } from '../../src/main/podman/live-collection';
import { applyNetworkEvent } from '../../src/main/podman/networks/networks';
import { applyWiringEvent } from '../../src/main/podman/networks/wiring';
import { applyVolumeEvent } from '../../src/main/podman/volumes/volumes';
import { parseEvent } from '../../src/main/podman/events';

/** A collection that only records what it was asked to do. */
function recorder() {
  const calls: string[] = [];
  const collection = {
    refresh: (id: string) => calls.push(`refresh ${id}`),
    drop: (id: string) => calls.push(`drop ${id}`),
    get: () => undefined,
  } as unknown as LiveCollection<never>;
  return { calls, collection };
}

const event = (raw: object) => parseEvent(raw as never) as EngineEvent;

describe('engine events into caches', () => {
  it('volume events name the volume in an attribute (Podman 4.3)', () => {
    const { calls, collection } = recorder();
    const volume = (action: string) =>
      event({ Type: 'volume', Action: action, Actor: { ID: '', Attributes: { name: 'data' } }, timeNano: 1 });
    for (const action of ['create', 'remove', 'prune', 'mount']) applyVolumeEvent(volume(action), collection);
    expect(calls).toEqual(['refresh data', 'drop data', 'drop data']);
  });

  it('a network connect of Podman 4.3 names the container in its id; later ones in an attribute', () => {
    const { calls, collection } = recorder();
    applyWiringEvent(
      event({ Type: 'network', Action: 'connect', Actor: { ID: 'abc123', Attributes: { name: 'web' } } }),
      collection,
    );
    applyWiringEvent(
      event({
        Type: 'network',
        Action: 'disconnect',
        Actor: { ID: 'net-id', Attributes: { container: 'def456', name: 'front' } },
      }),
      collection,
    );
    expect(calls).toEqual(['refresh abc123', 'refresh def456']);
  });

  it('refreshes wiring only on the container events that change it', () => {
    const { calls, collection } = recorder();
    for (const action of ['create', 'init', 'start', 'exec_start', 'health_status', 'died', 'remove'])
      applyWiringEvent(event({ Type: 'container', Action: action, Actor: { ID: 'c1', Attributes: {} } }), collection);
    expect(calls).toEqual(['refresh c1', 'refresh c1', 'refresh c1', 'drop c1']);
  });

  it('networks follow create and remove events where the engine sends them, and ignore connects', () => {
    const { calls, collection } = recorder();
    applyNetworkEvent(
      event({ Type: 'network', Action: 'create', Actor: { ID: 'id1', Attributes: { name: 'front' } } }),
      collection,
    );
    applyNetworkEvent(
      event({ Type: 'network', Action: 'remove', Actor: { ID: 'id1', Attributes: { name: 'front' } } }),
      collection,
    );
    applyNetworkEvent(
      event({ Type: 'network', Action: 'connect', Actor: { ID: 'c1', Attributes: { name: 'web' } } }),
      collection,
    );
    expect(calls).toEqual(['refresh front', 'drop front']);
  });
});
