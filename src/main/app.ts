import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ContainerSummary, Endpoint, ImageSummary, PodSummary } from '../shared/contract';
import { createChatService, type ChatService } from './chat/service';
import { presetStore } from './chat/presets';
import { openChatStore, type ChatStore } from './chat/store';
import { chatHandlers } from './handlers/chat';
import { connectionHandlers } from './handlers/connection';
import { ollamaHandlers } from './handlers/ollama';
import { createOllamaEndpoint, type OllamaEndpoint } from './ollama/endpoint';
import { ollamaModels, type OllamaModels } from './ollama/models';
import { containerHandlers } from './handlers/containers';
import { execHandlers } from './handlers/exec';
import { imageHandlers } from './handlers/images';
import { podHandlers } from './handlers/pods';
import { registryHandlers } from './handlers/registries';
import { networkHandlers } from './handlers/networks';
import { doctorHandlers } from './handlers/doctor';
import { volumeHandlers } from './handlers/volumes';
import { settingsHandlers } from './handlers/settings';
import { stackHandlers } from './handlers/stacks';
import { launcherHandlers } from './handlers/launcher';
import { homeHandlers } from './handlers/home';
import { createFirstHour, type FirstHourTracker } from './home/first-hour';
import { doctorReachedByName } from './home/first-hour-rules';
import { createLauncher, type LauncherFiles } from './launcher/service';
import type { LaunchTarget } from './launcher/target';
import { detectPlatform } from './podman/connection/platform';
import { applyContainerEvent, containerActions, containerSource } from './podman/containers';
import { execSessions, type ExecSessions } from './podman/containers/exec';
import { probePort, unprivilegedPortStart } from './podman/containers/port-probe';
import { machinePath } from './podman/containers/run';
import { applyImageEvent, followMovedTags, imageActions, imageSource } from './podman/images/images';
import { applyPodEvent, podActions, podSource } from './podman/pods';
import { memoryCredentials, type CredentialStore } from './registries/credentials';
import { createPodmanConnection } from './podman/connection';
import { untilConnected, type ConnectionManager } from './podman/connection/manager';
import { createEngine, type Engine } from './podman/engine';
import { createHostKeys, userKnownHostsFile, type HostKeys } from './podman/transport/host-keys';
import { createLiveCollection, type LiveCollection } from './podman/live-collection';
import { createNetworking, type Networking } from './podman/networks';
import { noticeNetworks } from './podman/networks/networks';
import { createDoctor } from './podman/doctor/doctor';
import { createVolumes, type Volumes } from './podman/volumes';
import { createUploadInbox, type UploadInbox } from './uploads';
import { downloadsFolder, type HostFiles } from './host-files';
import { createHostPaths, type HostPaths } from './host-paths';
import type { Consent } from './consent';
import { terminalCodeConsent } from './serve/terminal-consent';
import { nodeSocketOwner } from './podman/connection/add';
import type { Found } from './podman/connection/finders';
import { findResourcesDir } from './resources-dir';
import { createDispatcher, type Dispatcher } from './rpc/dispatcher';
import type { CallHandlers, Handlers, StreamHandlers } from './rpc/handlers';
import type { SettingsStore } from './store/settings';
import { nodeFileSystem, nodeRunner } from './system/node';
import { createDefinitionStore } from './stacks/definitions';
import { stackEngineOps } from './stacks/engine-ops';
import { createHealthDriver } from './stacks/health-driver';
import { engineImages } from './stacks/images';
import { createStacksService, type StacksService } from './stacks/service';
import type { Env, FileSystem, Runner } from './system/types';

/**
 * The composition root: every service of the back end, wired together, with no Electron in
 * sight. The Electron shell, the browser host and the tests all start the app through here.
 */
