import katex from 'katex';
import { common, createLowlight } from 'lowlight';
import { memo, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { Tokens } from 'marked';
import type { Token } from './lexer';

/**
 * Marked tokens to React elements. Nothing a model writes becomes markup: raw HTML is shown as
 * text, links are plain anchors to http(s)/mailto only (opened in the system browser), images
 * become links (a reply must not make the app fetch anything), code is highlighted into
 * elements (lowlight's tree), math is typeset by KaTeX with its trust switched off.
 */
const lowlight = createLowlight(common);
const aliases: Record<string, string> = {
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  py: 'python',
  js: 'javascript',
  ts: 'typescript',
  yml: 'yaml',
  dockerfile: 'dockerfile',
  containerfile: 'dockerfile',
  html: 'xml',
  golang: 'go',
  rs: 'rust',
  'c++': 'cpp',
};

interface HastNode {
  type: string;
  value?: string;
  tagName?: string;
  properties?: { className?: string[] };
  children?: HastNode[];
}

function hastToReact(node: HastNode, key: number): ReactNode {
  if (node.type === 'text') return node.value;
  const children = node.children?.map(hastToReact);
  if (node.type === 'element')
    return (
      <span key={key} className={node.properties?.className?.join(' ')}>
        {children}
      </span>
    );
  return children;
}

const highlightCache = new Map<string, ReactNode>();

function highlight(code: string, lang: string): ReactNode {
  const name = aliases[lang] ?? lang;
  if (!name || !lowlight.registered(name)) return code;
  const key = `${name}\u0000${code}`;
  const cached = highlightCache.get(key);
  if (cached !== undefined) return cached;
  let result: ReactNode = code;
  try {
    result = hastToReact(lowlight.highlight(name, code) as HastNode, 0);
  } catch {
    result = code;
  }
  if (highlightCache.size > 500) highlightCache.delete(highlightCache.keys().next().value!);
  highlightCache.set(key, result);
  return result;
}

export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'mailto:' ? url.href : null;
  } catch {
    return null;
  }
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="md-copy"
      data-testid="copy-code"
      aria-label="Copy code"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => undefined,
        );
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

export const CodeBlock = memo(function CodeBlock({ code, lang, open }: { code: string; lang: string; open?: boolean }) {
  const language = (lang || '').trim().split(/\s+/)[0]!.toLowerCase();
  return (
    <div className="md-code" data-testid="code-block" data-lang={language}>
      <div className="md-code-head">
        <span>{language || 'text'}</span>
        {!open && <CopyButton text={code} />}
      </div>
      <pre>
        <code className="hljs">{highlight(code, language)}</code>
      </pre>
    </div>
  );
});

export const MathView = memo(function MathView({ tex, display }: { tex: string; display: boolean }) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    if (!ref.current) return;
    // KaTeX builds the DOM itself; with trust off it makes no links, no URLs, no HTML of the model's.
    katex.render(tex, ref.current, { displayMode: display, throwOnError: false, trust: false, strict: 'ignore', maxExpand: 200 });
  }, [tex, display]);
  return <span ref={ref} className={display ? 'md-math-block' : 'md-math'} data-testid="math" />;
});

function inline(tokens: Token[] | undefined): ReactNode[] {
  return (tokens ?? []).map((t, i) => renderInline(t, i));
}

function renderInline(token: Token, key: number): ReactNode {
  const t = token as Token & Record<string, unknown>;
  switch (token.type) {
    case 'text':
      return 'tokens' in t && t.tokens ? <span key={key}>{inline(t.tokens as Token[])}</span> : (t.text as string);
    case 'escape':
      return t.text as string;
    case 'strong':
      return <strong key={key}>{inline(t.tokens as Token[])}</strong>;
    case 'em':
      return <em key={key}>{inline(t.tokens as Token[])}</em>;
    case 'del':
      return <del key={key}>{inline(t.tokens as Token[])}</del>;
    case 'codespan':
      return <code key={key}>{t.text as string}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const href = safeHref(t.href as string);
      const children = inline(t.tokens as Token[]);
      return href ? (
        <a key={key} href={href} target="_blank" rel="noreferrer noopener" title={(t.title as string) || href}>
          {children}
        </a>
      ) : (
        <span key={key}>{children}</span>
      );
    }
    case 'image': {
      const href = safeHref(t.href as string);
      const label = `🖼 ${(t.text as string) || 'image'}`;
      return href ? (
        <a key={key} href={href} target="_blank" rel="noreferrer noopener">
          {label}
        </a>
      ) : (
        <span key={key}>{label}</span>
      );
    }
    case 'mathInline':
      return <MathView key={key} tex={t.text as string} display={false} />;
    case 'html':
    default:
      return t.raw as string;
  }
}

function listItem(item: Tokens.ListItem, key: number, loose: boolean): ReactNode {
  const content = item.tokens.map((t, i) =>
    !loose && t.type === 'text' ? <span key={i}>{renderInline(t, i)}</span> : renderBlock(t, i),
  );
  return (
    <li key={key} className={item.task ? 'md-task' : undefined}>
      {item.task && <input type="checkbox" checked={Boolean(item.checked)} readOnly disabled />}
      {content}
    </li>
  );
}

/** One block; `open` says it may still grow (an unclosed code block has no copy button yet). */
export function renderBlock(token: Token, key: number, open = false): ReactNode {
  const t = token as Token & Record<string, unknown>;
  switch (token.type) {
    case 'heading': {
      const depth = Math.min(6, Math.max(1, t.depth as number));
      const Tag = `h${depth}` as 'h1';
      return <Tag key={key}>{inline(t.tokens as Token[])}</Tag>;
    }
    case 'paragraph':
      return <p key={key}>{inline(t.tokens as Token[])}</p>;
    case 'text':
      return <p key={key}>{'tokens' in t && t.tokens ? inline(t.tokens as Token[]) : (t.text as string)}</p>;
    case 'code': {
      const unclosed = open && !/\n\s*(```|~~~)\s*$/.test(t.raw as string) && (t.codeBlockStyle as string) !== 'indented';
      return <CodeBlock key={key} code={t.text as string} lang={(t.lang as string) ?? ''} open={unclosed} />;
    }
    case 'blockquote':
      return <blockquote key={key}>{(t.tokens as Token[]).map((b, i) => renderBlock(b, i))}</blockquote>;
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item, i) => listItem(item, i, list.loose));
      return list.ordered ? (
        <ol key={key} start={typeof list.start === 'number' ? list.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'table': {
      const table = token as Tokens.Table;
      const align = (i: number) => table.align[i] ?? undefined;
      return (
        <div key={key} className="md-table">
          <table>
            <thead>
              <tr>
                {table.header.map((cell, i) => (
                  <th key={i} style={{ textAlign: align(i) }}>
                    {inline(cell.tokens)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} style={{ textAlign: align(i) }}>
                      {inline(cell.tokens)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case 'hr':
      return <hr key={key} />;
    case 'mathBlock':
      return <MathView key={key} tex={t.text as string} display />;
    case 'space':
    case 'def':
      return null;
    case 'html':
    default:
      // Raw HTML from a model is shown as what it is: text.
      return (
        <p key={key} className="md-raw">
          {t.raw as string}
        </p>
      );
  }
}
