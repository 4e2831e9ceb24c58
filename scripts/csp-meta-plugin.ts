import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../src/main/security';

/**
 * The built page carries its Content-Security-Policy in a <meta> too, besides the header that
 * the app's protocol and the browser host send: a page opened some other way is still held to
 * it. Build only — the dev server's React refresh needs an inline script the policy refuses.
 * `frame-ancestors` works only as a header (Chromium warns about it in a meta), so it is left out.
 */
export function cspMeta(): Plugin {
  const policy = contentSecurityPolicy()
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'poddesk-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`),
  };
}