export interface AppDeps {
  settings: SettingsStore;
  /** Where the app keeps its files (the owned service's socket when there is no XDG_RUNTIME_DIR). */
  dataDir: string;
  nodePlatform?: NodeJS.Platform;
  env?: Env;
  fs?: FileSystem;
  run?: Runner;
  homedir?: string;
  uid?: number;
  /** Global podman flags for a service the app starts (the tests give it private storage). */
  podmanGlobalArgs?: string[];
  /** Where an owned service listens; by default the user's usual rootless socket. */
  serviceSocketPath?: string;
  createEngine?: (endpoint: Endpoint) => Engine;
  idleProbeMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  log?: (message: string, error?: unknown) => void;
  /** Save and open dialogs (Electron), or the Downloads folder (browser host, default). */
  hostFiles?: HostFiles;
  /**
   * How main asks the user to allow something the page cannot allow by itself (what a stack
   * touches on this computer): a native dialog (Electron), or a code printed on stdout for the
   * user to type (browser host, default).
   */
  consent?: Consent;
  /** Handles for paths of this computer the page may name (dialogs, drops); one of its own by default. */
  hostPaths?: HostPaths;
  /** More places to find Podman, beside the platform's finders (the tests' command transport). */
  moreCandidates?: () => Promise<Found[]>;
  /** Who owns a unix socket the user typed (connection.add); lstat by default. */
  socketOwner?: (path: string) => Promise<number | null>;
  /** The built-in stacks and templates (resources/ of the source tree by default). */
  resourcesDir?: string;
  /** Registry logins: encrypted with the OS keychain (Electron), in memory otherwise (default). */
  credentials?: CredentialStore;
  /** The ssh host keys trusted: ~/.ssh/known_hosts of `homedir` and the system's, by default. */
  hostKeys?: HostKeys;
  /** Ollama's usual address (http://127.0.0.1:11434); tests that need no Ollama there close it. */
  ollamaDefaultHost?: string;
  /** What a Windows desktop shortcut starts, inside WSL (the shell that started the app knows); none by default. */
  launchTarget?: LaunchTarget | null;
  /** Where the shortcut is written and removed (the real files by default). */
  launcherFiles?: LauncherFiles;
}

