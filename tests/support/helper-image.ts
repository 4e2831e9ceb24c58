import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import { connectedApp, uniqueName } from './app';
import { podman, type PodmanInfo } from './podman';
import { pushImage, startRegistry } from './registry';

/**
 * A helper image that is only in a registry (on loopback), as on a fresh machine: PodDesk has to
 * ask before it pulls it. `stop` removes the pulled copy and the registry.
 */
export async function helperImageInRegistry(info: PodmanInfo): Promise<{ image: string; stop(): Promise<void> }> {
  const registry = await startRegistry();
  const image = `${registry.host}/pdt/${uniqueName('helper')}:1`;
  await pushImage(info, info.busybox, image);
  await podman(info, 'rmi', image).catch(() => undefined);
  return {
    image,
    async stop() {
      await podman(info, 'rmi', '-f', image).catch(() => undefined);
      await registry.stop();
    },
  };
}

/** The back end set to open every volume through a helper container made from `image`. */
export function helperApp(info: PodmanInfo, image: string): Promise<App> {
  return connectedApp(info, {
    settings: memorySettings({
      connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' },
      volumeAccess: 'helper',
      volumeHelperImage: image,
    }),
  });
}
