import { it } from 'vitest';
import { calls, streams } from '../../../src/shared/contract';
import { stringLeaves } from '../../support/schema-walk';
it('lists', () => {
  const out: string[] = [];
  for (const [name, spec] of [...Object.entries(calls), ...Object.entries(streams)]) {
    for (const leaf of stringLeaves(spec.input)) out.push(`${name} ${leaf.path} ${leaf.kind ?? 'UNDECLARED'}`);
  }
  console.log(out.join('\n'));
});
