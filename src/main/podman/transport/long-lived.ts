/** A request as the engine client sends it through docker-modem. */
export interface RequestShape {
  method: string;
  /** Without the query. */
  path: string;
  query?: Record<string, unknown>;
  /** The answer is read as a stream rather than buffered. */
  isStream: boolean;
  /** Asks for an upgraded connection (exec and attach). */
  hijack: boolean;
}

const yes = (value: unknown) => value === true || value === 'true' || value === 1 || value === '1';

/**
 * Requests that keep their connection for as long as someone watches — the event stream, a
 * followed log, stats, pull/build/push progress, an exec's output — as opposed to those that end
 * by themselves at once. Over a command transport the first kind get a connection of their own:
 * in a pool of six, six open log views would otherwise leave nothing for anything else.
 *
 * Upgraded connections (exec, attach) are not counted here: Node takes a socket out of its agent
 * once it is upgraded, so it leaves the pool as soon as the engine switches protocols.
 */
export function isLongLived(request: RequestShape): boolean {
  if (!request.isStream || request.hijack || request.method === 'HEAD') return false;
  const { path, query } = request;
  if (path.endsWith('/archive')) return false; // a file or a folder: it ends when it is sent
  if (path.endsWith('/logs')) return yes(query?.follow);
  if (path.endsWith('/stats')) return query?.stream === undefined || yes(query.stream);
  return true;
}
