import { Marked, type Token, type TokenizerAndRendererExtension } from 'marked';

/**
 * The Markdown grammar of chat replies: GitHub-flavoured Markdown (tables, task lists,
 * strikethrough, autolinks) plus TeX math, $$…$$ / \[…\] blocks and $…$ / \(…\) inline. Only
 * the lexer is used: tokens become React elements (render.tsx), never an HTML string.
 */
export interface MathToken {
  type: 'mathBlock' | 'mathInline';
  raw: string;
  text: string;
}

const mathBlock: TokenizerAndRendererExtension = {
  name: 'mathBlock',
  level: 'block',
  start: (src) => {
    const i = src.search(/\$\$|\\\[/);
    return i < 0 ? undefined : i;
  },
  tokenizer(src) {
    const m = /^ {0,3}(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\])[ \t]*(?:\n|$)/.exec(src);
    if (!m) return undefined;
    return { type: 'mathBlock', raw: m[0].replace(/\n$/, ''), text: (m[1] ?? m[2] ?? '').trim() };
  },
};

const mathInline: TokenizerAndRendererExtension = {
  name: 'mathInline',
  level: 'inline',
  start: (src) => {
    const i = src.search(/\$|\\\(/);
    return i < 0 ? undefined : i;
  },
  tokenizer(src) {
    // $x$ needs no space inside its ends and no digit right after (so "$5 and $10" stays text).
    const m = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)|^\\\(([\s\S]+?)\\\)/.exec(src);
    if (!m) return undefined;
    return { type: 'mathInline', raw: m[0], text: (m[1] ?? m[2] ?? '').trim() };
  },
};

const marked = new Marked({ gfm: true, breaks: false, extensions: [mathBlock, mathInline] });

export function lex(src: string): Token[] {
  return marked.lexer(src) as unknown as Token[];
}

export type { Token };
