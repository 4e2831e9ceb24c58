import type { FileEntry } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { describeEntry } from './files';
import { VOLUME_ROOT } from './helper';
import { linkEscapes, permissionString, typeOfMode } from './modes';

/**
 * The shell side of the helper: one POSIX sh script (busybox or coreutils) that resolves a path
 * inside the volume with `realpath` and refuses anything that ends outside it, then does one
 * small job. It prints metadata only; file contents move through the archive API.
 *
 * Previews are the one exception: the \`head\` job prints at most the first bytes of a file,
 * since a bounded read through exec costs one round trip where the archive API costs two.
 *
 * A listing NUL-separates names (a name may hold a newline, never a NUL) and keeps to what
 * busybox offers as well as GNU: `stat -c` once per batch of names `find` hands over, the names
 * printed before its lines and a `+` after them; should a file go away in between (`-`), each name
 * of that batch is told again on its own.
 *
 * Exit codes: 3 outside the volume, 4 not found, 5 not a folder, 6 dangling link, 17 exists.
 */
export const HELPER_SCRIPT = `
root=${VOLUME_ROOT}
fail() { printf '%s' "$2" >&2; exit "$1"; }
inside() { case "$1" in "$root"|"$root"/*) return 0;; *) return 1;; esac; }
locate() {
  r=$(realpath "$1" 2>/dev/null) || fail 4 "$1"
  inside "$r" || fail 3 "$r"
  [ -d "$r" ] || fail 5 "$1"
  if [ -z "$2" ]; then t="$r"; return 0; fi
  t="$r/$2"
  if [ "$3" = 1 ] && [ -L "$t" ]; then
    l=$(readlink -- "$t")
    u=$(realpath "$t" 2>/dev/null) || fail 6 "$l"
    [ -e "$u" ] || fail 6 "$l"
    inside "$u" || fail 3 "$l"
    t="$u"
  fi
}
describe() {
  printf '%s\\0' "$1"
  stat -c '%f %s %u %g %Y' -- "$1"
  if [ -L "$1" ]; then readlink -- "$1"; fi
}
op="$1"; shift
case "$op" in
  list)
    locate "$1" "" 0
    printf '%s\\0' "$t"
    find "$t" -mindepth 1 -maxdepth 1 -exec sh -c '
      f="%f %s %u %g %Y"
      printf "%s\\0" "$#" "$@"
      if stat -c "$f" -- "$@" 2>/dev/null; then echo +; else echo -
        for p; do printf "%s\\0" 1 "$p"; if stat -c "$f" -- "$p" 2>/dev/null; then echo +; else echo -; fi; done
      fi' sh {} +
    printf '\\0'
    find "$t" -mindepth 1 -maxdepth 1 -type l -exec sh -c 'for l; do printf "%s\\0%s\\0" "$l" "$(readlink -- "$l")"; done' sh {} +
    exit 0 ;;
  stat)
    locate "$1" "$2" "$3"
    [ -e "$t" ] || [ -L "$t" ] || fail 4 "$2"
    describe "$t" ;;
  head)
    locate "$1" "$2" 1
    [ -e "$t" ] || fail 4 "$2"
    describe "$t"
    printf '\\0'
    if [ -f "$t" ]; then head -c "$3" "$t"; fi ;;
  mkdir)
    locate "$1" "" 0
    if [ -e "$t/$2" ] || [ -L "$t/$2" ]; then fail 17 "$2"; fi
    mkdir -- "$t/$2" || fail 1 "mkdir failed"
    describe "$t/$2" ;;
  rename)
    locate "$1" "$2" 0
    [ -e "$t" ] || [ -L "$t" ] || fail 4 "$2"
    d="\${t%/*}"
    if [ -e "$d/$3" ] || [ -L "$d/$3" ]; then fail 17 "$3"; fi
    mv -- "$t" "$d/$3" || fail 1 "mv failed"
    describe "$d/$3" ;;
  rm)
    check() {
      while [ $# -ge 2 ]; do
        locate "$1" "$2" 0
        [ -e "$t" ] || [ -L "$t" ] || fail 4 "$2"
        shift 2
      done
    }
    check "$@"
    while [ $# -ge 2 ]; do
      locate "$1" "$2" 0
      rm -rf -- "$t" || fail 1 "rm failed"
      shift 2
    done
    exit 0 ;;
  *) fail 2 "unknown job $op" ;;
esac
`;

/** The container path of a path relative to the volume root. */
export const inContainer = (rel: string) => (rel ? `${VOLUME_ROOT}/${rel}` : VOLUME_ROOT);

/** A resolved container path back to the volume-relative form. */
export function fromContainer(abs: string): string {
  if (abs === VOLUME_ROOT) return '';
  if (abs.startsWith(`${VOLUME_ROOT}/`)) return abs.slice(VOLUME_ROOT.length + 1);
  throw new AppError('INVALID_INPUT', `${abs} is outside the volume`);
}

