import { describe, expect, it } from 'vitest';
import { createIncrementalLexer } from '../../src/renderer/src/markdown/incremental';
import { lex } from '../../src/renderer/src/markdown/lexer';
import { codeReply, longMarkdown, tokenize } from '../fixtures/ollama-server/replies';

const shape = (tokens: { type: string; raw: string }[]) =>
  tokens.filter((t) => t.type !== 'space').map((t) => `${t.type}:${t.raw}`);

/** Streams `text` token by token and checks every step against lexing the whole text. */
function checkStreaming(text: string, step = 1) {
  const lexer = createIncrementalLexer();
  const pieces = tokenize(text);
  let sofar = '';
  let previousDone: unknown[] = [];
  for (let i = 0; i < pieces.length; i += step) {
    sofar += pieces.slice(i, i + step).join('');
    const { done, tail } = lexer.update(sofar);
    expect(shape([...done, ...tail].map((b) => b.token))).toEqual(shape(lex(sofar)));
    // Finished blocks are the very same objects from one update to the next.
    for (let j = 0; j < previousDone.length; j++) expect(done[j]).toBe(previousDone[j]);
    previousDone = done;
    expect(tail.length).toBeLessThanOrEqual(2);
  }
}

describe('incremental Markdown lexing', () => {
  it('gives the same blocks as lexing the whole text, at every token of a reply with code and a table', () => {
    checkStreaming(codeReply);
  });

  // The reference lexes the whole text at every step (quadratic by design): seconds of CPU, more
  // on a loaded machine, so this test gets a hang guard of its own instead of the default 5 s.
  it('stays equal over a long reply with headings, lists, tables, code, quotes and math', { timeout: 60_000 }, () => {
    checkStreaming(longMarkdown(3_000), 3);
  });

  it('handles the cases where a later line changes an earlier one', () => {
    const cases = [
      'Title\n---\n\nafter\n',
      'a | b\n--- | ---\n1 | 2\n\nnext\n',
      '- one\n- two\n\n- three\n\nend\n',
      '1. one\n\n   continued\n2. two\n\nend\n',
      'Here:\n```python\nx = 1\n\n\ny = 2\n```\nafter\n',
      '    indented\n\n    more code\n\nprose\n',
      '> quote\nlazy line\n\n> another\n\ndone\n',
      'para\n# heading\ntext\n',
      '$$\nx^2\n$$\n\nand $y$ inline, $5 and $10.\n',
      '<div>html stays text</div>\n\nok\n',
    ];
    for (const text of cases) {
      const lexer = createIncrementalLexer();
      for (let n = 1; n <= text.length; n++) {
        const sofar = text.slice(0, n);
        const { done, tail } = lexer.update(sofar);
        expect(shape([...done, ...tail].map((b) => b.token)), JSON.stringify(sofar)).toEqual(shape(lex(sofar)));
      }
    }
  });

  it('lexes only the tail: the work per update does not grow with the message', () => {
    const lexer = createIncrementalLexer();
    const text = longMarkdown(20_000);
    const pieces = tokenize(text);
    let sofar = '';
    let worst = 0;
    for (let i = 0; i < pieces.length; i += 10) {
      sofar += pieces.slice(i, i + 10).join('');
      lexer.update(sofar);
      worst = Math.max(worst, lexer.lastLexed());
    }
    expect(sofar.length).toBeGreaterThan(60_000);
    expect(worst).toBeLessThan(1_000);
  });

  it('starts over when the text is not a continuation', () => {
    const lexer = createIncrementalLexer();
    lexer.update('# one\n\ntwo\n\nthree\n');
    const { done, tail } = lexer.update('different\n\ntext\n');
    expect(shape([...done, ...tail].map((b) => b.token))).toEqual(shape(lex('different\n\ntext\n')));
    expect(done[0]!.token.raw).toBe('different');
  });

  it('parses math and keeps raw HTML as an html token (rendered as text, never as markup)', () => {
    const tokens = lex('$$\na^2 + b^2 = c^2\n$$\n\nInline $x_1$ and \\(y\\). <img src=x onerror=alert(1)>\n');
    expect(tokens[0]).toMatchObject({ type: 'mathBlock', text: 'a^2 + b^2 = c^2' });
    const inline = (tokens.find((t) => t.type === 'paragraph') as { tokens: { type: string; text?: string }[] }).tokens;
    expect(inline.filter((t) => t.type === 'mathInline').map((t) => t.text)).toEqual(['x_1', 'y']);
    expect(inline.some((t) => t.type === 'html')).toBe(true);
  });
});
