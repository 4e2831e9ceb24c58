import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  isAppUrl,
  isPermissionAllowed,
  isSafeExternalUrl,
  resolveAppPath,
} from '../../../src/main/security';

describe('the Electron security checklist, as data', () => {
  it('allows scripts from the app only, nothing inline or evaluated', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('trusts the app protocol (and the dev server in development) and nothing else', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isAppUrl('poddesk://other/index.html')).toBe(false);
    expect(isAppUrl('file:///app/index.html')).toBe(false);
    expect(isAppUrl('https://evil.example/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('opens only http(s) links outside', () => {
    expect(isSafeExternalUrl('https://podman.io/docs')).toBe(true);
    expect(isSafeExternalUrl('http://localhost:8888/lab')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-msdt:foo',
      'poddesk://app/x',
      'nonsense',
    ]) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });

  it('grants the page clipboard writes and nothing else', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', `${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(isPermissionAllowed(permission, `${APP_ORIGIN}/index.html`)).toBe(false);
    }
  });

  it('serves files from inside the renderer folder only', () => {
    expect(resolveAppPath('/r', `${APP_ORIGIN}/`, join)).toBe('/r/index.html');
    expect(resolveAppPath('/r', `${APP_ORIGIN}/assets/a.js`, join)).toBe('/r/assets/a.js');
    // The URL parser folds dot segments at the root: the path cannot climb out.
    expect(resolveAppPath('/r', `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`, join)).toBe('/r/etc/passwd');
    expect(resolveAppPath('/r', `${APP_ORIGIN}/a/%2e%2e%2f%2e%2e%2fsecret`, join)).toBeNull();
    expect(resolveAppPath('/r', `${APP_ORIGIN}/a%5c..%5c..%5csecret`, join)).toBeNull();
    expect(resolveAppPath('/r', 'poddesk://elsewhere/index.html', join)).toBeNull();
  });
});
