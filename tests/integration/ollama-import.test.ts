import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/main/app';
import { downloadsFolder } from '../../src/main/host-files';
import type {
  ModelDetails,
  ModelExportPlan,
  ModelExportResult,
  ModelImportProgress,
  ModelSummary,
} from '../../src/shared/contract';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';
import { ggufShaped } from '../support/gguf';
import { waitFor } from '../support/podman';
import { chatApp, ok, openStream, settled } from '../support/ollama';

let server: OllamaTestServer;
let app: App;
let dir: string;
let modelsDir: string;
let downloads: string;
const bytes = ggufShaped(256 * 1024);
const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
let modelPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poddesk-gguf-'));
  modelsDir = join(dir, 'models');
  downloads = join(dir, 'downloads');
  await Promise.all([writeFile((modelPath = join(dir, 'tiny-test.gguf')), bytes), mkdir(downloads)]);
  server = await startOllamaServer({ modelsDir, tokensPerSecond: 0 });
  app = await chatApp(server.url, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, OLLAMA_MODELS: modelsDir },
    hostFiles: downloadsFolder(downloads),
  });
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

const requestsSince = (n: number) => server.requests.slice(n).map((r) => `${r.method} ${r.path}`);

async function runImport(input: unknown) {
  const stream = openStream<ModelImportProgress>(app, 'ollama.import', input);
  await waitFor(() => stream.ended() !== null, 'the import to end', 20_000);
  return { items: stream.items, error: stream.ended()!.error };
}

