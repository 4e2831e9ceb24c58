/**
 * The two icon containers the installers need, written by hand: both are a small header and a
 * list of images, and a library for each would be more code to trust than this.
 */

/** One rendered square image: its PNG, and its straight (not premultiplied) RGBA pixels. */
export interface IconImage {
  size: number;
  png: Uint8Array;
  rgba: Uint8Array;
}

/**
 * A Windows .ico. Images under 256 px are stored as 32-bit bitmaps, the 256 px one as PNG: the
 * layout Windows itself ships, and the one NSIS (which puts the icon on the installer) can read.
 */
export function encodeIco(images: readonly IconImage[]): Buffer {
  const sorted = [...images].sort((a, b) => a.size - b.size);
  for (const image of sorted) {
    if (image.size < 1 || image.size > 256) throw new RangeError(`An .ico image is 1–256 px wide, not ${image.size}`);
  }
  const bodies = sorted.map((image) => (image.size === 256 ? Buffer.from(image.png) : icoBitmap(image)));
  const header = Buffer.alloc(6 + 16 * sorted.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon (2 would be a cursor)
  header.writeUInt16LE(sorted.length, 4);
  let offset = header.length;
  sorted.forEach((image, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(image.size % 256, entry); // 0 stands for 256
    header.writeUInt8(image.size % 256, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(bodies[i]!.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += bodies[i]!.length;
  });
  return Buffer.concat([header, ...bodies]);
}

/** A BITMAPINFOHEADER, the pixels bottom-up in BGRA, then an all-clear AND mask (alpha decides). */
function icoBitmap({ size, rgba }: IconImage): Buffer {
  if (rgba.length !== size * size * 4) throw new RangeError(`Expected ${size}×${size} RGBA pixels`);
  const maskRow = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskRow * size);
  out.writeUInt32LE(40, 0);
  out.writeInt32LE(size, 4);
  out.writeInt32LE(size * 2, 8); // the height counts the mask too
  out.writeUInt16LE(1, 12);
  out.writeUInt16LE(32, 14);
  out.writeUInt32LE(0, 16); // BI_RGB
  out.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = 40 + ((size - 1 - y) * size + x) * 4;
      out[to] = rgba[from + 2]!;
      out[to + 1] = rgba[from + 1]!;
      out[to + 2] = rgba[from]!;
      out[to + 3] = rgba[from + 3]!;
    }
  }
  return out;
}

/**
 * The icns types that hold PNG data, by pixel size: retina types (ic11–ic14) are the 2× images
 * of the size below them, so one 32 px PNG serves as both icp5 (32) and ic11 (16@2x).
 */
export const ICNS_TYPES: ReadonlyArray<readonly [type: string, size: number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

/** A macOS .icns: 'icns', the total length, then each image as type, length and PNG bytes. */
export function encodeIcns(images: readonly IconImage[]): Buffer {
  const bySize = new Map(images.map((image) => [image.size, image.png]));
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const png = bySize.get(size);
    if (!png) throw new RangeError(`The .icns needs a ${size} px image for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

/** Renderers hand out premultiplied pixels; bitmaps in an .ico are straight. */
export function unpremultiply(pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i += 4) {
    const alpha = pixels[i + 3]!;
    for (let c = 0; c < 3; c++) out[i + c] = alpha === 0 ? 0 : Math.min(255, Math.round((pixels[i + c]! * 255) / alpha));
    out[i + 3] = alpha;
  }
  return out;
}
