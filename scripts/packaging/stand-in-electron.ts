import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where Electron keeps its fuse wire: this marker, then a version byte, a length byte, the wire. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron's own defaults, one character per fuse: run as node on, cookie encryption off,
 * NODE_OPTIONS on, --inspect on, asar integrity off, only-from-asar off, browser V8 snapshot off,
 * file:// extra privileges on, WebAssembly trap handlers on.
 */
export const DEFAULT_FUSE_WIRE = '101100011';

/**
 * A folder laid out like Electron's Linux zip, for electron-builder's `electronDist`, where the
 * real binary cannot be downloaded. Its `electron` is a shell script that says what it is and
 * fails if run, followed by a fuse wire in Electron's format: the afterPack hook flips it exactly
 * as it flips a real binary's, and the package test reads the result back.
 */
export async function writeStandInElectron(dir: string, electronVersion: string): Promise<string> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  await mkdir(join(dir, 'locales'), { recursive: true });
  const script = '#!/bin/sh\necho "A stand-in for the Electron binary, for packaging tests; it cannot run." >&2\nexit 1\n';
  const wire = Buffer.concat([
    Buffer.from(`# ${FUSE_SENTINEL}`, 'latin1'),
    Buffer.from([1, DEFAULT_FUSE_WIRE.length]),
    Buffer.from(DEFAULT_FUSE_WIRE, 'latin1'),
    Buffer.from('\n'),
  ]);
  const binary = join(dir, 'electron');
  await writeFile(binary, Buffer.concat([Buffer.from(script), wire]));
  await chmod(binary, 0o755);
  await writeFile(join(dir, 'version'), electronVersion);
  await writeFile(join(dir, 'LICENSE'), 'Stand-in: the real Electron ships its licence here.\n');
  await writeFile(join(dir, 'LICENSES.chromium.html'), '<!-- stand-in -->\n');
  await writeFile(join(dir, 'locales', 'en-US.pak'), '');
  return dir;
}
