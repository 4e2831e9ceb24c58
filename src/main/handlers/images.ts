import type { ImagePullProgress, ImageSummary } from '../../shared/contract';
import type { HostFiles } from '../host-files';
import type { Engine } from '../podman/engine';
import { buildImage } from '../podman/images/build';
import type { ImageActions } from '../podman/images/images';
import { pullImage } from '../podman/images/pull';
import type { RegistryAuth } from '../podman/images/registry-errors';
import type { LiveCollection } from '../podman/live-collection';
import type { CredentialStore } from '../registries/credentials';
import { credentialsFor } from '../registries/login';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import { streamLive } from './live';

export interface ImageHandlerDeps {
  images: LiveCollection<ImageSummary>;
  actions: ImageActions;
  engine: () => Engine;
  credentials: CredentialStore;
  hostFiles: HostFiles;
}

export function imageHandlers(deps: ImageHandlerDeps) {
  const { images, actions } = deps;
  const allCredentials = async () => {
    const logins = await deps.credentials.list();
    const auths = await Promise.all(logins.map((l) => deps.credentials.get(l.server)));
    return auths.filter((a): a is RegistryAuth => a !== null);
  };

  const calls = {
    'images.list': () => images.items(),
    'images.inspect': ({ id }) => actions.inspect(id),
    'images.tag': ({ id, repository, tag }) => actions.tag(id, repository, tag),
    'images.remove': ({ id, force }) => actions.remove(id, force),
    'images.prune': async ({ mode }) => {
      const report = await actions.prune(mode);
      for (const id of report.removed) images.drop(id);
      return report;
    },
    'images.chooseBuildFolder': async () => {
      const [folder] = await deps.hostFiles.chooseOpenPaths({
        title: 'Folder with a Containerfile or Dockerfile',
        directories: true,
      });
      return folder ?? null;
    },
  } satisfies Partial<CallHandlers>;

  const streams = {
    'images.watch': (_args, emit, signal) => streamLive(images, emit, signal),
    'images.pull': async ({ reference }, emit, signal) => {
      const auth = (await credentialsFor(deps.credentials, reference)) ?? undefined;
      let last: ImagePullProgress | undefined;
      const onProgress = (progress: ImagePullProgress) => {
        last = progress;
        emit(progress);
      };
      const { id } = await pullImage(deps.engine(), reference, { signal, auth, onProgress });
      images.refresh(id);
      // The last event carries the id: the page can run or show the image it asked for.
      emit({ ...last!, id });
    },
    'images.build': async ({ contextDir, containerfile, tag, buildArgs }, emit, signal) => {
      const auth = await allCredentials();
      const { id } = await buildImage(deps.engine(), {
        contextDir,
        containerfile,
        tag,
        buildArgs,
        signal,
        auth,
        onLog: (text) => emit({ type: 'log', text }),
      });
      // Podman 4 emits no image event for a build: the new image is fetched here.
      images.refresh(id);
      emit({ type: 'done', id, tag });
    },
    'images.push': async ({ reference }, emit, signal) => {
      const auth = (await credentialsFor(deps.credentials, reference)) ?? undefined;
      await actions.push(reference, { auth, signal, onEvent: emit });
    },
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
