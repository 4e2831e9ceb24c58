import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insetForMac, PNG_SIZES, renderSquare, writeIcons } from '../../../scripts/packaging/icons';

const source = () => readFile(join(process.cwd(), 'resources', 'icon.svg'), 'utf8');
const alphaAt = (rgba: Uint8Array, size: number, x: number, y: number) => rgba[(y * size + x) * 4 + 3]!;
const pngSize = (png: Uint8Array) => {
  const view = Buffer.from(png);
  return [view.readUInt32BE(16), view.readUInt32BE(20)]; // IHDR width and height
};

// Rendering 16 images up to 1024 px in WebAssembly takes seconds on a loaded 2-core machine: a
// hang guard of a minute instead of the default 5 s.
describe('the app icon, drawn from resources/icon.svg', { timeout: 60_000 }, () => {
  it('renders the rounded square: transparent corners, an opaque middle', async () => {
    const { png, rgba } = await renderSquare(await source(), 64);
    expect(pngSize(png)).toEqual([64, 64]);
    expect(alphaAt(rgba, 64, 0, 0)).toBe(0);
    expect(alphaAt(rgba, 64, 32, 32)).toBe(255);
    expect(alphaAt(rgba, 64, 2, 32)).toBe(255); // the body reaches the edge
  });

  it('leaves macOS its margin: the same drawing inset by 100/1024 on every side', async () => {
    const { rgba } = await renderSquare(insetForMac(await source()), 1024);
    expect(alphaAt(rgba, 1024, 90, 512)).toBe(0);
    expect(alphaAt(rgba, 1024, 512, 90)).toBe(0);
    expect(alphaAt(rgba, 1024, 110, 512)).toBe(255);
    expect(alphaAt(rgba, 1024, 512, 512)).toBe(255);
  });

  it('refuses a source that is not square', async () => {
    const wide = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 32"><rect width="64" height="32"/></svg>';
    await expect(renderSquare(wide, 16)).rejects.toThrow(/must be square/);
  });

  it('writes the PNG of every size, the .ico and the .icns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'icons-'));
    const written = await writeIcons(await source(), dir);
    expect(written.map((path) => basename(path)).sort()).toEqual(
      [...PNG_SIZES.map((size) => `${size}x${size}.png`), 'icon.icns', 'icon.ico'].sort(),
    );
    for (const size of PNG_SIZES)
      expect(pngSize(await readFile(join(dir, 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
    const ico = await readFile(join(dir, 'icon.ico'));
    expect(ico.readUInt16LE(4)).toBe(7);
    const icns = await readFile(join(dir, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});
