import type { ContainerWiring, LiveChange, NetworkSummary } from '../../../shared/contract';
import type { ConnectionManager } from '../connection/manager';
import { createLiveCollection, type LiveCollection } from '../live-collection';
import { networkActions, type NetworkActions } from './actions';
import { applyNetworkEvent, networkSource, noticeNetworks } from './networks';
import { applyWiringEvent, wiringSource } from './wiring';

export interface Networking {
  networks: LiveCollection<NetworkSummary>;
  wiring: LiveCollection<ContainerWiring>;
  /**
   * Follows the wiring while someone looks (a page, a test): the first watcher loads it, events
   * keep it current, and with nobody watching container events cost it nothing at all.
   */
  watchWiring(listener: (change: LiveChange<ContainerWiring>) => void): () => void;
  actions: NetworkActions;
}

/** The network cache, the container-wiring cache and the actions, kept live by the connection. */
export function createNetworking(connection: ConnectionManager, log: (message: string, error?: unknown) => void): Networking {
  const engine = () => connection.engine();
  const networks = createLiveCollection(networkSource(engine, (error) => log('network refresh failed', error)));
  const wiring = createLiveCollection(wiringSource(engine, (error) => log('container wiring refresh failed', error)));

  let watchers = 0;
  // True when the wiring may have missed events: the next watcher reloads it.
  let stale = true;
  const load = () => {
    stale = false;
    wiring.reload().catch((error: unknown) => {
      stale = true;
      log('container wiring load failed', error);
    });
  };

  connection.onEvent((event) => {
    applyNetworkEvent(event, networks);
    if (watchers > 0) applyWiringEvent(event, wiring);
  });
  // A container on a network the cache has not seen means the network was made behind our back
  // (Podman 4.3 announces no network creation): fetch that one network.
  wiring.subscribe((change) => {
    if (change.type === 'upsert')
      noticeNetworks(
        change.item.endpoints.map((e) => e.network),
        networks,
      );
  });
  connection.onConnect(async () => {
    // A failed load must not keep the connection from being reported: log it, the next event or
    // reconnect tries again.
    stale = true;
    if (watchers > 0) load();
    await networks.reload().catch((error: unknown) => log('network load failed', error));
  });
  connection.watch((status) => {
    if (status.state === 'not-running' || status.state === 'not-installed' || status.state === 'host-key') {
      networks.clear();
      wiring.clear();
    }
  });

  const actions = networkActions({
    engine,
    networks,
    engineVersion: () => {
      const status = connection.status();
      return status.state === 'connected' ? status.engine.version : undefined;
    },
  });
  return {
    networks,
    wiring,
    actions,
    watchWiring(listener) {
      watchers++;
      if (stale) load();
      const unsubscribe = wiring.subscribe(listener);
      return () => {
        unsubscribe();
        watchers--;
        if (watchers === 0) stale = true;
      };
    },
  };
}
