import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../src/shared/contract';
import { createOllamaEndpoint } from '../../src/main/ollama/endpoint';
import { ollamaCandidates, parseOllamaHost } from '../../src/main/ollama/host';
import { createPullTracker } from '../../src/main/ollama/pull-progress';
import { parseJournal } from '../../src/main/chat/journal';
import { sniffImage } from '../../src/main/chat/images';
import { modelName } from '../../src/shared/contract';
import type { Ollama } from 'ollama';

const container = (over: Partial<ContainerSummary>): ContainerSummary => ({
  id: 'c1',
  name: 'ollama',
  image: 'docker.io/ollama/ollama:latest',
  imageId: 'i',
  command: '',
  state: 'running',
  created: 0,
  ports: [{ hostIp: '', hostPort: 21434, containerPort: 11434, protocol: 'tcp' }],
  labels: {},
  isInfra: false,
  networks: [],
  ...over,
});

describe('Ollama addresses', () => {
  it('reads OLLAMA_HOST in every form Ollama accepts', () => {
    expect(parseOllamaHost('0.0.0.0')).toBe('http://127.0.0.1:11434');
    expect(parseOllamaHost(':8080')).toBe('http://127.0.0.1:8080');
    expect(parseOllamaHost('box:1234')).toBe('http://box:1234');
    expect(parseOllamaHost('http://box')).toBe('http://box:80');
    expect(parseOllamaHost('https://ollama.example.com/')).toBe('https://ollama.example.com:443');
    expect(parseOllamaHost('[::]:11434')).toBe('http://[::1]:11434');
    expect(parseOllamaHost('ftp://x')).toBeNull();
    expect(parseOllamaHost('')).toBeNull();
  });

  it('orders candidates: setting, OLLAMA_HOST, the default, then Ollama containers (image or compose service)', () => {
    const candidates = ollamaCandidates('http://10.0.0.5:11434', { OLLAMA_HOST: ':9999' }, [
      container({}),
      container({
        id: 'c2',
        name: 'stack-llm-1',
        image: 'localhost/custom:1',
        service: 'ollama',
        ports: [{ hostIp: '127.0.0.1', hostPort: 31434, containerPort: 11434, protocol: 'tcp' }],
      }),
      container({
        id: 'c3',
        name: 'web',
        image: 'nginx',
        ports: [{ hostIp: '', hostPort: 8080, containerPort: 11434, protocol: 'tcp' }],
      }),
      container({ id: 'c4', name: 'stopped', state: 'exited' }),
    ]);
    expect(candidates.map((c) => [c.source, c.host])).toEqual([
      ['setting', 'http://10.0.0.5:11434'],
      ['environment', 'http://127.0.0.1:9999'],
      ['default', 'http://127.0.0.1:11434'],
      ['container', 'http://127.0.0.1:21434'],
      ['container', 'http://127.0.0.1:31434'],
    ]);
  });

  it('picks the first candidate in order that answers, and says why the others failed', async () => {
    const answering = new Set(['http://127.0.0.1:21434']);
    const fake = (host: string) =>
      ({
        version: async () => {
          if (!answering.has(host)) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
          return { version: '0.9.0' };
        },
        ps: async () => ({ models: [] }),
      }) as unknown as Ollama;
    let containers = [container({})];
    const endpoint = createOllamaEndpoint({ setting: () => null, env: {}, containers: () => containers, makeClient: fake });
    const status = await endpoint.refresh();
    expect(status).toMatchObject({
      state: 'reachable',
      version: '0.9.0',
      candidate: { source: 'container', label: 'Container ollama' },
    });
    expect(status.state === 'reachable' && status.tried.map((t) => t.error)).toEqual([
      'Ollama is not reachable at http://127.0.0.1:11434 (ECONNREFUSED)',
    ]);
    // The container goes: the endpoint looks again by itself.
    const seen: string[] = [];
    endpoint.watch((s) => seen.push(s.state));
    containers = [];
    endpoint.containersChanged();
    await new Promise((r) => setTimeout(r, 10));
    expect(seen.at(-1)).toBe('unreachable');
  });
});

