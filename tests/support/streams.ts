import type { App } from '../../src/main/app';
import type { StreamInput, StreamItem, StreamName } from '../../src/shared/contract';
import type { ErrorShape } from '../../src/shared/errors';

/**
 * Runs a stream to its end through a session, as the page would: resolves with every item, or
 * rejects with the error it ended with. `onItem` sees items as they come (to answer a ticket).
 */
export function runStream<N extends StreamName>(
  app: App,
  name: N,
  input: StreamInput<N>,
  onItem?: (item: StreamItem<N>) => void,
): Promise<StreamItem<N>[]> {
  return new Promise((resolve, reject) => {
    const items: StreamItem<N>[] = [];
    const session = app.dispatcher.session((event) => {
      if (event.type === 'batch') {
        for (const item of event.items as StreamItem<N>[]) {
          items.push(item);
          onItem?.(item);
        }
      } else {
        session.closeAll();
        if (event.error) reject(Object.assign(new Error(event.error.message), { shape: event.error as ErrorShape }));
        else resolve(items);
      }
    });
    const opened = session.open(`${name}#test`, name, input);
    if (!opened.ok) reject(Object.assign(new Error(opened.error.message), { shape: opened.error }));
  });
}

/** Calls and unwraps: the data, or a thrown error carrying the shape. */
export async function callOk<T = unknown>(app: App, name: string, input?: unknown): Promise<T> {
  const result = await app.dispatcher.call(name, input);
  if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.message}`), { shape: result.error });
  return result.data as T;
}

export async function callError(app: App, name: string, input?: unknown): Promise<ErrorShape> {
  const result = await app.dispatcher.call(name, input);
  if (result.ok) throw new Error(`${name} was expected to fail, and succeeded`);
  return result.error;
}
