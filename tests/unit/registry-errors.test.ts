import { describe, expect, it } from 'vitest';
import { encodeAuth, registryError, registryOf } from '../../src/main/podman/images/registry-errors';
import { withDefaultTag } from '../../src/main/podman/images/pull';
import { imageReference } from '../../src/shared/contract/images';

describe('registry errors in words a person can act on', () => {
  const cases: [string, string, RegExp][] = [
    [
      'initializing source docker://127.0.0.1:5917/nope:1: reading manifest 1 in 127.0.0.1:5917/nope: manifest unknown: manifest unknown',
      'NOT_FOUND',
      /was not found on 127\.0\.0\.1:5917/,
    ],
    [
      'initializing source docker://127.0.0.1:5919/big:1: reading manifest 1 in 127.0.0.1:5919/big: unauthorized: authentication required',
      'UNAUTHORIZED',
      /Log in to 127\.0\.0\.1:5919/,
    ],
    [
      'pinging container registry 127.0.0.1:5990: Get "http://127.0.0.1:5990/v2/": dial tcp 127.0.0.1:5990: connect: connection refused',
      'UNREACHABLE',
      /cannot be reached \(connection refused\)/,
    ],
    [
      // Offline, as measured here: "no such host" is a network failure, not a missing image.
      'initializing source docker://ollama/ollama:latest: pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
      'UNREACHABLE',
      /cannot be reached \(unknown host\)\. Offline\?/,
    ],
    ['something odd happened', 'ENGINE_ERROR', /something odd/],
  ];
  it.each(cases)('%s', (message, code, text) => {
    const error = registryError(message, message.match(/docker:\/\/(\S+?):\s/)?.[1] ?? '127.0.0.1:5990/big:1');
    expect(error.code).toBe(code);
    expect(error.message).toMatch(text);
    expect((error.details as { engine: string }).engine).toBe(message);
  });

  it('finds the registry of a reference', () => {
    expect(registryOf('nginx')).toBe('docker.io');
    expect(registryOf('library/nginx:1')).toBe('docker.io');
    expect(registryOf('quay.io/podman/hello')).toBe('quay.io');
    expect(registryOf('localhost/x')).toBe('localhost');
    expect(registryOf('127.0.0.1:5000/x:1')).toBe('127.0.0.1:5000');
  });

  it('encodes credentials as base64url JSON', () => {
    const header = encodeAuth({ username: 'u', password: 'p?>', serveraddress: 'r' });
    expect(header).not.toMatch(/[+/=]/);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      username: 'u',
      password: 'p?>',
      serveraddress: 'r',
    });
  });

  it('adds :latest only where no tag or digest is given', () => {
    expect(withDefaultTag('nginx')).toBe('nginx:latest');
    expect(withDefaultTag('127.0.0.1:5000/x')).toBe('127.0.0.1:5000/x:latest');
    expect(withDefaultTag('127.0.0.1:5000/x:2')).toBe('127.0.0.1:5000/x:2');
    expect(withDefaultTag(`x@sha256:${'a'.repeat(64)}`)).toBe(`x@sha256:${'a'.repeat(64)}`);
  });

  it('accepts references the engine accepts and refuses the rest', () => {
    for (const ok of [
      'nginx',
      'docker.io/library/nginx:1.27',
      '127.0.0.1:5000/a/b_c:v1.0',
      'localhost/x',
      `x@sha256:${'a'.repeat(64)}`,
    ])
      expect(imageReference.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['', 'Nginx', 'bad ref', 'x:', 'a//b', '../x', 'x:tag with space', 'x;rm'])
      expect(imageReference.safeParse(bad).success, bad).toBe(false);
  });
});

describe('registry errors and port numbers', () => {
  it('does not read a port such as 40129 as an HTTP 401', () => {
    const message =
      'pinging container registry 127.0.0.1:40129: Get "http://127.0.0.1:40129/v2/": dial tcp 127.0.0.1:40129: connect: connection refused';
    expect(registryError(message, '127.0.0.1:40129/x:1').code).toBe('UNREACHABLE');
  });
});
