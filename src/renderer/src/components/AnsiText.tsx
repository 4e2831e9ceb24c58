import { Mark } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { parseAnsi, type Style } from '../lib/ansi';

function css(style: Style): CSSProperties | undefined {
  if (Object.keys(style).length === 0) return undefined;
  const out: CSSProperties = {};
  const fg = style.inverse ? style.bg : style.fg;
  const bg = style.inverse ? (style.fg ?? 'currentColor') : style.bg;
  if (fg) out.color = fg;
  if (bg) out.backgroundColor = bg;
  if (style.bold) out.fontWeight = 700;
  if (style.dim) out.opacity = 0.7;
  if (style.italic) out.fontStyle = 'italic';
  if (style.underline) out.textDecoration = 'underline';
  return out;
}

/** Marks every case-insensitive occurrence of `query` in `text`. */
export function highlight(text: string, query: string, key = 0): ReactNode {
  if (!query) return text;
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(
      <Mark key={`${key}-${at}`} color="yellow">
        {text.slice(at, at + q.length)}
      </Mark>,
    );
    from = at + q.length;
  }
  if (parts.length === 0) return text;
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/** A line with its ANSI colours as styles (never as HTML), search matches marked. */
export function AnsiText({ text, query = '' }: { text: string; query?: string }) {
  const segments = parseAnsi(text);
  return (
    <>
      {segments.map((s, i) => (
        <span key={i} style={css(s.style)}>
          {highlight(s.text, query, i)}
        </span>
      ))}
    </>
  );
}
