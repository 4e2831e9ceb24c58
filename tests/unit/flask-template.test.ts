import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';

/**
 * The Flask template (resources/templates/flask-chat) is the example learners copy: its app.py
 * runs here for real, under Debian's python3-flask, python3-requests and gunicorn (as its
 * Containerfile runs it), against the test Ollama server. The Containerfile itself is not built:
 * no Python base image is available offline.
 */
const TEMPLATE = join(process.cwd(), 'resources/templates/flask-chat');
const ready =
  spawnSync('python3', ['-c', 'import flask, requests']).status === 0 && spawnSync('gunicorn', ['--version']).status === 0;
const REPLY = 'Hello from the model, streamed.';

let ollama: OllamaTestServer;
const apps: ChildProcess[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Starts app.py under gunicorn with OLLAMA_URL, and waits for /healthz. */
async function startApp(ollamaUrl: string): Promise<string> {
  const port = await freePort();
  const child = spawn('gunicorn', ['--bind', `127.0.0.1:${port}`, '--threads', '4', '--timeout', '0', 'app:app'], {
    cwd: TEMPLATE,
    env: { ...process.env, OLLAMA_URL: ollamaUrl, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: 'ignore',
  });
  apps.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The Flask app did not start');
}

const ndjson = async (response: Response) =>
  (await response.text())
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  if (!ready) return;
  ollama = await startOllamaServer({ tokensPerSecond: 0, pullMs: 300 });
  ollama.setReply(() => ({ content: REPLY }));
});
afterAll(async () => {
  for (const child of apps) child.kill('SIGTERM');
  await ollama?.close();
});

describe.runIf(ready)('the Flask template under gunicorn', { timeout: 60_000 }, () => {
  let app: string;
  beforeAll(async () => {
    app = await startApp(ollama.url);
  }, 60_000);

  it('loads its page', async () => {
    const page = await fetch(`${app}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  });

  it('lists the models Ollama has', async () => {
    const body = (await (await fetch(`${app}/api/models`)).json()) as { models: string[] };
    expect(body.models).toEqual(expect.arrayContaining(ollama.installed()));
  });

  it('streams a chat, one token per line, then done', async () => {
    const response = await fetch(`${app}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2:latest', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    const lines = await ndjson(response);
    expect(lines.filter((l) => 'token' in l).length).toBeGreaterThan(1);
    expect(lines.map((l) => l.token ?? '').join('')).toBe(REPLY);
    expect(lines.at(-1)).toEqual({ done: true });
  });

  it('says plainly when the model is not pulled', async () => {
    const response = await fetch(`${app}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'nope:latest', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect((await ndjson(response)).at(-1)!.error).toMatch(/not found/);
  });

  it('pulls a model and reports its progress', async () => {
    const response = await fetch(`${app}/api/pull`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'smollm2:135m' }),
    });
    const lines = await ndjson(response);
    expect(lines.some((l) => typeof l.completed === 'number' && typeof l.total === 'number')).toBe(true);
    expect(lines.at(-1)).toEqual({ status: 'success' });
    expect(ollama.installed()).toContain('smollm2:135m');
  });
});

describe.runIf(ready)('the Flask template with Ollama unreachable', { timeout: 60_000 }, () => {
  let app: string;
  beforeAll(async () => {
    app = await startApp('http://127.0.0.1:1');
  }, 60_000);

  it('gives its clear error for the models, a chat and a pull', async () => {
    const models = await fetch(`${app}/api/models`);
    expect(models.status).toBe(502);
    expect(((await models.json()) as { error: string }).error).toMatch(/^Ollama is not reachable at http:\/\/127\.0\.0\.1:1/);
    const chat = await fetch(`${app}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect((await ndjson(chat)).at(-1)!.error).toMatch(/^Ollama is not reachable at/);
    const pull = await fetch(`${app}/api/pull`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect((await ndjson(pull)).at(-1)!.error).toMatch(/^Ollama is not reachable at/);
  });
});

it('says why the template was not run', () => {
  if (!ready) console.warn('python3-flask, python3-requests or gunicorn is missing: the Flask template was not run');
  expect(typeof ready).toBe('boolean');
});
