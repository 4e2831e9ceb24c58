/**
 * Dependency order for `depends_on`: services start after what they depend on and stop before it.
 */
export interface DependencyNode {
  name: string;
  dependsOn: string[];
}

/** One cycle as a path that returns to its start (a → b → a), or null when there is none. */
export function findCycle(nodes: DependencyNode[]): string[] | null {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    const s = state.get(name);
    if (s === 'done') return null;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const n of nodes) {
    const cycle = visit(n.name);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * Start order: each service after its dependencies, otherwise in the order given (file order),
 * so the result is stable. Throws on a cycle.
 */
export function startOrder(nodes: DependencyNode[]): string[] {
  const cycle = findCycle(nodes);
  if (cycle) throw new Error(`Dependency cycle: ${cycle.join(' → ')}`);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const done = new Set<string>();
  const order: string[] = [];
  const place = (name: string) => {
    if (done.has(name) || !byName.has(name)) return;
    done.add(name);
    for (const dep of byName.get(name)!.dependsOn) place(dep);
    order.push(name);
  };
  for (const n of nodes) place(n.name);
  return order;
}

/** Every service the given ones depend on, directly or not, plus themselves. */
export function withDependencies(nodes: DependencyNode[], names: string[]): Set<string> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const out = new Set<string>();
  const add = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) add(dep);
  };
  names.forEach(add);
  return out;
}

/** Every service that depends on the given ones, directly or not (what a restart of them affects). */
export function dependents(nodes: DependencyNode[], names: string[]): Set<string> {
  const out = new Set<string>();
  let grew = true;
  const roots = new Set(names);
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (out.has(n.name) || roots.has(n.name)) continue;
      if (n.dependsOn.some((d) => roots.has(d) || out.has(d))) {
        out.add(n.name);
        grew = true;
      }
    }
  }
  return out;
}
