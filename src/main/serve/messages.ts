import { z } from 'zod';
import type { ClientMessage, HelloMessage } from '../../shared/ws-protocol';

/** The page's WebSocket messages as the host parses them: anything else is not one. */
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
// Names and ids are short (`containers.list`, `containers.watch#12`); longer ones are not ours.
const name = z.string().min(1).max(200);
const input = z.unknown().optional();

export const helloMessage: z.ZodType<HelloMessage> = z.object({ t: z.literal('hello'), key: z.string().max(200) });

export const clientMessage: z.ZodType<ClientMessage> = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), n: seq, name, input }),
  z.object({ t: z.literal('open'), n: seq, id: name, name, input }),
  z.object({ t: z.literal('close'), id: name }),
]);

/** The `n` of a message that failed to parse, if it has one worth answering to. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null || !('n' in value)) return undefined;
  const n = (value as { n: unknown }).n;
  return seq.safeParse(n).success ? (n as number) : undefined;
}
