import { z } from 'zod';
import { calls as contractCalls, streams as contractStreams } from '../../shared/contract';
import type { CallSpec, StreamSpec } from '../../shared/contract';
import type { StreamEvent } from '../../shared/bridge';
import { AppError, type ErrorShape, type Result } from '../../shared/errors';
import { createCoalescer } from './coalesce';
import type { Handlers } from './handlers';

/**
 * Binds the contract to its handlers, independent of the transport: Electron IPC (ipc.ts) and
 * the WebSocket host (serve/) both hand their raw messages to a dispatcher. This is where input
 * is parsed, errors get their shape and streams are coalesced and aborted.
 */
export interface Dispatcher {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  /** One per connected page: owns that page's open streams and aborts them all on `closeAll`. */
  session(send: (event: StreamEvent) => void): Session;
}

export interface Session {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  open(id: string, name: string, input: unknown): Result<null>;
  close(id: string): void;
  closeAll(): void;
}

interface Contract {
  calls: Record<string, CallSpec>;
  streams: Record<string, StreamSpec>;
}

type AnyCallHandler = (args: unknown) => unknown;
type AnyStreamHandler = (args: unknown, emit: (item: unknown) => void, signal: AbortSignal) => unknown;

export function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof AppError) return error.toJSON();
  if (error instanceof z.ZodError) return invalidInput(error);
  if (error instanceof Error && error.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: message || 'Unexpected error' };
}

function invalidInput(error: z.ZodError): ErrorShape {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : '';
  return { code: 'INVALID_INPUT', message: `Invalid input — ${where}${first?.message ?? 'unknown problem'}`, details: issues };
}

function parse(schema: z.ZodType, input: unknown): Result<unknown> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: invalidInput(parsed.error) };
}

function has(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** A name from the page, fit for an error message: short, and never an object's own toString. */
function printable(value: unknown): string {
  const text =
    typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value;
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function createDispatcher(
  handlers: Handlers,
  contract: Contract = { calls: contractCalls, streams: contractStreams },
  options: { batchIntervalMs?: number; onError?: (name: string, error: unknown) => void } = {},
): Dispatcher {
  const callHandlers = handlers.calls as unknown as Record<string, AnyCallHandler>;
  const streamHandlers = handlers.streams as unknown as Record<string, AnyStreamHandler>;

  const call = async (name: string, input: unknown): Promise<Result<unknown>> => {
    // The name comes from the page as it is (the browser host forwards JSON): not always a string.
    if (typeof name !== 'string' || !has(contract.calls, name) || !has(callHandlers, name)) {
      return { ok: false, error: { code: 'UNKNOWN_CALL', message: `No such call: ${printable(name)}` } };
    }
    const parsed = parse(contract.calls[name]!.input, input);
    if (!parsed.ok) return parsed;
    try {
      return { ok: true, data: await callHandlers[name]!(parsed.data) };
    } catch (error) {
      const shape = toErrorShape(error);
      if (shape.code === 'INTERNAL') options.onError?.(name, error);
      return { ok: false, error: shape };
    }
  };

  const session = (send: (event: StreamEvent) => void): Session => {
    const open = new Map<string, { controller: AbortController; cancelBatches: () => void }>();

    const start = (id: string, name: string, input: unknown): Result<null> => {
      if (typeof id !== 'string' || id.length === 0 || id.length > 256) {
        return { ok: false, error: { code: 'INVALID_INPUT', message: 'A stream needs an id (a short string)' } };
      }
      if (open.has(id)) return { ok: false, error: { code: 'INVALID_INPUT', message: `Stream id in use: ${printable(id)}` } };
      if (typeof name !== 'string' || !has(contract.streams, name) || !has(streamHandlers, name)) {
        return { ok: false, error: { code: 'UNKNOWN_CALL', message: `No such stream: ${printable(name)}` } };
      }
      const parsed = parse(contract.streams[name]!.input, input);
      if (!parsed.ok) return parsed;

      const controller = new AbortController();
      const batches = createCoalescer<unknown>((items) => send({ id, type: 'batch', items }), options.batchIntervalMs);
      const entry = { controller, cancelBatches: batches.cancel };
      open.set(id, entry);
      const emit = (item: unknown) => {
        if (!controller.signal.aborted) batches.push(item);
      };
      const finish = (error?: ErrorShape) => {
        if (open.get(id) !== entry) return; // closed by the subscriber: nobody to tell
        open.delete(id);
        batches.flush();
        send(error ? { id, type: 'end', error } : { id, type: 'end' });
      };
      Promise.resolve()
        .then(() => streamHandlers[name]!(parsed.data, emit, controller.signal))
        .then(
          () => finish(),
          (error: unknown) => {
            const shape = toErrorShape(error);
            if (shape.code === 'INTERNAL') options.onError?.(name, error);
            finish(shape);
          },
        );
      return { ok: true, data: null };
    };

    const close = (id: string) => {
      const entry = open.get(id);
      if (!entry) return;
      open.delete(id);
      entry.cancelBatches();
      entry.controller.abort();
    };

    return {
      call,
      open: start,
      close,
      closeAll() {
        for (const id of [...open.keys()]) close(id);
      },
    };
  };

  return { call, session };
}
