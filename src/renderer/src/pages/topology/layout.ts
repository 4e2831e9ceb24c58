import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import { NODE_SIZE, type TopologyEdge, type TopologyNode } from './graph';

export interface Placed {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Coordinates are relative to this parent (a stack group). */
  parent?: string;
}

const elk = new ELK();

/**
 * Lays the graph out left to right with ELK's layered algorithm: published ports, then
 * containers (each stack boxed), then the networks they join. Stacks are compound nodes, so
 * edges leave and enter them as they should.
 */
export async function layoutTopology(nodes: TopologyNode[], edges: TopologyEdge[]): Promise<Map<string, Placed>> {
  const children = new Map<string, ElkNode[]>();
  const top: ElkNode[] = [];
  for (const node of nodes) {
    if (node.kind === 'stack') continue;
    const size = NODE_SIZE[node.kind];
    const elkNode: ElkNode = { id: node.id, width: size.width, height: size.height };
    if (node.kind === 'container' && node.parent) children.set(node.parent, [...(children.get(node.parent) ?? []), elkNode]);
    else top.push(elkNode);
  }
  for (const node of nodes) {
    if (node.kind !== 'stack') continue;
    top.push({
      id: node.id,
      children: children.get(node.id) ?? [],
      layoutOptions: { 'elk.padding': '[top=36,left=16,bottom=16,right=16]' },
    });
  }
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      // Room for an edge label of TopologyPage's LABEL_CHARS at 11 px between two layers.
      'elk.layered.spacing.nodeNodeBetweenLayers': '200',
      'elk.spacing.nodeNode': '28',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: top,
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const laid = await elk.layout(graph);
  const placed = new Map<string, Placed>();
  const visit = (list: ElkNode[] | undefined, parent?: string) => {
    for (const n of list ?? []) {
      placed.set(n.id, {
        id: n.id,
        x: n.x ?? 0,
        y: n.y ?? 0,
        width: n.width ?? 0,
        height: n.height ?? 0,
        ...(parent ? { parent } : {}),
      });
      visit(n.children, n.id);
    }
  };
  visit(laid.children);
  return placed;
}
