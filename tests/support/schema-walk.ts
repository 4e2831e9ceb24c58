import { z } from 'zod';
import { stringKinds, type StringKind } from '../../src/shared/contract/kinds';

/** A string the page may send, found in an input schema: where it is, and what it says it holds. */
export interface StringLeaf {
  path: string;
  kind: StringKind | null;
  /** A kind that is not in the closed list (a typo, or a new kind nobody reviewed). */
  unknownKind?: string;
}

interface Def {
  type: string;
  [key: string]: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * Walks a zod (v4) input schema and returns every place a string can enter, with the kind the
 * schema declares for it (`kind()` in src/shared/contract/kinds.ts). A declaration covers what it
 * wraps. A schema type the walker does not know fails loudly, so a new construct cannot hide a
 * string from it.
 */
export function stringLeaves(schema: z.ZodType, path = '', seen = new Set<z.ZodType>()): StringLeaf[] {
  const declared = z.globalRegistry.get(schema) as { kind?: string } | undefined;
  if (declared?.kind !== undefined) {
    const known = (stringKinds as readonly string[]).includes(declared.kind);
    return [{ path, kind: known ? (declared.kind as StringKind) : null, ...(known ? {} : { unknownKind: declared.kind }) }];
  }
  const def = defOf(schema);
  const at = (child: unknown, suffix: string) => stringLeaves(child as z.ZodType, path ? `${path}.${suffix}` : suffix, seen);
  switch (def.type) {
    case 'string':
    case 'template_literal':
      return [{ path, kind: null }];
    case 'number':
    case 'int':
    case 'boolean':
    case 'bigint':
    case 'void':
    case 'undefined':
    case 'null':
    case 'never':
    case 'literal':
    case 'enum':
    case 'nan':
    case 'date':
    case 'transform':
      return [];
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const leaves = Object.entries(shape).flatMap(([key, child]) => at(child, key));
      if (def.catchall) leaves.push(...at(def.catchall, '*'));
      return leaves;
    }
    case 'array':
      return at(def.element, '[]');
    case 'set':
      return at(def.valueType, '[]');
    case 'tuple':
      return [...(def.items as z.ZodType[]).flatMap((item, i) => at(item, String(i))), ...(def.rest ? at(def.rest, '[]') : [])];
    case 'record':
    case 'map':
      return [...at(def.keyType, '<key>'), ...at(def.valueType, '<value>')];
    case 'union':
      return (def.options as z.ZodType[]).flatMap((option, i) => stringLeaves(option, path ? `${path}|${i}` : `|${i}`, seen));
    case 'intersection':
      return [...stringLeaves(def.left as z.ZodType, path, seen), ...stringLeaves(def.right as z.ZodType, path, seen)];
    case 'pipe':
      // What the page sends is what the pipe's input side takes.
      return stringLeaves(def.in as z.ZodType, path, seen);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
    case 'success':
      return stringLeaves(def.innerType as z.ZodType, path, seen);
    case 'lazy': {
      // A recursive schema: each of its strings is met once on the way down.
      if (seen.has(schema)) return [];
      seen.add(schema);
      return stringLeaves((def.getter as () => z.ZodType)(), path, seen);
    }
    default:
      // any, unknown, custom, file, function, promise, symbol …: nothing the page may send unchecked.
      throw new Error(`${path || '(input)'}: a ${def.type} schema; the contract takes only checked, declared values`);
  }
}