/** What the script's exit code means, as an error the user can read. */
export function scriptError(code: number, stderr: string, path: string): AppError {
  const said = stderr.trim();
  switch (code) {
    case 3:
      return new AppError(
        'INVALID_INPUT',
        `“${path}” leads outside the volume (to ${said || 'somewhere else'}): PodDesk does not follow links out of a volume`,
        { path, target: said },
      );
    case 4:
      return new AppError('NOT_FOUND', `Nothing at “${path || 'the volume root'}” in this volume`);
    case 5:
      return new AppError('INVALID_INPUT', `“${path}” is not a folder`);
    case 6:
      return new AppError('NOT_FOUND', `“${path}” is a symlink to ${said}, which does not exist`);
    case 17:
      return new AppError('CONFLICT', `“${said}” already exists here`);
    default:
      return new AppError('ENGINE_ERROR', `The volume helper failed (${code}): ${said || 'no message'}`);
  }
}

const STAT_LINE = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\d+)$/;

const misunderstood = () => new AppError('ENGINE_ERROR', 'The volume helper answered in a way PodDesk does not understand');

function entryFrom(dir: string, name: string, fields: RegExpExecArray, linkTarget?: string): FileEntry {
  const mode = parseInt(fields[1]!, 16);
  const type = typeOfMode(mode);
  const entry = describeEntry(dir, name, {
    type,
    size: type === 'dir' ? 0 : Number(fields[2]),
    mode: mode & 0o7777,
    permissions: permissionString(mode),
    uid: Number(fields[3]),
    gid: Number(fields[4]),
    mtime: Number(fields[5]),
  });
  if (type === 'symlink' && linkTarget !== undefined) {
    entry.linkTarget = linkTarget;
    entry.linkEscapes = linkEscapes(dir, linkTarget);
  }
  return entry;
}

/**
 * Reads the `list` job's output: the folder's resolved path, NUL; then batches, each a count N,
 * NUL, N paths, each NUL-ended, then N stat lines in the same order and a `+` line (or, when stat
 * failed on one of them, whatever it printed and a `-` line: the batch is dropped, its names come
 * again one by one); an empty count (a lone NUL) ends them; then link path and target pairs,
 * NUL-separated. Names may hold newlines, never a NUL, so no name can pass for another record.
 */
export function parseListing(out: Buffer): { path: string; entries: FileEntry[] } {
  const text = out.toString('utf8');
  let at = 0;
  const upTo = (end: string) => {
    const i = text.indexOf(end, at);
    if (i < 0) throw misunderstood();
    const part = text.slice(at, i);
    at = i + 1;
    return part;
  };
  const dirAbs = upTo('\0');
  const dir = fromContainer(dirAbs);
  const prefix = `${dirAbs}/`;

  const found: { abs: string; fields: RegExpExecArray }[] = [];
  for (let count = upTo('\0'); count !== ''; count = upTo('\0')) {
    if (!/^[1-9]\d*$/.test(count)) throw misunderstood();
    const paths = Array.from({ length: Number(count) }, () => upTo('\0'));
    const lines: string[] = [];
    let line = upTo('\n');
    for (; line !== '+' && line !== '-'; line = upTo('\n')) lines.push(line);
    // "-": a file went away before stat saw it; the same names follow again, one batch each.
    if (line === '-') continue;
    if (lines.length !== paths.length) throw misunderstood();
    for (const [i, abs] of paths.entries()) {
      const fields = STAT_LINE.exec(lines[i]!);
      const name = abs.startsWith(prefix) ? abs.slice(prefix.length) : '';
      if (!fields || name === '' || name.includes('/')) throw misunderstood();
      found.push({ abs, fields });
    }
  }
  const links = new Map<string, string>();
  const parts = text.slice(at).split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) links.set(parts[i]!, parts[i + 1]!);

  return {
    path: dir,
    entries: found.map(({ abs, fields }) => entryFrom(dir, abs.slice(prefix.length), fields, links.get(abs))),
  };
}

/** Reads a `stat`, `mkdir` or `rename` job's output: resolved path, NUL, stat line, link target. */
export function parseDescribe(out: Buffer): { path: string; entry: FileEntry } {
  const text = out.toString('utf8');
  const nul = text.indexOf('\0');
  const abs = text.slice(0, nul);
  const lines = text.slice(nul + 1).split('\n');
  const fields = STAT_LINE.exec(lines[0] ?? '');
  if (!fields) throw misunderstood();
  const rel = fromContainer(abs);
  const slash = rel.lastIndexOf('/');
  const dir = slash < 0 ? '' : rel.slice(0, slash);
  const name = rel.slice(slash + 1);
  return {
    path: rel,
    entry: entryFrom(dir, name, fields, lines.length > 1 ? lines.slice(1).join('\n').replace(/\n$/, '') : undefined),
  };
}

/** Reads the `head` job's output: the `describe` part, NUL, then the file's first bytes. */
export function parseHead(out: Buffer): { path: string; entry: FileEntry; head: Buffer } {
  const firstNul = out.indexOf(0);
  const lineEnd = out.indexOf(0x0a, firstNul + 1);
  const separator = out.indexOf(0, lineEnd);
  if (firstNul < 0 || lineEnd < 0 || separator < 0) throw misunderstood();
  const described = parseDescribe(out.subarray(0, separator));
  return { ...described, head: out.subarray(separator + 1) };
}
