import type { Engine } from './engine';

/** An engine event, reduced to what the caches need. */
export interface EngineEvent {
  type: string; // container, image, volume, network, pod, system
  action: string; // create, start, died, remove, …
  id: string;
  attributes: Record<string, string>;
  /** Nanoseconds since the epoch, as a number (precise enough for ordering). */
  timeNano: number;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  timeNano?: number;
  time?: number;
}

export function parseEvent(raw: RawEvent): EngineEvent | null {
  const type = raw.Type;
  const action = raw.Action ?? raw.status;
  if (!type || !action) return null;
  return {
    type,
    action,
    id: raw.Actor?.ID || raw.id || '',
    attributes: raw.Actor?.Attributes ?? {},
    timeNano: raw.timeNano ?? (raw.time ?? 0) * 1e9,
  };
}

/**
 * Follows `/events` until the stream ends (the engine went away) or `signal` aborts. `onOpen`
 * runs once the engine has accepted the subscription, so a caller can list after it and miss
 * nothing in between.
 */
export async function followEvents(
  engine: Engine,
  onEvent: (event: EngineEvent) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const response = await engine.stream('GET', '/events', { signal });
  onOpen?.();
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        let event: EngineEvent | null = null;
        try {
          event = parseEvent(JSON.parse(line) as RawEvent);
        } catch {
          continue; // a line we cannot read must not end the subscription
        }
        if (event) onEvent(event);
      }
    });
    response.once('end', resolve);
    response.once('close', resolve);
    response.once('error', (error) => (signal.aborted ? resolve() : reject(error)));
    signal.addEventListener('abort', () => response.destroy(), { once: true });
  });
}
