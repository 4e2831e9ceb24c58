import { lex, type Token } from './lexer';

/**
 * Splits streaming Markdown into finished blocks and the unfinished tail, lexing only from the
 * start of the first unfinished block. A block is finished once the block after it has a
 * complete first line: Markdown decides block boundaries line by line, so text appended later
 * can no longer change it (its tokens — and the React elements made from them — never change
 * again). The cost of an update is the size of the tail, not of the message.
 */
export interface Block {
  /** Where the block starts in the text: a stable key. */
  offset: number;
  token: Token;
}

export interface Split {
  /** Every finished block, oldest first. The same objects across updates. */
  done: Block[];
  /** The unfinished blocks at the end (usually one), lexed afresh on every update. */
  tail: Block[];
}

export interface IncrementalLexer {
  update(text: string): Split;
  /** Characters lexed by the last update (the tail): what the update cost. */
  lastLexed(): number;
}

export function createIncrementalLexer(): IncrementalLexer {
  let source = '';
  let doneEnd = 0;
  let done: Block[] = [];
  let lexed = 0;

  return {
    update(raw) {
      // Only the new part is looked at: the check must not cost the length of the message.
      const grew =
        raw.length >= source.length &&
        raw.startsWith(source.slice(Math.max(0, doneEnd - 64), doneEnd), Math.max(0, doneEnd - 64));
      const text = raw.indexOf('\r', grew ? Math.max(0, doneEnd) : 0) >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
      // Text that is not a continuation (another message, an edit) starts over.
      if (!grew) {
        done = [];
        doneEnd = 0;
      }
      source = text;
      const tailSource = text.slice(doneEnd);
      lexed = tailSource.length;
      const tokens = lex(tailSource);

      // Offsets of each token in the tail.
      const starts: number[] = [];
      let at = 0;
      for (const t of tokens) {
        starts.push(at);
        at += t.raw.length;
      }
      // The last non-space token is never finished. Before it, a token is finished when the
      // next non-space token's first line is complete.
      let promote = 0;
      let nextContent = -1;
      for (let i = tokens.length - 1; i >= 0; i--) {
        if (tokens[i]!.type === 'space') continue;
        if (nextContent >= 0) {
          const lineEnd = tailSource.indexOf('\n', starts[nextContent]!);
          if (lineEnd >= 0) {
            promote = nextContent;
            break;
          }
        }
        nextContent = i;
      }
      const fresh: Block[] = [];
      for (let i = 0; i < promote; i++) {
        if (tokens[i]!.type !== 'space') fresh.push({ offset: doneEnd + starts[i]!, token: tokens[i]! });
      }
      if (fresh.length) done = [...done, ...fresh];
      const newDoneEnd = doneEnd + (promote > 0 ? starts[promote]! : 0);
      const tail: Block[] = [];
      for (let i = promote; i < tokens.length; i++) {
        if (tokens[i]!.type !== 'space') tail.push({ offset: doneEnd + starts[i]!, token: tokens[i]! });
      }
      doneEnd = newDoneEnd;
      return { done, tail };
    },
    lastLexed: () => lexed,
  };
}

/**
 * Groups finished blocks by `size`; a full group keeps its array (and so its memoized render)
 * forever, only the last, open group is new after an update.
 */
export function createBlockGrouper(size: number) {
  let groups: Block[][] = [];
  let count = 0;
  return (done: Block[]): Block[][] => {
    if (done.length < count) {
      groups = [];
      count = 0;
    }
    if (done.length === count) return groups;
    const next = groups.slice();
    if (next.length > 0 && next[next.length - 1]!.length < size) next.pop();
    for (let start = next.length * size; start < done.length; start += size) next.push(done.slice(start, start + size));
    groups = next;
    count = done.length;
    return groups;
  };
}
