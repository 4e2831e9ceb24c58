import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMessages, chatRequest } from '../../src/shared/chat-request';
import { ollamaBaseUrl, pythonLiteral, snippet } from '../../src/shared/code-snippets';
import type { ChatMessage } from '../../src/shared/contract';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';

const run = promisify(execFile);
const REPLY = 'It\'s blue because air scatters "short" light — \\ more than red.';
const hasPython = spawnSync('python3', ['-c', 'import requests']).status === 0;

let server: OllamaTestServer;
let dir: string;

beforeAll(async () => {
  server = await startOllamaServer({ tokensPerSecond: 0 });
  server.setReply(() => ({ content: REPLY }));
  dir = await mkdtemp(join(tmpdir(), 'poddesk-snippets-'));
});
afterAll(() => server.close());

const message = (id: string, parentId: string | null, role: ChatMessage['role'], content: string): ChatMessage => ({
  id,
  parentId,
  role,
  content,
  createdAt: 0,
  status: 'complete',
});

/** The chat's own request: a system prompt, a branch with quotes and newlines, options. */
async function theChatsRequest() {
  const branch = [
    message('a', null, 'user', 'What\'s in a "name"?\nTell me, it\'s $HOME `now`.'),
    message('b', 'a', 'assistant', 'A rose.'),
    message('c', 'b', 'assistant', ''),
    message('d', 'b', 'user', 'And why is the sky blue?'),
  ];
  const messages = await apiMessages("You're terse.", branch, () => undefined);
  return chatRequest(
    { model: 'llama3.2:latest', params: { temperature: 0.2, seed: 7, keep_alive: '5m' }, think: null },
    messages,
  );
}

describe('the request the chat sends', () => {
  it('has the system prompt, the branch without empty replies, options and keep_alive', async () => {
    const request = await theChatsRequest();
    expect(request).toEqual({
      model: 'llama3.2:latest',
      stream: true,
      options: { temperature: 0.2, seed: 7 },
      keep_alive: '5m',
      messages: [
        { role: 'system', content: "You're terse." },
        { role: 'user', content: 'What\'s in a "name"?\nTell me, it\'s $HOME `now`.' },
        { role: 'assistant', content: 'A rose.' },
        { role: 'user', content: 'And why is the sky blue?' },
      ],
    });
  });
});

describe('where the code runs', () => {
  it('is localhost on this computer, the service name on the stack network, host.containers.internal elsewhere', () => {
    expect(ollamaBaseUrl('http://127.0.0.1:11500', 'computer')).toBe('http://localhost:11500');
    expect(ollamaBaseUrl('http://127.0.0.1:11500', 'stack')).toBe('http://ollama:11434');
    expect(ollamaBaseUrl('http://localhost:11500/', 'container')).toBe('http://host.containers.internal:11500');
    // Ollama on another machine is reached at its own address from anywhere.
    expect(ollamaBaseUrl('https://gpu.example.org:8443', 'container')).toBe('https://gpu.example.org:8443');
    expect(ollamaBaseUrl('not a url', 'computer')).toBe('http://localhost:11434');
  });

  it('writes Python literals Python reads back as the same JSON', () => {
    expect(pythonLiteral({ a: true, b: false, c: null, d: [1, 'x"y'], e: {} })).toBe(
      '{\n    "a": True,\n    "b": False,\n    "c": None,\n    "d": [\n        1,\n        "x\\"y",\n    ],\n    "e": {},\n}',
    );
  });
});

/** Each snippet, run for real against the test Ollama server, prints the streamed reply and sends the chat's request. */
describe('the snippets run', { timeout: 60_000 }, () => {
  const sentBody = () => server.requests.filter((r) => r.path === '/api/chat').at(-1)?.body;

  it('curl', async () => {
    const request = await theChatsRequest();
    const code = snippet('curl', request, server.url);
    const { stdout } = await run('bash', ['-c', code], { timeout: 20_000 });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message?: { content: string }; done: boolean });
    expect(lines.map((l) => l.message?.content ?? '').join('')).toBe(REPLY);
    expect(lines.at(-1)?.done).toBe(true);
    expect(sentBody()).toEqual(request);
  });

  it('JavaScript fetch with a reader (node)', async () => {
    const request = await theChatsRequest();
    const file = join(dir, 'chat.mjs');
    await writeFile(file, snippet('javascript', request, server.url));
    const { stdout } = await run(process.execPath, [file], { timeout: 20_000 });
    expect(stdout).toBe(`${REPLY}\n`);
    expect(sentBody()).toEqual(request);
  });

  it.runIf(hasPython)('Python requests with iter_lines', async () => {
    const request = await theChatsRequest();
    const file = join(dir, 'chat.py');
    await writeFile(file, snippet('python-requests', request, server.url));
    const { stdout } = await run('python3', [file], { timeout: 20_000 });
    expect(stdout).toBe(`${REPLY}\n`);
    expect(sentBody()).toEqual(request);
  });

  it.runIf(hasPython)('Python requests reports an Ollama error in plain words', async () => {
    const request = { ...(await theChatsRequest()), model: 'no-such-model:latest' };
    const file = join(dir, 'missing.py');
    await writeFile(file, snippet('python-requests', request, server.url));
    const failed = await run('python3', [file], { timeout: 20_000 }).then(
      () => null,
      (e: { stderr: string; code: number }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/Ollama answered 404: .*not found/);
  });

  it.runIf(hasPython)('Python ollama package snippet compiles (the package is not installed in tests)', async () => {
    const file = join(dir, 'chat_ollama.py');
    await writeFile(file, snippet('python-ollama', await theChatsRequest(), server.url));
    await run('python3', ['-m', 'py_compile', file], { timeout: 20_000 });
  });

  it('says why the Python tests did not run', () => {
    if (!hasPython)
      console.warn('python3 with requests is missing: the Python snippets were not run (apt install python3-requests)');
    expect(true).toBe(true);
  });
});
