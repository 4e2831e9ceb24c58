import { navigate } from '../../lib/router';

/** `/volumes/<name>?path=a/b` opens the browser of a volume at a folder. */
export function parseVolumeRoute(route: string): { volume: string; path: string } | null {
  const m = /^\/volumes\/([^/?]+)(?:\?(.*))?$/.exec(route);
  if (!m) return null;
  const params = new URLSearchParams(m[2] ?? '');
  return { volume: decodeURIComponent(m[1]!), path: params.get('path') ?? '' };
}

export function openVolume(volume: string, path = ''): void {
  navigate(`/volumes/${encodeURIComponent(volume)}${path ? `?path=${encodeURIComponent(path)}` : ''}`);
}
