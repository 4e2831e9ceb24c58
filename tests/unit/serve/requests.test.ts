import { describe, expect, it } from 'vitest';
import { isForeignFetch, isOwnHost, isOwnOrigin, parseTarget, readCookie, sameSecret } from '../../../src/main/serve/requests';

describe("the browser host's request checks", () => {
  it('knows its own host names, with its port only', () => {
    expect(isOwnHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isOwnHost('LOCALHOST:8080', 8080)).toBe(true);
    for (const host of ['127.0.0.1', '127.0.0.1:8081', 'evil.example:8080', '[::1]:8080', '', undefined]) {
      expect(isOwnHost(host, 8080), String(host)).toBe(false);
    }
    // Browsers leave the default port out.
    expect(isOwnHost('127.0.0.1', 80)).toBe(true);
    expect(isOwnOrigin('http://localhost:8080', 8080)).toBe(true);
    for (const origin of ['https://127.0.0.1:8080', 'http://127.0.0.1:8081', 'null', '', undefined]) {
      expect(isOwnOrigin(origin, 8080), String(origin)).toBe(false);
    }
  });

  it("tells another site's subresource request from the page's own and from a navigation", () => {
    expect(isForeignFetch({})).toBe(false);
    expect(isForeignFetch({ 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(isForeignFetch({ 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' })).toBe(false);
    expect(isForeignFetch({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).toBe(false);
    expect(isForeignFetch({ 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' })).toBe(true);
    expect(isForeignFetch({ 'sec-fetch-site': 'cross-site' })).toBe(true);
  });

  it('splits a target into decoded segments and refuses what is not a plain path', () => {
    expect(parseTarget('/assets/a%20b.js?token=x&y')).toEqual({
      segments: ['assets', 'a b.js'],
      query: new URLSearchParams('token=x&y'),
    });
    expect(parseTarget('//assets//a.js')?.segments).toEqual(['assets', 'a.js']);
    // What the URL parser threw on is just a file name that is not there.
    expect(parseTarget('//[')?.segments).toEqual(['[']);
    for (const raw of [
      '/%',
      '/%zz',
      '/..',
      '/a/../b',
      '/%2e%2e/x',
      '/a%2fb',
      '/a%5cb',
      '/a%00',
      '/.',
      'http://a:99999/rpc',
      '*',
      '',
      undefined,
    ]) {
      expect(parseTarget(raw), String(raw)).toBeNull();
    }
    // The query is parsed leniently: a bad escape there is just text.
    expect(parseTarget('/?token=%')?.query.get('token')).toBe('%');
  });

  it('reads one cookie among others, and compares secrets whole', () => {
    expect(readCookie('a=1; poddesk_1=x=y; b=2', 'poddesk_1')).toBe('x=y');
    expect(readCookie('poddesk_10=x', 'poddesk_1')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
    expect(sameSecret(null, 'abc')).toBe(false);
  });
});
