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
  const context = options.context ?? (await folderContext(options.contextDir ?? '', options.containerfile));
  const auth = options.auth;
  const query: Record<string, unknown> = {
    dockerfile: context.containerfile,
    t: options.tag,
    rm: true,
    layers: true,
  };
  if (options.buildArgs && Object.keys(options.buildArgs).length > 0) query.buildargs = JSON.stringify(options.buildArgs);
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