describe('what the page learns of a server that is not Ollama', () => {
  it('its HTTP status at most: never its body, nor a parser quoting it', async () => {
    const bodies: Record<string, () => Promise<unknown>> = {
      'http://10.0.0.1:80': async () => {
        throw Object.assign(new Error('<html>admin panel: secret-token-123</html>'), {
          name: 'ResponseError',
          status_code: 404,
          error: '<html>admin panel: secret-token-123</html>',
        });
      },
      'http://10.0.0.2:80': async () => {
        throw Object.assign(new Error('internal: secret-token-456'), {
          name: 'ResponseError',
          status_code: 401,
          error: 'internal: secret-token-456',
        });
      },
      'http://10.0.0.3:80': async () => {
        JSON.parse('<!doctype html><p>secret-token-789</p>');
      },
      'http://10.0.0.4:80': async () => ({ notVersion: 'secret-token-000' }),
    };
    const fake = (host: string) =>
      ({
        version:
          bodies[host] ??
          (async () => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))),
        ps: async () => ({ models: [] }),
      }) as unknown as Ollama;
    let setting = 'http://10.0.0.1:80';
    const endpoint = createOllamaEndpoint({ setting: () => setting, env: {}, containers: () => [], makeClient: fake });
    const errors: string[] = [];
    for (const host of Object.keys(bodies)) {
      setting = host;
      const status = await endpoint.refresh();
      expect(status.state).toBe('unreachable');
      if (status.state === 'unreachable') errors.push(status.tried[0]!.error);
    }
    expect(errors).toEqual([
      'Something answers at http://10.0.0.1:80, but not as Ollama does (HTTP 404)',
      'Something answers at http://10.0.0.2:80, but not as Ollama does (HTTP 401)',
      'Something answers at http://10.0.0.3:80, but not as Ollama does',
      'Something answers at http://10.0.0.4:80, but not as Ollama does',
    ]);
    expect(errors.join()).not.toMatch(/secret/);
  });
});

describe('pull progress', () => {
  it('sums every layer, never goes back, measures speed on this pull only', () => {
    let now = 0;
    const tracker = createPullTracker(() => now);
    tracker.update({ status: 'pulling manifest' });
    tracker.update({ status: 'pulling aaa', digest: 'sha256:a', total: 1000, completed: 400 }); // resumed
    let p = tracker.update({ status: 'pulling bbb', digest: 'sha256:b', total: 500 });
    expect(p).toMatchObject({ completed: 400, total: 1500, layers: 2, bytesPerSecond: 0 });
    now = 1000;
    p = tracker.update({ status: 'pulling aaa', digest: 'sha256:a', total: 1000, completed: 900 });
    expect(p.completed).toBe(900);
    expect(p.bytesPerSecond).toBe(500);
    p = tracker.update({ status: 'pulling aaa', digest: 'sha256:a', total: 1000, completed: 800 });
    expect(p.completed).toBe(900);
    p = tracker.update({ status: 'success' });
    expect(p).toMatchObject({ done: true, completed: 1500, total: 1500 });
  });
});

describe('journal files', () => {
  it('keeps every complete line and drops a torn last line', () => {
    const text = '{"a":1}\n{"b":2}\n{"c":';
    const j = parseJournal<Record<string, number>>(text);
    expect(j.records).toEqual([{ a: 1 }, { b: 2 }]);
    expect(j).toMatchObject({ torn: true, skipped: 1, goodBytes: 16 });
    expect(parseJournal('{"a":1}\nnot json\n{"b":2}\n')).toMatchObject({
      records: [{ a: 1 }, { b: 2 }],
      skipped: 1,
      torn: false,
    });
  });
});

describe('input checks', () => {
  it('knows images by their bytes, not their names', () => {
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImage(Buffer.from('ffd8ffe000', 'hex'))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('RIFF0000WEBPVP8 '))).toBe('image/webp');
    expect(sniffImage(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffImage(Buffer.from('%PDF-1.7'))).toBeNull();
  });

  it('accepts model names as Ollama writes them and refuses the rest', () => {
    for (const ok of [
      'llama3.2',
      'llama3.2:3b',
      'qwen3:0.6b',
      'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
      'user/model:tag',
      'registry.local:5000/ns/m:v1',
    ])
      expect(modelName.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['', 'bad name', '../etc/passwd', 'a;rm -rf', 'model:', ':tag', 'a/../b', 'x'.repeat(400)])
      expect(modelName.safeParse(bad).success, bad).toBe(false);
  });
});