export interface App {
  dispatcher: Dispatcher;
  hostFiles: HostFiles;
  /** Where the Electron shell registers dropped files (the preload's one extra channel). */
  hostPaths: HostPaths;
  connection: ConnectionManager;
  containers: LiveCollection<ContainerSummary>;
  images: LiveCollection<ImageSummary>;
  pods: LiveCollection<PodSummary>;
  terminals: ExecSessions;
  networking: Networking;
  volumes: Volumes;
  /** Files the browser host's page sends for uploads (PUT /upload/…). */
  uploads: UploadInbox;
  ollama: { endpoint: OllamaEndpoint; models: OllamaModels };
  chat: ChatService;
  chatStore: ChatStore;
  stacks: StacksService;
  firstHour: FirstHourTracker;
  close(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const env = deps.env ?? process.env;
  const fs = deps.fs ?? nodeFileSystem;
  const run = deps.run ?? nodeRunner;
  const home = deps.homedir ?? homedir();
  const uid = deps.uid ?? process.getuid?.();
  const log = deps.log ?? ((message, error) => console.warn(`[poddesk] ${message}`, error ?? ''));
  const hostFiles = deps.hostFiles ?? downloadsFolder();
  const hostPaths = deps.hostPaths ?? createHostPaths();
  const hostKeys = deps.hostKeys ?? createHostKeys({ userFile: userKnownHostsFile(home) });
  const consent = deps.consent ?? terminalCodeConsent({ print: (text) => process.stdout.write(text) });
  const makeEngine =
    deps.createEngine ??
    ((endpoint: Endpoint) =>
      createEngine(endpoint, { readIdentity: (path) => fs.readFile(path), hostKeys, sshAuthSock: env.SSH_AUTH_SOCK }));
  const connection = await createPodmanConnection({
    nodePlatform: deps.nodePlatform ?? process.platform,
    env,
    fs,
    run,
    homedir: home,
    uid,
    settings: deps.settings,
    dataDir: deps.dataDir,
    createEngine: makeEngine,
    podmanGlobalArgs: deps.podmanGlobalArgs,
    serviceSocketPath: deps.serviceSocketPath,
    idleProbeMs: deps.idleProbeMs,
    backoff: deps.backoff,
    log,
    moreCandidates: deps.moreCandidates,
  });
  const engine = () => connection.engine();

  const containers = createLiveCollection(containerSource(engine, (error) => log('container refresh failed', error)));
  const images = createLiveCollection(imageSource(engine, (error) => log('image refresh failed', error)));
  const pods = createLiveCollection(podSource(engine, (error) => log('pod refresh failed', error)));
  followMovedTags(images);
  connection.onEvent((event) => {
    // Pods first: a container event finds its pod through the container cache before a removal drops it.
    applyPodEvent(event, pods, containers);
    applyContainerEvent(event, containers);
    applyImageEvent(event, images);
  });
  connection.onConnect(() => containers.reload());
  connection.onConnect(() => images.reload());
  connection.onConnect(() => pods.reload());
  connection.watch((status) => {
    // Objects of an engine we are no longer connected to must not linger on screen.
    if (status.state === 'not-running' || status.state === 'not-installed' || status.state === 'host-key') {
      containers.clear();
      images.clear();
      pods.clear();
    }
  });

  // Ollama: found through the setting, OLLAMA_HOST, the default port, or a running Ollama container.
  const ollamaEndpoint = createOllamaEndpoint({
    setting: () => deps.settings.get().ollamaHost,
    env,
    containers: () => containers.items(),
    defaultHost: deps.ollamaDefaultHost,
  });
  containers.subscribe(() => ollamaEndpoint.containersChanged());
  const models = ollamaModels(ollamaEndpoint);
  const chatStore = await openChatStore(join(deps.dataDir, 'chat'));
  // The checklist is made below, once the caches it reads exist; these forward to it then.
  const replies = { heard: () => {}, reachedByName: () => {} };
  const chat = createChatService({ store: chatStore, endpoint: ollamaEndpoint, log, onReply: () => replies.heard() });

  const credentials =
    deps.credentials ??
    memoryCredentials('In the browser, registry logins are kept in memory only: they are forgotten when PodDesk stops.');
  const terminals = execSessions(engine);
  const connectionPart = connectionHandlers({
    connection,
    hostFiles,
    hostPaths,
    add: { hostPaths, socketOwner: deps.socketOwner ?? nodeSocketOwner, uid },
    hostKeys,
    consent,
  });
  const uploads = createUploadInbox();
  const containerPart = containerHandlers({
    containers,
    actions: containerActions(engine),
    engine,
    untilConnected: (signal) => untilConnected(connection, signal),
    hostFiles,
    hostPaths,
    run: {
      engine,
      containers,
      // Ports published by a local or machine engine open on this computer; over ssh they open elsewhere.
      portsAreLocal: () => {
        const kind = engine().endpoint.kind;
        return kind === 'unix' || kind === 'npipe' || kind === 'command';
      },
      probePort,
      engineRootless: () => {
        const status = connection.status();
        return status.state === 'connected' && status.engine.rootless;
      },
      unprivilegedPortStart: () => unprivilegedPortStart(),
      hostPath: (path) => (engine().endpoint.kind === 'npipe' ? machinePath(path) : path),
    },
    onImageCreated: (id) => images.refresh(id),
  });
  const execPart = execHandlers(terminals);
  const imagePart = imageHandlers({
    images,
    actions: imageActions(engine),
    engine,
    credentials,
    hostFiles,
    hostPaths,
    inbox: uploads,
  });
  const podPart = podHandlers(pods, podActions(engine));
  const registryPart = registryHandlers(engine, credentials);
  const settingsPart = settingsHandlers(deps.settings);
  const networking = createNetworking(connection, log);
  const volumes = createVolumes({
    connection,
    settings: deps.settings,
    hostFiles,
    hostPaths,
    inbox: uploads,
    log,
  });
  const networkPart = networkHandlers(networking);
  // The doctor's helper is the volume browser's: one image, one consent.
  const doctorPart = doctorHandlers(createDoctor({ engine, helper: volumes.helpers }), (report) => {
    if (doctorReachedByName(report)) replies.reachedByName();
  });
  const volumePart = volumeHandlers(volumes);
  const ollamaPart = ollamaHandlers(ollamaEndpoint, models, { hostFiles, hostPaths, inbox: uploads, env, home });
  const chatPart = chatHandlers(chat, chatStore, presetStore(join(deps.dataDir, 'chat')), hostFiles);

  const stackOps = stackEngineOps(engine);
  const stacks = createStacksService({
    definitions: createDefinitionStore({
      builtinDir: join(deps.resourcesDir ?? findResourcesDir(), 'stacks'),
      dataDir: deps.dataDir,
    }),
    containers,
    engine,
    ops: stackOps,
    images: engineImages(engine),
    env,
    homeDir: home,
    hostFiles,
    consent,
    endpoint: () => {
      const status = connection.status();
      return status.state === 'connected' || status.state === 'lost' ? status.candidate.endpoint : undefined;
    },
    log,
  });
  const healthDriver = createHealthDriver({
    containers,
    runHealthcheck: (id) => stackOps.runHealthcheck(id),
    healthFacts: (id) => stackOps.healthFacts(id),
    log,
  });
  const stackPart = stackHandlers(stacks);
  const firstHour = createFirstHour({
    settings: deps.settings,
    connected: () => connection.status().state === 'connected',
    watchConnection: (listener) => connection.watch(() => listener()),
    containers,
    volumes: volumes.volumes,
    networks: networking.networks,
    noticeNetworks: (names) => noticeNetworks(names, networking.networks),
    watchWiring: (listener) => networking.watchWiring(listener),
    stacks: { ready: stacks.ready, watch: (listener) => stacks.watch(listener) },
    log,
  });
  replies.heard = () => firstHour.replied();
  replies.reachedByName = () => firstHour.reachedByName();
  const homePart = homeHandlers({ firstHour, engine });
  const nodePlatform = deps.nodePlatform ?? process.platform;
  const launcherPart = launcherHandlers(
    createLauncher({
      platform: () => detectPlatform(nodePlatform, env, fs),
      env,
      run,
      target: deps.launchTarget ?? null,
      files: deps.launcherFiles,
    }),
  );

  // `satisfies` makes a contract entry without a handler a compile error.
  const handlers: Handlers = {
    calls: {
      ...connectionPart.calls,
      ...containerPart.calls,
      ...execPart.calls,
      ...imagePart.calls,
      ...podPart.calls,
      ...registryPart.calls,
      ...settingsPart.calls,
      ...networkPart.calls,
      ...doctorPart.calls,
      ...volumePart.calls,
      ...ollamaPart.calls,
      ...chatPart.calls,
      ...stackPart.calls,
      ...launcherPart.calls,
      ...homePart.calls,
    } satisfies CallHandlers,
    streams: {
      ...connectionPart.streams,
      ...containerPart.streams,
      ...execPart.streams,
      ...imagePart.streams,
      ...podPart.streams,
      ...registryPart.streams,
      ...settingsPart.streams,
      ...networkPart.streams,
      ...doctorPart.streams,
      ...volumePart.streams,
      ...ollamaPart.streams,
      ...chatPart.streams,
      ...stackPart.streams,
      ...launcherPart.streams,
      ...homePart.streams,
    } satisfies StreamHandlers,
  };

  const dispatcher = createDispatcher(handlers, undefined, { onError: (name, error) => log(`${name} failed`, error) });

  return {
    dispatcher,
    hostFiles,
    hostPaths,
    connection,
    containers,
    images,
    pods,
    terminals,
    networking,
    volumes,
    uploads,
    ollama: { endpoint: ollamaEndpoint, models },
    chat,
    chatStore,
    stacks,
    firstHour,
    close: async () => {
      firstHour.close();
      // Helper containers first: they need the engine, which closing may stop.
      await volumes.close();
      await chat.close();
      healthDriver.close();
      await stacks.close();
      await connection.close();
    },
  };
}
