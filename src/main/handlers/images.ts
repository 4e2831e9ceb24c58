import type { ImagePullProgress, ImageSummary } from '../../shared/contract';
import type { HostFiles } from '../host-files';
import { chooseHostPath, type HostPaths } from '../host-paths';
import type { Engine } from '../podman/engine';
import { imageArchiveTransfers } from '../podman/images/archive-transfers';
import { browserContext } from '../podman/images/browser-context';
import { folderContext, type PreparedContext } from '../podman/images/build-context';
import { buildImage } from '../podman/images/build';
import { registriesPulledBy } from '../podman/images/containerfile-registries';
import type { ImageActions } from '../podman/images/images';
import { pullImage } from '../podman/images/pull';
import type { LiveCollection } from '../podman/live-collection';
import type { CredentialStore } from '../registries/credentials';
import { credentialsFor, engineMayHoldLogins, loginsFor } from '../registries/login';
import type { CallHandlers, StreamHandlers } from '../rpc/handlers';
import type { UploadInbox } from '../uploads';
import { streamLive } from './live';

export interface ImageHandlerDeps {
  images: LiveCollection<ImageSummary>;
  actions: ImageActions;
  engine: () => Engine;
  credentials: CredentialStore;
  hostFiles: HostFiles;
  hostPaths: HostPaths;
  /** Files the browser host's page sends for a build (PUT /upload/…). */
  inbox: UploadInbox;
}

export function imageHandlers(deps: ImageHandlerDeps) {
  const { images, actions } = deps;
  const findImage = (idOrName: string) => {
    const bare = idOrName.replace(/^sha256:/, '');
    const all = images.items();
    return (
      all.find((i) => i.id === bare || i.tags.includes(idOrName)) ??
      all.find((i) => i.tags.includes(`${idOrName}:latest`)) ??
      (/^[a-f0-9]{12,64}$/.test(bare) ? all.find((i) => i.id.startsWith(bare)) : undefined)
    );
  };
  const archives = imageArchiveTransfers({
    engine: deps.engine,
    hostFiles: deps.hostFiles,
    hostPaths: deps.hostPaths,
    inbox: deps.inbox,
    findImage,
    refresh: (idOrName) => images.refresh(idOrName),
  });

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
    'images.chooseBuildFolder': () =>
      chooseHostPath(deps.hostFiles, deps.hostPaths, 'build-context', {
        title: 'Folder with a Containerfile or Dockerfile',
        directories: true,
      }),
  } satisfies Partial<CallHandlers>;

  const streams = {
    'images.watch': (_args, emit, signal) => streamLive(images, emit, signal),
    'images.pull': async ({ reference }, emit, signal) => {
      const engine = deps.engine();
      const auth = (await credentialsFor(deps.credentials, reference, engine.endpoint)) ?? undefined;
      let last: ImagePullProgress | undefined;
      const onProgress = (progress: ImagePullProgress) => {
        last = progress;
        emit(progress);
      };
      const { id } = await pullImage(engine, reference, { signal, auth, onProgress });
      images.refresh(id);
      // The last event carries the id: the page can run or show the image it asked for.
      emit({ ...last!, id });
    },
    'images.build': async (args, emit, signal) => {
      const engine = deps.engine();
      const build = async (context: PreparedContext) => {
        // Logins only for the registries this Containerfile pulls from (and those the user picked).
        const registries = [...registriesPulledBy(context.containerfileText, args.buildArgs), ...args.registries];
        const auth = await loginsFor(deps.credentials, engine.endpoint, registries);
        if (auth.length > 0) emit({ type: 'log', text: `Using your login for ${auth.map((a) => a.serveraddress).join(', ')}\n` });
        else if (!engineMayHoldLogins(engine.endpoint) && (await deps.credentials.list()).length > 0)
          emit({ type: 'log', text: 'Your registry logins stay here: they are not sent to an engine reached over TCP.\n' });
        return buildImage(engine, {
          context,
          tag: args.tag,
          buildArgs: args.buildArgs,
          signal,
          auth,
          onLog: (text) => emit({ type: 'log', text }),
        });
      };
      const { context } = args;
      const { id } =
        context.kind === 'browser'
          ? await build(await browserContext(context.files, args.containerfile, { inbox: deps.inbox, ask: emit, signal }))
          : // A folder by handle (dialog or drop): used up when the build succeeds, so a failed one can be run again.
            await deps.hostPaths.use([context.handle], ['build-context', 'drop'], async ([folder]) =>
              build(await folderContext(folder!, args.containerfile)),
            );
      // Podman 4 emits no image event for a build: the new image is fetched here.
      images.refresh(id);
      emit({ type: 'done', id, tag: args.tag });
    },
    'images.push': async ({ reference }, emit, signal) => {
      const engine = deps.engine();
      const auth = (await credentialsFor(deps.credentials, reference, engine.endpoint)) ?? undefined;
      await actions.push(reference, { auth, signal, onEvent: emit });
    },
    'images.save': (args, emit, signal) => archives.save(args, emit, signal),
    'images.load': (args, emit, signal) => archives.load(args, emit, signal),
  } satisfies Partial<StreamHandlers>;
  return { calls, streams };
}
