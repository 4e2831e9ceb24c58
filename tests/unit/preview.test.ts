import { describe, expect, it } from 'vitest';
import { classify, languageOf, looksLikeText } from '../../src/main/podman/volumes/preview';
import { PREVIEW_IMAGE_BYTES, PREVIEW_TEXT_BYTES } from '../../src/shared/contract';

describe('file previews', () => {
  it('shows text with its language, and says when it is cut', () => {
    expect(classify('app.ts', 12, Buffer.from('const a = 1;'))).toEqual({
      kind: 'text',
      text: 'const a = 1;',
      size: 12,
      truncated: false,
      language: 'typescript',
    });
    const long = Buffer.alloc(PREVIEW_TEXT_BYTES, 'a');
    const preview = classify('big.log', PREVIEW_TEXT_BYTES * 3, long);
    expect(preview).toMatchObject({ kind: 'text', truncated: true, language: 'text' });
  });

  it('never cuts a character in two', () => {
    const head = Buffer.concat([Buffer.alloc(PREVIEW_TEXT_BYTES - 1, 'a'), Buffer.from('é')]).subarray(0, PREVIEW_TEXT_BYTES);
    const preview = classify('x.txt', PREVIEW_TEXT_BYTES + 10, head);
    expect(preview.kind).toBe('text');
    expect((preview as { text: string }).text.endsWith('�')).toBe(false);
  });

  it('knows images by their bytes, and refuses huge ones', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]);
    expect(classify('photo.dat', 10, png)).toMatchObject({ kind: 'image', mime: 'image/png', base64: png.toString('base64') });
    expect(classify('logo.svg', 30, Buffer.from('<svg xmlns="x"></svg>'))).toMatchObject({
      kind: 'image',
      mime: 'image/svg+xml',
    });
    expect(classify('huge.png', PREVIEW_IMAGE_BYTES + 1, png)).toEqual({
      kind: 'too-large',
      size: PREVIEW_IMAGE_BYTES + 1,
      limit: PREVIEW_IMAGE_BYTES,
    });
  });

  it('shows anything else as hex', () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    expect(classify('a.bin', 4, bytes)).toEqual({ kind: 'binary', base64: bytes.toString('base64'), size: 4, truncated: false });
    expect(looksLikeText(Buffer.from([0xff, 0xfe, 0x41]))).toBe(false);
  });

  it('names languages by extension and well-known names', () => {
    expect(languageOf('Dockerfile')).toBe('docker');
    expect(languageOf('compose.yaml')).toBe('yaml');
    expect(languageOf('README')).toBe('text');
  });
});
