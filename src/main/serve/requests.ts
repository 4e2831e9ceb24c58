import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The browser host's checks on a request, as pure functions of its headers and target: none of
 * them throws, whatever a client sends.
 */

/** The names the host answers to. Any other Host is a DNS-rebinding page or a confused client. */
export function ownHosts(port: number): string[] {
  const names = ['127.0.0.1', 'localhost'];
  // Browsers leave the default port out of Host and Origin.
  return port === 80 ? names.flatMap((n) => [`${n}:80`, n]) : names.map((n) => `${n}:${port}`);
}

export function isOwnHost(host: string | undefined, port: number): boolean {
  return host !== undefined && ownHosts(port).includes(host.toLowerCase());
}

export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  return origin !== undefined && ownHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

/**
 * A subresource or script request another site's page made (an <img>, a fetch): refused before
 * anything else is looked at. A page on another port of 127.0.0.1 counts as `same-site`, which is
 * why only `same-origin` and `none` (the user typed or pasted the link) pass. Top-level
 * navigations pass too: the page they reach is useless without the key it keeps itself.
 */
export function isForeignFetch(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return false;
  return headers['sec-fetch-mode'] !== 'navigate';
}

/** A request target split into decoded path segments and its query, or null if it is not one we serve. */
export interface Target {
  segments: string[];
  query: URLSearchParams;
}

export function parseTarget(raw: string | undefined): Target | null {
  // Origin-form only ("/path?query"): no absolute URLs, no "*", nothing the URL parser must guess at.
  if (!raw || !raw.startsWith('/')) return null;
  const at = raw.indexOf('?');
  const path = at === -1 ? raw : raw.slice(0, at);
  const segments: string[] = [];
  for (const encoded of path.split('/')) {
    if (encoded === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return { segments, query: new URLSearchParams(at === -1 ? '' : raw.slice(at + 1)) };
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function sameSecret(presented: string | null | undefined, secret: string): boolean {
  if (!presented) return false;
  const x = Buffer.from(presented);
  const y = Buffer.from(secret);
  return x.length === y.length && timingSafeEqual(x, y);
}
