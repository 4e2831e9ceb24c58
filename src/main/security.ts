/**
 * The Electron security checklist as data and pure functions (no Electron import), so each rule
 * is unit-tested; electron/window.ts and electron/protocol.ts apply them.
 */

/** The renderer is served from this custom protocol, never from file:// (checklist 18). */
export const APP_SCHEME = 'poddesk';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * script-src 'self' and nothing inline or evaluated. Mantine writes style attributes and one
 * <style> element for its CSS variables, hence 'unsafe-inline' for styles only.
 */
export function contentSecurityPolicy(options: { devServer?: string } = {}): string {
  const dev = options.devServer ? new URL(options.devServer) : null;
  const devWs = dev ? `ws://${dev.host}` : '';
  const directives: Record<string, string> = {
    'default-src': "'none'",
    // Vite's dev server injects one inline module (React refresh); the built app has none.
    'script-src': dev ? "'self' 'unsafe-inline'" : "'self'",
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data: blob:",
    'font-src': "'self' data:",
    'connect-src': dev ? `'self' ${devWs}` : "'self'",
    'worker-src': "'self' blob:",
    'base-uri': "'none'",
    'form-action': "'none'",
    'frame-ancestors': "'none'",
    'object-src': "'none'",
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

/** Is this frame the app's own page? IPC from anything else is refused (checklist 17). */
export function isAppUrl(url: string | undefined | null, devServer?: string): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true;
  if (devServer) {
    const dev = new URL(devServer);
    return parsed.origin === dev.origin;
  }
  return false;
}

/** Only http(s) links leave the app, to the system browser (checklist 15). */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** Permissions the page may have: writing to the clipboard (copy buttons). Nothing else (checklist 5). */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, devServer?: string): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl, devServer);
}

/** Files the app protocol may serve: inside the renderer folder, nothing else. */
export function resolveAppPath(root: string, url: string, join: (...parts: string[]) => string): string | null {
  let pathname: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const parts = pathname.split('/').filter(Boolean);
  if (parts.some((part) => part === '..' || part === '.' || part.includes('\\') || part.includes('\0'))) return null;
  return join(root, ...parts);
}
