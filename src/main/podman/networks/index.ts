import type { ContainerWiring, NetworkSummary } from '../../../shared/contract';
import type { ConnectionManager } from '../connection/manager';
import { createLiveCollection, type LiveCollection } from '../live-collection';
import { networkActions, type NetworkActions } from './actions';
import { applyNetworkEvent, networkSource, noticeNetworks } from './networks';
import { applyWiringEvent, wiringSource } from './wiring';

export interface Networking {
  networks: LiveCollection<NetworkSummary>;
  wiring: LiveCollection<ContainerWiring>;
  actions: NetworkActions;
}

/** The network cache, the container-wiring cache and the actions, kept live by the connection. */
export function createNetworking(connection: ConnectionManager, log: (message: string, error?: unknown) => void): Networking {
  const engine = () => connection.engine();
  const networks = createLiveCollection(networkSource(engine, (error) => log('network refresh failed', error)));
  const wiring = createLiveCollection(wiringSource(engine, (error) => log('container wiring refresh failed', error)));

  connection.onEvent((event) => {
    applyNetworkEvent(event, networks);
    applyWiringEvent(event, wiring);
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
    await Promise.all([networks.reload(), wiring.reload()]).catch((error: unknown) => log('network load failed', error));
  });
  connection.watch((status) => {
    if (status.state === 'not-running' || status.state === 'not-installed') {
      networks.clear();
      wiring.clear();
    }
  });

  const actions = networkActions({
    engine,
    networks,
    wiring,
    engineVersion: () => {
      const status = connection.status();
      return status.state === 'connected' ? status.engine.version : undefined;
    },
  });
  return { networks, wiring, actions };
}
