import { memo, useMemo } from 'react';
import { createBlockGrouper, createIncrementalLexer, type Block } from './incremental';
import { renderBlock } from './render';
import 'katex/dist/katex.min.css';
import './markdown.css';

/**
 * A reply, rendered as it streams. Finished blocks are made once: each is a memoized element,
 * and they sit in groups of GROUP whose arrays never change once full, so an update re-renders
 * the open group and the unfinished tail only — its cost does not grow with the reply.
 */
const GROUP = 32;

const DoneBlock = memo(function DoneBlock({ block }: { block: Block }) {
  return renderBlock(block.token, block.offset);
});

// A real element per group: the browser then lays out a long reply as a few dozen boxes whose
// insides have not changed, not as thousands of siblings.
const Group = memo(function Group({ blocks }: { blocks: Block[] }) {
  return (
    <div className="md-group">
      {blocks.map((b) => (
        <DoneBlock key={b.offset} block={b} />
      ))}
    </div>
  );
});

export function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const lexer = useMemo(() => ({ blocks: createIncrementalLexer(), group: createBlockGrouper(GROUP) }), []);
  const { groups, tail } = useMemo(() => {
    const split = lexer.blocks.update(text);
    return { groups: lexer.group(split.done), tail: split.tail };
  }, [lexer, text]);
  return (
    <div className="md" data-testid="markdown" data-streaming={streaming || undefined}>
      {groups.map((g) => (
        <Group key={g[0]!.offset} blocks={g} />
      ))}
      {tail.map((b) => renderBlock(b.token, b.offset, streaming))}
    </div>
  );
}
