import { createReadStream } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import tar from 'tar-stream';
import { AppError } from '../../../shared/errors';

/**
 * A build's context, ready to send: which Containerfile, its text (the registries a build may get
 * logins for are read from it), and the tar the engine receives.
 */
export interface PreparedContext {
  containerfile: string;
  containerfileText: string;
  /** How many files (not folders) go. */
  fileCount: number;
  ignoreFile: string | null;
  /** The context as a tar stream; opened once, when the request starts. */
  open(signal?: AbortSignal): Readable;
}

/** The largest Containerfile read into memory (for its FROM lines). */
export const MAX_CONTAINERFILE_BYTES = 1024 * 1024;

/**
 * A folder of this computer, as main resolved it (from a handle, or a stack's build context);
 * `inline` is a Containerfile sent with it (Compose's dockerfile_inline) and `extra` more entries
 * made in memory (build secrets).
 */
export async function folderContext(
  contextDir: string,
  containerfile?: string,
  inline?: { name: string; text: string },
  extra: { name: string; content: Buffer }[] = [],
): Promise<PreparedContext> {
  const context = await collectContext(contextDir, containerfile, inline?.name);
  let containerfileText = inline?.text;
  if (containerfileText === undefined) {
    const full = join(contextDir, ...context.containerfile.split('/'));
    const info = await lstat(full);
    if (info.size > MAX_CONTAINERFILE_BYTES) throw new AppError('INVALID_INPUT', `${context.containerfile} is larger than 1 MB`);
    containerfileText = await readFile(full, 'utf8');
  }
  const entries = inline ? [{ name: inline.name, content: Buffer.from(inline.text) }, ...extra] : extra;
  return {
    containerfile: context.containerfile,
    containerfileText,
    fileCount: context.files.filter((f) => !f.endsWith('/')).length + entries.length,
    ignoreFile: context.ignoreFile,
    open: () => packContext(contextDir, context.files, entries),
  };
}

/** Docker's and Podman's rules for which files a build leaves out, from an ignore file's text. */
export function ignoreRules(text: string) {
  const rules = dockerignore();
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  rules.add(patterns);
  return { rules, negations: patterns.some((p) => p.startsWith('!')) };
}

/** The files a build sends, and the one Containerfile it builds from. */
export interface BuildContext {
  /** Relative to the context, with forward slashes. */
  containerfile: string;
  files: string[];
  /** Which ignore file was honoured, if any. */
  ignoreFile: string | null;
}

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** The Containerfile to use: the one named (inside the context), else Containerfile, else Dockerfile. */
export async function findContainerfile(contextDir: string, named?: string): Promise<string> {
  if (named) {
    const normal = posix.normalize(named.replaceAll('\\', '/'));
    if (normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal)) {
      throw new AppError('INVALID_INPUT', `The Containerfile must be inside the build folder: ${named}`);
    }
    if (!(await exists(join(contextDir, normal)))) throw new AppError('NOT_FOUND', `No ${named} in ${contextDir}`);
    return normal;
  }
  for (const candidate of ['Containerfile', 'Dockerfile']) if (await exists(join(contextDir, candidate))) return candidate;
  throw new AppError('NOT_FOUND', `No Containerfile or Dockerfile in ${contextDir}`);
}

/**
 * What goes into the build: every file of the folder except those `.containerignore` (Podman's
 * name, preferred) or `.dockerignore` excludes. The Containerfile and the ignore file always go,
 * as Docker and Podman send them whatever the patterns say.
 */
export async function collectContext(
  contextDir: string,
  containerfile?: string,
  /** The Containerfile comes with the request (Compose's dockerfile_inline), under this name. */
  inlineName?: string,
): Promise<BuildContext> {
  const info = await lstat(contextDir).catch(() => null);
  if (!info?.isDirectory()) throw new AppError('NOT_FOUND', `Not a folder: ${contextDir}`);
  const file = inlineName ?? (await findContainerfile(contextDir, containerfile));
  let ignoreFile: string | null = null;
  let { rules, negations } = ignoreRules('');
  for (const name of ['.containerignore', '.dockerignore']) {
    const text = await readFile(join(contextDir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    ignoreFile = name;
    ({ rules, negations } = ignoreRules(text));
    break;
  }
  const keep = new Set([file, ...(ignoreFile ? [ignoreFile] : [])]);
  const files: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const rel = relative(contextDir, full).split(sep).join('/');
      const ignored = !keep.has(rel) && rules.ignores(rel);
      if (entry.isDirectory()) {
        // An excluded folder is skipped whole, unless a "!pattern" may bring part of it back.
        if (ignored && !negations) continue;
        if (!ignored) files.push(`${rel}/`);
        await walk(full);
      } else if (!ignored) {
        files.push(rel);
      }
    }
  };
  await walk(contextDir);
  return { containerfile: file, files, ignoreFile };
}

/**
 * Streams the context as a tar archive, file by file (a large context never sits in memory),
 * then the `extra` entries made in memory (an inline Containerfile, build secrets).
 */
export function packContext(
  contextDir: string,
  files: string[],
  extra: { name: string; content: Buffer; mode?: number }[] = [],
): Readable {
  const pack = tar.pack();
  void (async () => {
    try {
      for (const rel of files) {
        const full = join(contextDir, ...rel.split('/').filter(Boolean));
        const info = await lstat(full);
        const base = { name: rel, mode: info.mode & 0o7777, mtime: info.mtime, uid: 0, gid: 0 };
        if (info.isDirectory()) {
          pack.entry({ ...base, type: 'directory' });
        } else if (info.isSymbolicLink()) {
          pack.entry({ ...base, type: 'symlink', linkname: await readlink(full) });
        } else if (info.isFile()) {
          await new Promise<void>((resolve, reject) => {
            const entry = pack.entry({ ...base, size: info.size }, (error) => (error ? reject(error) : resolve()));
            const source = createReadStream(full);
            source.once('error', reject);
            source.pipe(entry as unknown as NodeJS.WritableStream);
          });
        }
      }
      for (const e of extra) {
        await new Promise<void>((resolve, reject) =>
          pack.entry({ name: e.name, mode: e.mode ?? 0o600, mtime: new Date(0), uid: 0, gid: 0 }, e.content, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      }
      pack.finalize();
    } catch (error) {
      pack.destroy(error as Error);
    }
  })();
  // tar-stream 3 streams are streamx streams: they pipe into Node streams as Node's own do.
  return pack as unknown as Readable;
}
