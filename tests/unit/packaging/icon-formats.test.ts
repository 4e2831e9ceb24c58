import { describe, expect, it } from 'vitest';
import { encodeIcns, encodeIco, ICNS_TYPES, type IconImage, unpremultiply } from '../../../scripts/packaging/icon-formats';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A stand-in image: a fake PNG body that names its size, and pixels of one grey. */
function image(size: number, rgba?: number[]): IconImage {
  return {
    size,
    png: new Uint8Array([...PNG_SIGNATURE, ...Buffer.from(`png ${size}`)]),
    rgba: rgba ? new Uint8Array(rgba) : new Uint8Array(size * size * 4).fill(200),
  };
}

describe('the .ico writer', () => {
  it('lists every image, smallest first, with offsets and lengths that add up', () => {
    const ico = encodeIco([image(256), image(16), image(32)]);
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(3);
    const entries = [0, 1, 2].map((i) => ({
      width: ico.readUInt8(6 + 16 * i),
      bits: ico.readUInt16LE(6 + 16 * i + 6),
      length: ico.readUInt32LE(6 + 16 * i + 8),
      offset: ico.readUInt32LE(6 + 16 * i + 12),
    }));
    expect(entries.map((e) => e.width)).toEqual([16, 32, 0]); // 0 is how .ico writes 256
    expect(entries.every((e) => e.bits === 32)).toBe(true);
    expect(entries[0]!.offset).toBe(6 + 16 * 3);
    expect(entries[1]!.offset).toBe(entries[0]!.offset + entries[0]!.length);
    expect(entries[2]!.offset + entries[2]!.length).toBe(ico.length);
    // 256 px as PNG, the others as bitmaps: a 40-byte header, then pixels, then the mask.
    expect([...ico.subarray(entries[2]!.offset, entries[2]!.offset + 8)]).toEqual(PNG_SIGNATURE);
    expect(ico.readUInt32LE(entries[0]!.offset)).toBe(40);
    expect(entries[0]!.length).toBe(40 + 16 * 16 * 4 + 4 * 16);
  });

  it('stores bitmap pixels bottom-up in BGRA order, height doubled for the mask', () => {
    // Top row: red, green; bottom row: blue, half-transparent white.
    const ico = encodeIco([image(2, [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 128])]);
    const bitmap = ico.subarray(ico.readUInt32LE(6 + 12));
    expect(bitmap.readInt32LE(4)).toBe(2);
    expect(bitmap.readInt32LE(8)).toBe(4);
    expect([...bitmap.subarray(40, 56)]).toEqual([255, 0, 0, 255, 255, 255, 255, 128, 0, 0, 255, 255, 0, 255, 0, 255]);
  });

  it('refuses sizes an .ico cannot hold, and pixels that do not match the size', () => {
    expect(() => encodeIco([image(512)])).toThrow(RangeError);
    expect(() => encodeIco([{ ...image(16), rgba: new Uint8Array(10) }])).toThrow(/16×16/);
  });
});

describe('the .icns writer', () => {
  const sizes = [16, 32, 64, 128, 256, 512, 1024];

  it('writes every PNG type macOS reads, each chunk holding the PNG of its size', () => {
    const icns = encodeIcns(sizes.map((size) => image(size)));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const chunks: Array<[string, string]> = [];
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      chunks.push([icns.toString('latin1', at, at + 4), icns.toString('latin1', at + 16, at + icns.readUInt32BE(at + 4))]);
    }
    expect(chunks).toEqual(ICNS_TYPES.map(([type, size]) => [type, `png ${size}`]));
    expect(chunks.map(([type]) => type)).toEqual(expect.arrayContaining(['icp4', 'ic07', 'ic08', 'ic09', 'ic10', 'ic14']));
  });

  it('says which size is missing', () => {
    expect(() => encodeIcns(sizes.filter((s) => s !== 512).map((size) => image(size)))).toThrow(/512 px image for ic09/);
  });
});

describe('unpremultiplying pixels', () => {
  it('restores the colour of half-transparent pixels and leaves transparent ones black', () => {
    expect([...unpremultiply(new Uint8Array([128, 64, 0, 128, 9, 9, 9, 0, 10, 20, 30, 255]))]).toEqual([
      255, 128, 0, 128, 0, 0, 0, 0, 10, 20, 30, 255,
    ]);
  });
});
