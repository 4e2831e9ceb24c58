import { createHash } from 'node:crypto';
import type { Endpoint } from '../../../shared/contract';

/**
 * Reads the URIs Podman and Docker use for their endpoints:
 * unix:///run/podman/podman.sock, npipe:////./pipe/podman-machine-default,
 * ssh://core@127.0.0.1:50123/run/user/501/podman/podman.sock, tcp://host:2375.
 */
export function parseEndpointUri(uri: string, identity?: string): Endpoint | null {
  const value = uri.trim();
  if (value.startsWith('unix:')) {
    const path = value.replace(/^unix:(\/\/)?/, '');
    return path.startsWith('/') ? { kind: 'unix', path } : null;
  }
  if (value.startsWith('npipe:')) {
    // npipe:////./pipe/name and npipe://./pipe/name both mean \\.\pipe\name
    const rest = value.replace(/^npipe:\/*/, '');
    const path = '//' + rest.replace(/\\/g, '/').replace(/^\/+/, '');
    return /^\/\/\.\/pipe\/.+/.test(path) ? { kind: 'npipe', path } : null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol === 'ssh:') {
    const socketPath = decodeURIComponent(url.pathname);
    if (!url.hostname || !url.username || socketPath.length < 2) return null;
    return {
      kind: 'ssh',
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : 22,
      username: decodeURIComponent(url.username),
      socketPath,
      ...(identity ? { identity } : {}),
    };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:') {
    if (!url.hostname || !url.port) return null;
    return { kind: 'tcp', host: url.hostname, port: Number(url.port) };
  }
  return null;
}

/** The same endpoint as a string, for display and for telling candidates apart. */
export function endpointKey(endpoint: Endpoint): string {
  switch (endpoint.kind) {
    case 'unix':
      return `unix://${endpoint.path}`;
    case 'npipe':
      return `npipe://${endpoint.path}`;
    case 'tcp':
      return `tcp://${endpoint.host}:${endpoint.port}`;
    case 'ssh':
      return `ssh://${endpoint.username}@${endpoint.host}:${endpoint.port}${endpoint.socketPath}`;
    case 'command':
      return `command:${endpoint.argv.join(' ')}`;
  }
}

/** What the page names a candidate by: opaque and stable, so it can choose one but never describe one. */
export function candidateKey(endpoint: Endpoint): string {
  return createHash('sha256').update(endpointKey(endpoint)).digest('hex').slice(0, 24);
}
