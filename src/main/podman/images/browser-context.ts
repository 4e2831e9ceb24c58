import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { BuildEvent } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { UploadInbox } from '../../uploads';
import { addEntry, addFile } from '../volumes/tar';
import { ignoreRules, MAX_CONTAINERFILE_BYTES, type PreparedContext } from './build-context';

export interface PickedContextFile {
  /** Relative to the folder the user picked, checked by the contract (no `..`, no leading /). */
  path: string;
  size: number;
}

type AskForFiles = (event: Extract<BuildEvent, { type: 'awaiting-files' }>) => void;

async function readSmall(body: Readable, limit: number, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new AppError('INVALID_INPUT', `${name} is larger than 1 MB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A build context the browser host's page sends (it has no paths to give): the Containerfile and
 * the ignore file first, which main reads — the registries the build may get logins for come
 * from the Containerfile, the files to leave out from the ignore file — then only the files that
 * go, streamed into the tar as they arrive. Nothing is held in memory but those two small files.
 */
export async function browserContext(
  files: PickedContextFile[],
  named: string | undefined,
  deps: { inbox: UploadInbox; ask: AskForFiles; signal: AbortSignal },
): Promise<PreparedContext> {
  const index = (path: string) => files.findIndex((f) => f.path === path);
  if (new Set(files.map((f) => f.path)).size !== files.length) throw new AppError('INVALID_INPUT', 'A file is listed twice');
  const containerfileAt = named ? index(named) : ([index('Containerfile'), index('Dockerfile')].find((i) => i >= 0) ?? -1);
  if (containerfileAt < 0) {
    throw new AppError('NOT_FOUND', named ? `No ${named} in the folder` : 'No Containerfile or Dockerfile in the folder');
  }
  const ignoreAt = [index('.containerignore'), index('.dockerignore')].find((i) => i >= 0) ?? -1;
  const first = ignoreAt >= 0 ? [containerfileAt, ignoreAt] : [containerfileAt];
  for (const i of first) {
    if (files[i]!.size > MAX_CONTAINERFILE_BYTES) throw new AppError('INVALID_INPUT', `${files[i]!.path} is larger than 1 MB`);
  }

  // Round one: the two small files, read here.
  const texts: string[] = [];
  const ticket = deps.inbox.open(first.length, deps.signal);
  deps.ask({ type: 'awaiting-files', ticket: ticket.id, indexes: first });
  try {
    for (const [n, i] of first.entries()) {
      const body = await ticket.take(n);
      try {
        texts.push(await readSmall(body, MAX_CONTAINERFILE_BYTES, files[i]!.path));
        ticket.settle(n);
      } catch (error) {
        ticket.settle(n, error);
        throw error;
      }
    }
  } finally {
    ticket.close();
  }
  const [containerfileText, ignoreText] = texts as [string, string | undefined];

  // What goes: as collectContext decides for a folder on disk (an ignored folder's files stay out
  // unless a "!pattern" may bring them back; the Containerfile and ignore file always go).
  const { rules, negations } = ignoreRules(ignoreText ?? '');
  const ignored = (path: string) => {
    if (rules.ignores(path)) return true;
    if (negations) return false;
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) if (rules.ignores(parts.slice(0, i).join('/'))) return true;
    return false;
  };
  const rest = files.flatMap((f, i) => (first.includes(i) || ignored(f.path) ? [] : [i]));

  const open = (signal?: AbortSignal): Readable => {
    const pack = tar.pack();
    void (async () => {
      const second = deps.inbox.open(rest.length, signal ?? deps.signal);
      try {
        const now = new Date();
        const dirs = new Set<string>();
        const parentsOf = async (path: string) => {
          const parts = path.split('/');
          for (let d = 1; d < parts.length; d++) {
            const dir = parts.slice(0, d).join('/');
            if (dirs.has(dir)) continue;
            dirs.add(dir);
            await addEntry(pack, { name: dir, type: 'directory', mode: 0o755, mtime: now });
          }
        };
        for (const [n, i] of first.entries()) {
          await parentsOf(files[i]!.path);
          await new Promise<void>((resolve, reject) =>
            pack.entry({ name: files[i]!.path, mode: 0o644, mtime: now }, texts[n]!, (e) => (e ? reject(e) : resolve())),
          );
        }
        if (rest.length > 0) deps.ask({ type: 'awaiting-files', ticket: second.id, indexes: rest });
        for (const [n, i] of rest.entries()) {
          const file = files[i]!;
          await parentsOf(file.path);
          const body = await second.take(n);
          try {
            await addFile(pack, { name: file.path, size: file.size, mode: 0o644, mtime: now }, body);
            second.settle(n);
          } catch (error) {
            second.settle(n, error);
            throw error;
          }
        }
        pack.finalize();
      } catch (error) {
        pack.destroy(error as Error);
      } finally {
        second.close();
      }
    })();
    return pack as unknown as Readable;
  };

  return {
    containerfile: files[containerfileAt]!.path,
    containerfileText,
    fileCount: rest.length + first.length,
    ignoreFile: ignoreAt >= 0 ? files[ignoreAt]!.path : null,
    open,
  };
}
