import { PREVIEW_HEX_BYTES, PREVIEW_IMAGE_BYTES, PREVIEW_TEXT_BYTES, type Preview } from '../../../shared/contract';

const languages: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'jsx',
  ts: 'typescript',
  mts: 'typescript',
  tsx: 'tsx',
  json: 'json',
  yml: 'yaml',
  yaml: 'yaml',
  md: 'markdown',
  markdown: 'markdown',
  css: 'css',
  scss: 'css',
  html: 'markup',
  htm: 'markup',
  xml: 'markup',
  svg: 'markup',
  py: 'python',
  go: 'go',
  rs: 'rust',
  sql: 'sql',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  hpp: 'cpp',
  cc: 'cpp',
  java: 'java',
  kt: 'kotlin',
  swift: 'swift',
  sh: 'bash',
  bash: 'bash',
  zsh: 'bash',
  graphql: 'graphql',
  toml: 'toml',
  ini: 'ini',
  conf: 'ini',
  dockerfile: 'docker',
  php: 'php',
  rb: 'ruby',
};

export function languageOf(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile') return 'docker';
  if (lower === 'makefile') return 'makefile';
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? 'text' : (languages[lower.slice(dot + 1)] ?? 'text');
}

/** The image type from the first bytes (the name alone is not trusted, except for SVG, which is text). */
export function imageMime(name: string, head: Buffer): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (head.subarray(0, 6).toString('latin1') === 'GIF87a' || head.subarray(0, 6).toString('latin1') === 'GIF89a')
    return 'image/gif';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (starts(0x42, 0x4d)) return 'image/bmp';
  if (starts(0x00, 0x00, 0x01, 0x00)) return 'image/x-icon';
  if (name.toLowerCase().endsWith('.svg') && /<svg[\s>]/i.test(head.subarray(0, 4096).toString('utf8'))) return 'image/svg+xml';
  return null;
}

/**
 * UTF-8 text with no NUL. When the head is only the start of the file (`complete` false), a
 * multi-byte character cut at its end is allowed.
 */
export function looksLikeText(head: Buffer, complete = true): boolean {
  const sample = head.subarray(0, 64 * 1024);
  if (sample.includes(0)) return false;
  const cut = sample.length < head.length || !complete ? 3 : 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let drop = 0; drop <= cut; drop++) {
    try {
      decoder.decode(sample.subarray(0, sample.length - drop));
      return true;
    } catch {
      // a character cut at the end: try without its first bytes
    }
  }
  return false;
}

/** How much of a file a preview needs: the most any kind could show. */
export const PREVIEW_READ_BYTES = Math.max(PREVIEW_TEXT_BYTES, PREVIEW_IMAGE_BYTES);

/**
 * What to show for a file, from its size and its first bytes: an image (up to 10 MB), text (the
 * first 1 MB), a hex view of the first 16 KB for anything else.
 */
export function classify(name: string, size: number, head: Buffer): Preview {
  const mime = imageMime(name, head);
  if (mime) {
    if (size > PREVIEW_IMAGE_BYTES) return { kind: 'too-large', size, limit: PREVIEW_IMAGE_BYTES };
    return { kind: 'image', mime, base64: head.subarray(0, size).toString('base64'), size };
  }
  if (looksLikeText(head, head.length >= size)) {
    let text = head.subarray(0, PREVIEW_TEXT_BYTES);
    // Do not end inside a multi-byte character.
    let end = text.length;
    if (size > end) while (end > 0 && (text[end - 1]! & 0xc0) === 0x80) end--;
    if (size > end && end > 0 && text[end - 1]! >= 0xc0) end--;
    text = text.subarray(0, end);
    return { kind: 'text', text: text.toString('utf8'), size, truncated: size > text.length, language: languageOf(name) };
  }
  return {
    kind: 'binary',
    base64: head.subarray(0, PREVIEW_HEX_BYTES).toString('base64'),
    size,
    truncated: size > PREVIEW_HEX_BYTES,
  };
}
