import { describe, expect, it } from 'vitest';
import { dependents, findCycle, startOrder, withDependencies } from '../../../src/main/stacks/compose/order';

const nodes = [
  { name: 'web', dependsOn: ['api', 'cache'] },
  { name: 'api', dependsOn: ['db'] },
  { name: 'cache', dependsOn: [] },
  { name: 'db', dependsOn: [] },
  { name: 'docs', dependsOn: [] },
];

describe('dependency order', () => {
  it('starts every service after what it depends on, otherwise in file order', () => {
    const order = startOrder(nodes);
    expect(order).toEqual(['db', 'api', 'cache', 'web', 'docs']);
    for (const n of nodes) for (const d of n.dependsOn) expect(order.indexOf(d)).toBeLessThan(order.indexOf(n.name));
  });

  it('refuses a cycle and names it', () => {
    const cyclic = [
      { name: 'a', dependsOn: ['b'] },
      { name: 'b', dependsOn: ['c'] },
      { name: 'c', dependsOn: ['a'] },
      { name: 'd', dependsOn: [] },
    ];
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
    expect(() => startOrder(cyclic)).toThrow('Dependency cycle: a → b → c → a');
    expect(findCycle([{ name: 'self', dependsOn: ['self'] }])).toEqual(['self', 'self']);
    expect(findCycle(nodes)).toBeNull();
  });

  it('finds what a service needs and what needs it', () => {
    expect([...withDependencies(nodes, ['web'])].sort()).toEqual(['api', 'cache', 'db', 'web']);
    expect([...dependents(nodes, ['db'])].sort()).toEqual(['api', 'web']);
  });
});
