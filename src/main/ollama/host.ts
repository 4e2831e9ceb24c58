import type { ContainerSummary, OllamaCandidate } from '../../shared/contract';
import type { Env } from '../system/types';

export const DEFAULT_OLLAMA_PORT = 11434;
export const DEFAULT_OLLAMA_HOST = `http://127.0.0.1:${DEFAULT_OLLAMA_PORT}`;

/**
 * An Ollama address as users write it (and as Ollama itself reads OLLAMA_HOST): "0.0.0.0",
 * ":11434", "myhost:8080", "http://box", "https://ollama.example.com/". Without a scheme the port
 * defaults to 11434; with one, to the scheme's. A bind-all address means this machine.
 * Returns a base URL without a trailing slash, or null when the text is no address.
 */
export function parseOllamaHost(raw: string | undefined | null): string | null {
  let text = (raw ?? '').trim();
  if (!text) return null;
  const explicit = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  if (text.startsWith(':')) text = `127.0.0.1${text}`;
  let url: URL;
  try {
    url = new URL(explicit ? text : `http://${text}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  let hostname = url.hostname;
  if (hostname === '0.0.0.0') hostname = '127.0.0.1';
  if (hostname === '[::]') hostname = '[::1]';
  const port = url.port || (explicit ? (url.protocol === 'https:' ? '443' : '80') : String(DEFAULT_OLLAMA_PORT));
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${hostname}:${port}${path}`;
}

/** Running containers that look like Ollama: the image's name, or a Compose service called ollama. */
export function ollamaContainers(containers: ContainerSummary[]): ContainerSummary[] {
  return containers.filter(
    (c) =>
      c.state === 'running' &&
      !c.isInfra &&
      (/(^|[/:])ollama([:/@-]|$)/i.test(c.image) || /ollama/i.test(c.image.split('/').pop() ?? '') || c.service === 'ollama'),
  );
}

/** The address a container publishes Ollama's port on, as this machine reaches it. */
export function containerOllamaHost(container: ContainerSummary): string | null {
  const port = container.ports.find((p) => p.containerPort === DEFAULT_OLLAMA_PORT && p.hostPort > 0 && p.protocol === 'tcp');
  if (!port) return null;
  const ip = port.hostIp && port.hostIp !== '0.0.0.0' && port.hostIp !== '::' ? port.hostIp : '127.0.0.1';
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port.hostPort}`;
}

/** Every address worth trying, in order: the setting, OLLAMA_HOST, the default, Ollama containers. */
export function ollamaCandidates(
  setting: string | null,
  env: Env,
  containers: ContainerSummary[],
  defaultHost = DEFAULT_OLLAMA_HOST,
): OllamaCandidate[] {
  const out: OllamaCandidate[] = [];
  const add = (candidate: OllamaCandidate) => {
    if (!out.some((c) => c.host === candidate.host)) out.push(candidate);
  };
  const fromSetting = parseOllamaHost(setting);
  if (fromSetting) add({ host: fromSetting, source: 'setting', label: 'Your setting' });
  const fromEnv = parseOllamaHost(env.OLLAMA_HOST);
  if (fromEnv) add({ host: fromEnv, source: 'environment', label: 'OLLAMA_HOST' });
  add({ host: defaultHost, source: 'default', label: 'Ollama on this computer' });
  for (const c of ollamaContainers(containers)) {
    const host = containerOllamaHost(c);
    if (host) add({ host, source: 'container', label: `Container ${c.name}` });
  }
  return out;
}
