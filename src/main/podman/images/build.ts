import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import { readJsonLines } from '../json-lines';
import { folderContext, type PreparedContext } from './build-context';
import { registryError, type RegistryAuth } from './registry-errors';

export interface BuildOptions {
  /** A folder of this computer (main's own: a stack's build context, a resolved handle) … */
  contextDir?: string;
  /** Relative to the context; Containerfile, then Dockerfile, by default. */
  containerfile?: string;
  /** … or a context prepared elsewhere (the files the browser host's page sends). */
  context?: PreparedContext;
  /** The name the new image gets, e.g. "localhost/myapp:1". */
  tag: string;
  buildArgs?: Record<string, string>;
  /** Aborting closes the HTTP request. */
  signal?: AbortSignal;
  /** The build's output as the engine writes it, a line at a time (with its newline). */
  onLog?: (text: string) => void;
  /** Credentials for the registries the Containerfile pulls from (chosen by the caller from its text). */
  auth?: RegistryAuth[];
  /** The Containerfile's text, sent with the context instead of a file of it. */
  inlineContainerfile?: string;
  /** The stage of a multi-stage Containerfile to stop at. */
  target?: string;
  /** os/arch[/variant] */
  platform?: string;
  labels?: Record<string, string>;
  /** "name:ip" lines for the build's /etc/hosts. */
  extraHosts?: string[];
  /** RUN steps on the host's network (Podman's API default) or on none. */
  network?: 'host' | 'none';
  /** For RUN --mount=type=secret,id=…: sent inside the context, moved out of it by the engine before the build. */
  secrets?: { id: string; content: Buffer }[];
  noCache?: boolean;
  /** Pull base images even when present. */
  pull?: boolean;
  shmSize?: number;
  /** More names for the image. */
  extraTags?: string[];
  ulimits?: { name: string; soft: number; hard: number }[];
}

interface BuildLine {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

const registryTrouble = /unauthorized|authentication required|manifest unknown|pinging container registry|name unknown/i;

/**
 * Builds an image with libpod's `POST /build` from a folder: the folder is packed as a tar (minus
 * what .containerignore/.dockerignore exclude) and streamed in; the engine's log streams out.
 * Resolves with the new image's id. A failing step rejects with the engine's words (the log
 * already has the details).
 */
export async function buildImage(engine: Engine, options: BuildOptions): Promise<{ id: string }> {
  // Names of our own in the context: nothing the user's files can be called by chance.
  const nonce = randomBytes(6).toString('hex');
  const inline =
    options.inlineContainerfile !== undefined
      ? { name: `.poddesk-containerfile-${nonce}`, text: options.inlineContainerfile }
      : undefined;
  const extra: { name: string; content: Buffer }[] = [];
  const secretSpecs = (options.secrets ?? []).map((secret, i) => {
    const name = `.poddesk-secret-${nonce}-${i}`;
    extra.push({ name, content: secret.content });
    return `id=${secret.id},src=${name}`;
  });
  const context = options.context ?? (await folderContext(options.contextDir ?? '', options.containerfile, inline, extra));
  const auth = options.auth;
  const query: Record<string, unknown> = {
    dockerfile: context.containerfile,
    t: options.extraTags?.length ? [options.tag, ...options.extraTags] : options.tag,
    rm: true,
    layers: true,
  };
  if (options.buildArgs && Object.keys(options.buildArgs).length > 0) query.buildargs = JSON.stringify(options.buildArgs);
  if (options.target) query.target = options.target;
  if (options.platform) query.platform = options.platform;
  if (options.labels && Object.keys(options.labels).length > 0) query.labels = JSON.stringify(options.labels);
  if (options.extraHosts?.length) query.extrahosts = JSON.stringify(options.extraHosts);
  if (secretSpecs.length > 0) query.secrets = JSON.stringify(secretSpecs);
  if (options.noCache) query.nocache = true;
  // The libpod endpoint reads `pullpolicy`, not Docker's `pull`.
  if (options.pull) query.pullpolicy = 'always';
  if (options.shmSize !== undefined) query.shmsize = options.shmSize;
  if (options.ulimits?.length) query.ulimits = JSON.stringify(options.ulimits.map((u) => `${u.name}=${u.soft}:${u.hard}`));
  if (options.network === 'none') {
    // Podman 4.3's API runs RUN steps on the host's network unless told otherwise.
    query.networkmode = 'NetworkDisabled';
    query.nsoptions = JSON.stringify([{ Name: 'network', Host: false }]);
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/x-tar' };
  if (auth?.length) {
    const config = Object.fromEntries(auth.map((a) => [a.serveraddress, { username: a.username, password: a.password }]));
    headers['X-Registry-Config'] = Buffer.from(JSON.stringify(config)).toString('base64');
  }
  options.onLog?.(
    `Sending ${context.fileCount} files` +
      (context.ignoreFile ? ` (${context.ignoreFile} honoured)` : '') +
      `, building from ${context.containerfile}\n`,
  );
  const body = context.open(options.signal);
  const response = await engine.stream('POST', `${LIBPOD}/build`, { query, raw: body, headers, signal: options.signal });
  let id = '';
  await readJsonLines(
    response,
    (value) => {
      const line = value as BuildLine;
      if (line.error || line.errorDetail) {
        const message = (line.errorDetail?.message ?? line.error ?? 'build failed').trim();
        options.onLog?.(`${message}\n`);
        if (registryTrouble.test(message)) {
          // The failing pull is a FROM line's: "initializing source docker://host/name:tag: …".
          const from = /docker:\/\/([^\s"]+?):?(?:\s|"|$)/.exec(message)?.[1];
          throw registryError(message, from ?? options.tag);
        }
        throw new AppError('ENGINE_ERROR', message, { engine: message });
      }
      if (line.aux?.ID) id = line.aux.ID;
      if (typeof line.stream === 'string') {
        // Podman 4 ends with the bare id on a line of its own; Podman 5 adds an `aux` record.
        const bare = line.stream.trim();
        if (/^[a-f0-9]{64}$/.test(bare)) id = bare;
        options.onLog?.(line.stream);
      }
    },
    options.signal,
  );
  if (!id) {
    const image = await engine.json<{ Id: string }>('GET', `${LIBPOD}/images/${encodeURIComponent(options.tag)}/json`);
    id = image.Id;
  }
  return { id: id.replace(/^sha256:/, '') };
}
