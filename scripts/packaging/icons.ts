import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { encodeIcns, encodeIco, type IconImage, unpremultiply } from './icon-formats';

/**
 * Every icon the installers need, drawn from resources/icon.svg: PNGs for Linux (the .deb puts
 * them in the hicolor theme, which is where WSLg looks for Start-menu icons), an .ico for Windows
 * and an .icns for macOS. Generated at dist time into build/ (not committed): `npm run icons`.
 */
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
const ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024] as const;

let ready: Promise<void> | undefined;
function loadRenderer(): Promise<void> {
  // The renderer is WebAssembly shipped inside the npm package: nothing is downloaded or compiled.
  const wasm = createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');
  ready ??= readFile(wasm).then((bytes) => initWasm(bytes));
  return ready;
}

export async function renderSquare(svg: string, size: number): Promise<IconImage> {
  await loadRenderer();
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render();
  if (image.width !== size || image.height !== size) {
    throw new Error(`The icon source must be square; it rendered ${image.width}×${image.height} at ${size} px`);
  }
  return { size, png: image.asPng(), rgba: unpremultiply(image.pixels) };
}

/**
 * macOS draws app icons on a grid that leaves 100 px of a 1024 px canvas free around the body;
 * Windows and Linux icons fill their square. Same drawing, placed on a larger canvas.
 */
export function insetForMac(svg: string): string {
  const root = /<svg\b[^>]*>/.exec(svg);
  if (!root) throw new Error('The icon source has no <svg> element');
  const placed = root[0]
    .replace(/\s(width|height|x|y)="[^"]*"/g, '')
    .replace(/^<svg/, '<svg x="100" y="100" width="824" height="824"');
  const body = svg.slice(root.index).replace(root[0], placed);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1024 1024">${body}</svg>`;
}

/** Writes build/icons/NxN.png, build/icon.ico and build/icon.icns; returns the paths written. */
export async function writeIcons(svg: string, buildDir: string): Promise<string[]> {
  const flat = new Map<number, IconImage>();
  for (const size of PNG_SIZES) flat.set(size, await renderSquare(svg, size));
  const mac: IconImage[] = [];
  const macSvg = insetForMac(svg);
  for (const size of ICNS_SIZES) mac.push(await renderSquare(macSvg, size));

  await mkdir(join(buildDir, 'icons'), { recursive: true });
  const written: string[] = [];
  const write = async (path: string, bytes: Uint8Array) => {
    await writeFile(path, bytes);
    written.push(path);
  };
  for (const [size, image] of flat) await write(join(buildDir, 'icons', `${size}x${size}.png`), image.png);
  await write(join(buildDir, 'icon.ico'), encodeIco(ICO_SIZES.map((size) => flat.get(size)!)));
  await write(join(buildDir, 'icon.icns'), encodeIcns(mac));
  return written;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const svg = await readFile(join(root, 'resources', 'icon.svg'), 'utf8');
  const written = await writeIcons(svg, join(root, 'build'));
  console.log(`Wrote ${written.length} icon files into build/`);
}
