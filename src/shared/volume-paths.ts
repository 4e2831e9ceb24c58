/**
 * Paths inside a volume, as the renderer and main both speak them: relative to the volume's root,
 * with `/` between parts, '' for the root itself. Anything that could lead out of the volume is
 * refused here, before any file is touched; symlinks are checked where the files are (main).
 */
export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

export function checkVolumePath(raw: string): PathCheck {
  if (raw.includes('\0')) return { ok: false, message: 'A path cannot contain a NUL character' };
  if (raw.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(raw) || raw.startsWith('\\')) {
    return { ok: false, message: `“${raw}” is an absolute path: paths are relative to the volume’s root` };
  }
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { ok: false, message: `“${raw}” uses “..”, which would lead out of the volume` };
    parts.push(part);
  }
  return { ok: true, path: parts.join('/') };
}

/** The file name for a new entry: one path part, nothing that moves elsewhere. */
export function checkEntryName(name: string): PathCheck {
  if (name === '' || name === '.' || name === '..') return { ok: false, message: 'Not a usable name' };
  if (name.includes('/') || name.includes('\0')) return { ok: false, message: 'A name cannot contain “/”' };
  if (name.length > 255) return { ok: false, message: 'A name is at most 255 characters long' };
  return { ok: true, path: name };
}

export function joinVolumePath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
