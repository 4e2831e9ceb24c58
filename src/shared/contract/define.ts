import type { z } from 'zod';

/**
 * The two kinds of entries in the contract. The output type is a phantom: it exists for the
 * compiler only, so `call(schema).returns<T>()` costs nothing at run time.
 */
export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly kind: 'call';
  readonly input: I;
  readonly _output?: O;
}

export interface StreamSpec<I extends z.ZodType = z.ZodType, T = unknown> {
  readonly kind: 'stream';
  readonly input: I;
  readonly _item?: T;
}

export function call<I extends z.ZodType>(input: I) {
  return { returns: <O>(): CallSpec<I, O> => ({ kind: 'call', input }) };
}

export function stream<I extends z.ZodType>(input: I) {
  return { emits: <T>(): StreamSpec<I, T> => ({ kind: 'stream', input }) };
}
