import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type YamlPath = (string | number)[];

/**
 * Finds where a path of the parsed value sits in the YAML text, for messages with a line and a
 * column. Keys inherited through a merge key (`<<: *defaults`) have no node of their own under
 * the path: the nearest ancestor that has one is used.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: YamlPath,
  which: 'key' | 'value' = 'value',
): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNodeLike(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      if (last && which === 'key' && isNodeLike(pair.key)) {
        best = pair.key;
        break;
      }
      node = pair.value;
      if (isNodeLike(pair.value)) best = pair.value;
      else if (isNodeLike(pair.key)) best = pair.key;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!isNodeLike(item)) break;
      node = item;
      best = item;
    } else break;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function isNodeLike(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

export function pathText(path: YamlPath): string {
  return path.map(String).join('.');
}
