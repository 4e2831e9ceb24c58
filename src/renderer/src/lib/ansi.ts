/**
 * ANSI SGR colours in log lines, as styled segments: 16 colours, bright, 256 and true colour,
 * bold, dim, italic, underline, inverse. Anything else (cursor moves, OSC titles) is dropped,
 * never shown as garbage. Model output and logs never become HTML: segments are text plus a style.
 */
export interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface Segment {
  text: string;
  style: Style;
}

// The 16 colours, legible on both the light and the dark theme.
const BASIC = [
  '#5c6370',
  '#e05561',
  '#3fa266',
  '#d18f2f',
  '#4a8fe7',
  '#c162de',
  '#2fa8b8',
  '#c8ccd4',
  '#7f8794',
  '#ff616e',
  '#56c77e',
  '#e5a540',
  '#64a6ff',
  '#d47bf0',
  '#42c2d2',
  '#e6e6e6',
];

function color256(n: number): string | undefined {
  if (n < 0 || n > 255) return undefined;
  if (n < 16) return BASIC[n];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

function apply(style: Style, params: number[]): Style {
  const next = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (p === 0) for (const key of Object.keys(next)) delete next[key as keyof Style];
    else if (p === 1) next.bold = true;
    else if (p === 2) next.dim = true;
    else if (p === 3) next.italic = true;
    else if (p === 4) next.underline = true;
    else if (p === 7) next.inverse = true;
    else if (p === 22) {
      delete next.bold;
      delete next.dim;
    } else if (p === 23) delete next.italic;
    else if (p === 24) delete next.underline;
    else if (p === 27) delete next.inverse;
    else if (p >= 30 && p <= 37) next.fg = BASIC[p - 30];
    else if (p >= 90 && p <= 97) next.fg = BASIC[p - 90 + 8];
    else if (p === 39) delete next.fg;
    else if (p >= 40 && p <= 47) next.bg = BASIC[p - 40];
    else if (p >= 100 && p <= 107) next.bg = BASIC[p - 100 + 8];
    else if (p === 49) delete next.bg;
    else if (p === 38 || p === 48) {
      const key = p === 38 ? 'fg' : 'bg';
      if (params[i + 1] === 5) {
        const c = color256(params[i + 2] ?? -1);
        if (c) next[key] = c;
        i += 2;
      } else if (params[i + 1] === 2) {
        const [r, g, b] = [params[i + 2], params[i + 3], params[i + 4]];
        if ([r, g, b].every((v) => v !== undefined && v >= 0 && v <= 255)) next[key] = `rgb(${r},${g},${b})`;
        i += 4;
      }
    }
  }
  return next;
}

// CSI … final byte, OSC … BEL/ST, and lone ESC + one character.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[([0-9;?]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function parseAnsi(line: string): Segment[] {
  if (!line.includes('\u001b')) return line ? [{ text: line, style: {} }] : [];
  const out: Segment[] = [];
  let style: Style = {};
  let last = 0;
  // Text on both sides of a dropped escape, in the same style, stays one segment.
  const push = (text: string) => {
    const previous = out.at(-1);
    if (previous && previous.style === style) previous.text += text;
    else out.push({ text, style });
  };
  for (const match of line.matchAll(ESCAPES)) {
    const at = match.index ?? 0;
    if (at > last) push(line.slice(last, at));
    last = at + match[0].length;
    if (match[2] === 'm') {
      const params = (match[1] ?? '').split(';').map((p) => (p === '' ? 0 : Number(p)));
      style = apply(style, params);
    }
  }
  if (last < line.length) push(line.slice(last));
  return out;
}

/** The line without escapes: what search looks in and what a copy gives. */
export function stripAnsi(line: string): string {
  return line.includes('\u001b') ? line.replace(ESCAPES, '') : line;
}