describe('importing a GGUF file', () => {
  it('hashes, uploads, creates: then the model is listed and answers a chat', async () => {
    const handle = app.hostPaths.issue(modelPath, 'model-file');
    const before = server.requests.length;
    const { items, error } = await runImport({
      name: 'tiny-test:q4',
      source: { kind: 'handle', handle: handle.handle },
      template: '{{ .System }} USER: {{ .Prompt }} ASSISTANT:',
      system: 'You are a tiny test model.',
      parameters: { temperature: 0.4, stop: ['USER:'] },
    });
    expect(error).toBeUndefined();
    const sequence = requestsSince(before).filter((r) => r.includes('/api/blobs') || r.includes('/api/create'));
    expect(sequence).toEqual([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`, 'POST /api/create']);
    const create = server.requests.filter((r) => r.path === '/api/create').at(-1)!.body;
    expect(create).toEqual({
      model: 'tiny-test:q4',
      files: { 'tiny-test.gguf': digest },
      template: '{{ .System }} USER: {{ .Prompt }} ASSISTANT:',
      system: 'You are a tiny test model.',
      parameters: { temperature: 0.4, stop: ['USER:'] },
      stream: true,
    });
    const phases = items.map((p) => p.phase);
    expect(phases[0]).toBe('hashing');
    expect(phases).toContain('uploading');
    expect(items.filter((p) => p.phase === 'creating').map((p) => (p as { status: string }).status)).toContain('parsing GGUF');
    expect(items.at(-1)).toEqual({ phase: 'done', name: 'tiny-test:q4', uploaded: true });
    const lastUpload = items.filter((p) => p.phase === 'uploading').at(-1) as { completed: number; total: number };
    expect(lastUpload).toEqual({ phase: 'uploading', completed: bytes.length, total: bytes.length });
    // The handle was used up.
    expect((await runImport({ name: 'again', source: { kind: 'handle', handle: handle.handle } })).error?.code).toBe('NOT_FOUND');

    const models = await ok<ModelSummary[]>(app.dispatcher.call('ollama.models', undefined));
    expect(models.map((m) => m.name)).toContain('tiny-test:q4');
    const details = await ok<ModelDetails>(app.dispatcher.call('ollama.show', { name: 'tiny-test:q4' }));
    expect(details.system).toBe('You are a tiny test model.');
    expect(details.parameters).toMatch(/^temperature\s+0\.4$/m);

    const conversation = await ok<{ id: string }>(app.dispatcher.call('chat.create', { model: 'tiny-test:q4' }));
    await ok(app.dispatcher.call('chat.send', { conversationId: conversation.id, content: 'hello' }));
    const reply = await settled(app, conversation.id);
    expect(reply.status).toBe('complete');
    expect(reply.content.length).toBeGreaterThan(0);
  });

  it('a file Ollama has already is not sent again', async () => {
    const handle = app.hostPaths.issue(modelPath, 'model-file');
    const before = server.requests.length;
    const { items, error } = await runImport({ name: 'tiny-again', source: { kind: 'handle', handle: handle.handle } });
    expect(error).toBeUndefined();
    expect(requestsSince(before).filter((r) => r.includes('/api/blobs') || r.includes('/api/create'))).toEqual([
      `HEAD /api/blobs/${digest}`,
      'POST /api/create',
    ]);
    expect(items.at(-1)).toEqual({ phase: 'done', name: 'tiny-again', uploaded: false });
  });

  it('a file that is not GGUF is refused before anything is sent, and says why', async () => {
    const notModel = join(dir, 'notes.gguf');
    await writeFile(notModel, 'These are my notes, not a model.\n');
    const handle = app.hostPaths.issue(notModel, 'model-file');
    const before = server.requests.length;
    const { error } = await runImport({ name: 'notes', source: { kind: 'handle', handle: handle.handle } });
    expect(error?.code).toBe('INVALID_INPUT');
    expect(error?.message).toMatch(/^notes\.gguf is not a GGUF model file/);
    expect(requestsSince(before).filter((r) => r.includes('/api/blobs') || r.includes('/api/create'))).toEqual([]);
    expect(server.installed()).not.toContain('notes:latest');
  });

  it('the browser host: the page sends the bytes twice; when they differ, Ollama answers 400 and the error says so', async () => {
    // Bytes Ollama does not have yet, so it asks for them.
    const first = ggufShaped(128 * 1024);
    const firstDigest = `sha256:${createHash('sha256').update(first).digest('hex')}`;
    const changed = Buffer.from(first);
    changed[1000] = changed[1000]! ^ 0xff;
    const stream = openStream<ModelImportProgress>(app, 'ollama.import', {
      name: 'changing',
      source: { kind: 'browser', fileName: 'changing.gguf', size: first.length },
    });
    const asked: string[] = [];
    const answers: Promise<unknown>[] = [];
    await waitFor(
      () => {
        for (const item of stream.items) {
          if (item.phase !== 'awaiting-file' || asked.includes(item.ticket)) continue;
          asked.push(item.ticket);
          const body = asked.length === 1 ? first : changed;
          answers.push(app.uploads.deliver(item.ticket, 0, Readable.from([body])).catch((e: unknown) => e));
        }
        return stream.ended() !== null;
      },
      'the import to end',
      20_000,
    );
    expect(asked).toHaveLength(2);
    const error = stream.ended()!.error!;
    expect(error.code).toBe('OLLAMA_ERROR');
    expect(error.message).toMatch(/file changed while it was being imported/);
    const blobPost = server.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/blobs/')).at(-1)!;
    expect(blobPost.path).toBe(`/api/blobs/${firstDigest}`);
    expect(server.blobs()).not.toContain(firstDigest);
    expect(server.installed()).not.toContain('changing:latest');
    await Promise.all(answers);
  });

  it('the test server answers blobs as Ollama does', async () => {
    const wrong = `sha256:${'0'.repeat(64)}`;
    const post = await fetch(`${server.url}/api/blobs/${wrong}`, { method: 'POST', body: 'abc' });
    expect(post.status).toBe(400);
    expect(await post.json()).toEqual({
      error: `digest mismatch, expected "${wrong}", got "sha256:${createHash('sha256').update('abc').digest('hex')}"`,
    });
    expect((await fetch(`${server.url}/api/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
    const bad = await fetch(`${server.url}/api/blobs/md5:abc`, { method: 'POST', body: 'abc' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid digest format' });
    const abc = `sha256:${createHash('sha256').update('abc').digest('hex')}`;
    expect((await fetch(`${server.url}/api/blobs/${abc}`, { method: 'POST', body: 'abc' })).status).toBe(201);
    expect((await fetch(`${server.url}/api/blobs/${abc}`, { method: 'HEAD' })).status).toBe(200);
    // A blob that is not GGUF: create fails mid-stream, as Ollama's does.
    const create = await fetch(`${server.url}/api/create`, {
      method: 'POST',
      body: JSON.stringify({ model: 'abc', files: { 'abc.gguf': abc } }),
    });
    const lines = (await create.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([{ status: 'parsing GGUF' }, { error: 'supplied file was not in GGUF format' }]);
  });
});

describe('exporting a model', () => {
  it('copies the GGUF weights and writes a Modelfile, for an Ollama on this computer', async () => {
    const plan = await ok<ModelExportPlan>(app.dispatcher.call('ollama.exportPlan', { name: 'tiny-test:q4' }));
    expect(plan).toEqual({ files: true, size: bytes.length, modelsDir });
    const result = await ok<ModelExportResult>(app.dispatcher.call('ollama.export', { name: 'tiny-test:q4' }));
    expect(result.savedTo).toBe(join(downloads, 'tiny-test-q4'));
    expect((await readdir(result.savedTo)).sort()).toEqual(['Modelfile', 'tiny-test-q4.gguf']);
    expect((await readFile(join(result.savedTo, 'tiny-test-q4.gguf'))).equals(bytes)).toBe(true);
    const modelfile = await readFile(join(result.savedTo, 'Modelfile'), 'utf8');
    expect(modelfile).toContain('FROM ./tiny-test-q4.gguf\n');
    expect(modelfile).toContain('TEMPLATE """{{ .System }} USER: {{ .Prompt }} ASSISTANT:"""\n');
    expect(modelfile).toContain('SYSTEM """You are a tiny test model."""\n');
    expect(modelfile).toContain('PARAMETER temperature 0.4\n');
    expect(modelfile).toContain('PARAMETER stop "USER:"\n');
  });

  it('where the files are not found, says so and offers the Modelfile only', async () => {
    const plan = await ok<ModelExportPlan>(app.dispatcher.call('ollama.exportPlan', { name: 'llama3.2' }));
    expect(plan.files).toBe(false);
    expect((plan as { reason: string }).reason).toMatch(/did not find llama3\.2:latest's files/);
    const refused = await app.dispatcher.call('ollama.export', { name: 'llama3.2' });
    expect(refused.ok).toBe(false);
    const only = await ok<ModelExportResult>(app.dispatcher.call('ollama.export', { name: 'llama3.2', modelfileOnly: true }));
    const text = await readFile(only.savedTo, 'utf8');
    expect(only.files).toEqual(['llama3.2.Modelfile']);
    expect(text).toContain('FROM llama3.2\n');
    expect(text).toMatch(/The weights are not included/);
  });
});
