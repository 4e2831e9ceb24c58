import type { App } from '../../src/main/app';
import type { StreamItem, StreamName } from '../../src/shared/contract';
import type { ErrorShape } from '../../src/shared/errors';
import { waitFor } from './podman';

/** A stream opened through the dispatcher, as a page would: items collect, `ended` settles at the end. */
export interface OpenStream<T> {
  items: T[];
  /** Resolves with the error the stream ended with (undefined for a clean end). */
  ended: Promise<ErrorShape | undefined>;
  isEnded(): boolean;
  /** The subscriber leaves: main must stop the work. */
  close(): void;
  until(check: (items: T[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
}

let counter = 0;

export function openStream<N extends StreamName>(app: App, name: N, input: unknown): OpenStream<StreamItem<N>> {
  const id = `test-${++counter}`;
  const items: StreamItem<N>[] = [];
  let done = false;
  let finish: (error: ErrorShape | undefined) => void = () => undefined;
  const ended = new Promise<ErrorShape | undefined>((resolve) => (finish = resolve));
  const session = app.dispatcher.session((event) => {
    if (event.id !== id) return;
    if (event.type === 'batch') items.push(...(event.items as StreamItem<N>[]));
    else {
      done = true;
      finish(event.error);
    }
  });
  const opened = session.open(id, name, input);
  if (!opened.ok) {
    done = true;
    finish(opened.error);
  }
  return {
    items,
    ended,
    isEnded: () => done,
    close: () => session.close(id),
    until: (check, what, timeoutMs = 20_000) =>
      waitFor(() => check(items) || (done && check(items)), what, timeoutMs).catch(async (error: Error) => {
        const end = done ? await ended : undefined;
        throw new Error(`${error.message}${end ? ` (stream ended: ${end.code} ${end.message})` : ''}`);
      }),
  };
}
