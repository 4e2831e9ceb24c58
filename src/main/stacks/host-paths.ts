import { dirname, resolve, sep } from 'node:path';

/**
 * Which folders of this computer are too broad to hand to a stack casually: the root, the
 * folders right under it (/usr, /etc, /home, /var …), and the user's home folder with every
 * folder above it. Pure path arithmetic on absolute, normalised paths (no file system).
 */
const isRoot = (path: string) => dirname(path) === path;

export function isInside(folder: string, path: string): boolean {
  const f = resolve(folder);
  const p = resolve(path);
  if (p === f) return true;
  return p.startsWith(f.endsWith(sep) ? f : f + sep);
}

/** What kind of broad folder this is, in words, or undefined when it is an ordinary one. */
export function broadFolder(path: string, home?: string): string | undefined {
  const p = resolve(path);
  if (isRoot(p)) return 'the root of the file system';
  if (isRoot(dirname(p))) return 'a top-level folder of the system';
  if (home) {
    const h = resolve(home);
    if (p === h) return 'your home folder';
    if (isInside(p, h)) return 'a folder that holds your home folder';
  }
  return undefined;
}

/** System files: relabelling anything in them breaks the programs that read them. */
const SYSTEM_TREES = ['/usr', '/etc', '/boot', '/bin', '/sbin', '/lib', '/lib64', '/proc', '/sys', '/dev'];

/**
 * Why Podman must not relabel this folder for SELinux (`:z`/`:Z`), or undefined when it may.
 * A relabel rewrites the label of every file below the folder: on the root, a top-level
 * folder, the home folder or system files, that breaks the host's own programs that use them.
 */
export function relabelRefusal(path: string, mode: 'z' | 'Z', home?: string): string | undefined {
  const p = resolve(path);
  const what =
    broadFolder(p, home) ?? (SYSTEM_TREES.some((tree) => isInside(tree, p)) ? 'part of the system’s own files' : undefined);
  if (!what) return undefined;
  return (
    `relabelling ${p} for SELinux (":${mode}") is refused: it is ${what}, and Podman would change the label of ` +
    'everything in it, which breaks the programs of this computer that use those files. ' +
    `Mount a folder made for this container instead, or remove ":${mode}".`
  );
}
