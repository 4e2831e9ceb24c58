import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/main/app';
import type { ChatEvent, ChatMessage, Conversation, ModelDetails, ModelSummary, OllamaStatus } from '../../src/shared/contract';
import { startOllamaServer, type OllamaTestServer } from '../fixtures/ollama-server/server';
import { codeReply, tokenize } from '../fixtures/ollama-server/replies';
import { waitFor } from '../support/podman';
import { chatApp, conversation, deltas, ok, openStream, settled } from '../support/ollama';

let server: OllamaTestServer;
let app: App;

beforeAll(async () => {
  server = await startOllamaServer({ tokensPerSecond: 0 });
  app = await chatApp(server.url);
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

const newConversation = (model = 'llama3.2:latest', extra: Record<string, unknown> = {}) =>
  ok<Conversation>(app.dispatcher.call('chat.create', { model, ...extra }));

describe('Ollama through the app, against the Ollama-compatible test server', () => {
  it('finds the server from the setting and reports its version and loaded models', async () => {
    const status = await ok<OllamaStatus>(app.dispatcher.call('ollama.status', undefined));
    expect(status.state).toBe('reachable');
    if (status.state !== 'reachable') return;
    expect(status.candidate).toMatchObject({ host: server.url, source: 'setting' });
    expect(status.version).toBe('0.12.6');
    expect(Array.isArray(status.loaded)).toBe(true);
  });

  it('lists models with their facts and shows details with capabilities and context length', async () => {
    const models = await ok<ModelSummary[]>(app.dispatcher.call('ollama.models', undefined));
    const llava = models.find((m) => m.name === 'llava:7b')!;
    expect(llava).toMatchObject({ details: { family: 'llama', parameterSize: '7B', quantization: 'Q4_0', format: 'gguf' } });
    expect(llava.size).toBeGreaterThan(4_000_000_000);
    expect(Date.parse(llava.modifiedAt)).toBeGreaterThan(0);
    const qwen = await ok<ModelDetails>(app.dispatcher.call('ollama.show', { name: 'qwen3:0.6b' }));
    expect(qwen.capabilities).toEqual(expect.arrayContaining(['completion', 'thinking']));
    expect(qwen.contextLength).toBe(40960);
    expect(qwen.template).toContain('im_start');
    expect(qwen.license).toContain('Apache');
    const missing = await app.dispatcher.call('ollama.show', { name: 'nope:1b' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('streams a reply end to end: deltas, the saved message, tokens/s and time to first token', async () => {
    const c = await newConversation();
    const watch = openStream<ChatEvent>(app, 'chat.watch', { id: c.id });
    const sent = await ok<{ userMessage: ChatMessage; assistantMessage: ChatMessage }>(
      app.dispatcher.call('chat.send', { conversationId: c.id, content: 'Show me some code please' }),
    );
    expect(sent.assistantMessage.status).toBe('streaming');
    const reply = await settled(app, c.id);
    expect(reply.status).toBe('complete');
    expect(reply.content).toBe(codeReply);
    expect(reply.stats?.evalCount).toBe(tokenize(codeReply).length);
    expect(reply.stats?.tokensPerSecond).toBeGreaterThan(0);
    expect(reply.stats?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(reply.stats?.doneReason).toBe('stop');
    await waitFor(
      () => watch.items.some((e) => e.type === 'message' && e.message.id === reply.id && e.message.status === 'complete'),
      'the final event',
    );
    expect(watch.items[0]?.type).toBe('snapshot');
    expect(deltas(watch.items)).toBe(codeReply);
    watch.closeAll();
    // The conversation took its title from the first message, and the sidebar knows.
    const list = await ok<{ id: string; title: string; messageCount: number }[]>(app.dispatcher.call('chat.list', undefined));
    expect(list.find((s) => s.id === c.id)).toMatchObject({ title: 'Show me some code please', messageCount: 2 });
    // What Ollama received: the model, the branch, stream on.
    const request = server.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as Record<string, unknown>;
    expect(request).toMatchObject({
      model: 'llama3.2:latest',
      stream: true,
      messages: [{ role: 'user', content: 'Show me some code please' }],
    });
  });

  it('sends the system prompt, the parameters and keep_alive with every request', async () => {
    const c = await newConversation('llama3.2:latest', {
      system: 'Answer in French.',
      params: { temperature: 0.3, num_ctx: 8192, seed: 7, keep_alive: '10m' },
    });
    await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'hi' }));
    await settled(app, c.id);
    const body = server.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'hi' },
      ],
      options: { temperature: 0.3, num_ctx: 8192, seed: 7 },
      keep_alive: '10m',
    });
  });

  it('streams thinking separately and measures how long the model thought', async () => {
    const c = await newConversation('qwen3:0.6b', { think: true });
    await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'why is the sky blue' }));
    const reply = await settled(app, c.id);
    expect(reply.thinking).toContain('step by step');
    expect(reply.content).toContain('You said: why is the sky blue');
    expect(reply.thinkingMs).toBeGreaterThanOrEqual(0);
    const body = server.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as Record<string, unknown>;
    expect(body.think).toBe(true);
  });

  it('Stop aborts the HTTP request (the server sees the connection close) and keeps what arrived', async () => {
    server.setTokensPerSecond(40);
    try {
      const c = await newConversation();
      const watch = openStream<ChatEvent>(app, 'chat.watch', { id: c.id });
      const since = Date.now();
      await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'write something long' }));
      await waitFor(() => deltas(watch.items).length > 20, 'some tokens');
      expect(server.openStreams()).toBe(1);
      await ok(app.dispatcher.call('chat.stop', { conversationId: c.id }));
      const gone = await server.waitForDisconnect(since);
      expect(gone.path).toBe('/api/chat');
      await waitFor(() => server.openStreams() === 0, 'the server to see no open stream');
      const reply = await settled(app, c.id);
      expect(reply.status).toBe('stopped');
      expect(reply.content.length).toBeGreaterThan(20);
      expect(reply.stats?.evalCount).toBeUndefined();
      watch.closeAll();
    } finally {
      server.setTokensPerSecond(0);
    }
  });

  it('Stop while the model is still loading (no byte answered yet) closes the request too', async () => {
    server.unloadAll();
    server.setLoadMs(60_000);
    try {
      const c = await newConversation();
      const since = Date.now();
      const requests = server.requests.length;
      await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'hello while loading' }));
      await waitFor(() => server.requests.slice(requests).some((r) => r.path === '/api/chat'), 'the request to reach Ollama');
      const streaming = await conversation(app, c.id);
      expect(streaming.streaming).toBe(true);
      await ok(app.dispatcher.call('chat.stop', { conversationId: c.id }));
      const gone = await server.waitForDisconnect(since);
      expect(gone).toMatchObject({ path: '/api/chat', linesSent: 0 });
      const reply = await settled(app, c.id);
      expect(reply).toMatchObject({ status: 'stopped', content: '' });
      expect((await conversation(app, c.id)).streaming).toBe(false);
    } finally {
      server.setLoadMs(0);
    }
  });

  it('a model that is not installed ends in an error in the conversation, with the code to offer a pull', async () => {
    const c = await newConversation('mistral:7b');
    await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'hello' }));
    const reply = await settled(app, c.id);
    expect(reply.status).toBe('error');
    expect(reply.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(reply.error?.message).toMatch(/not found, try pulling it first/);
  });

  it('an error line in the middle of the stream keeps the text so far and records the error', async () => {
    server.setReply(() => ({
      content: 'one two three four five six seven eight',
      errorAfter: 4,
      error: 'model runner has unexpectedly stopped',
    }));
    try {
      const c = await newConversation();
      await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'hello' }));
      const reply = await settled(app, c.id);
      expect(reply.status).toBe('error');
      expect(reply.content).toBe('one two three four');
      expect(reply.error).toMatchObject({ code: 'OLLAMA_ERROR', message: 'model runner has unexpectedly stopped' });
      // Retry: a new reply to the same message, the failed one kept as another branch.
      server.setReply(null);
      const retry = await ok<ChatMessage>(app.dispatcher.call('chat.regenerate', { conversationId: c.id, messageId: reply.id }));
      expect(retry.parentId).toBe(reply.parentId);
      const again = await settled(app, c.id);
      expect(again.status).toBe('complete');
    } finally {
      server.setReply(null);
    }
  });

  it('a server that dies mid-stream: the partial reply is kept and marked, the status turns unreachable', async () => {
    const dying = await startOllamaServer({ tokensPerSecond: 0 });
    const other = await chatApp(dying.url);
    try {
      dying.setReply(() => ({ content: 'alpha beta gamma delta epsilon zeta eta theta', dieAfter: 3 }));
      const c = await ok<Conversation>(other.dispatcher.call('chat.create', { model: 'llama3.2:latest' }));
      await ok(other.dispatcher.call('chat.send', { conversationId: c.id, content: 'go' }));
      const reply = await settled(other, c.id);
      expect(reply.status).toBe('error');
      expect(reply.content).toBe('alpha beta gamma');
      expect(reply.error?.code).toBe('OLLAMA_UNAVAILABLE');
      await dying.kill();
      const status = await ok<OllamaStatus>(other.dispatcher.call('ollama.retry', undefined));
      expect(status.state).toBe('unreachable');
      const next = await ok<Conversation>(other.dispatcher.call('chat.create', { model: 'llama3.2:latest' }));
      await ok(other.dispatcher.call('chat.send', { conversationId: next.id, content: 'anyone there?' }));
      const failed = await settled(other, next.id);
      expect(failed).toMatchObject({ status: 'error', error: { code: 'OLLAMA_UNAVAILABLE' } });
    } finally {
      await other.close();
      await dying.close();
    }
  });

  it('a stream that ends without its final line is an error, not a finished reply', async () => {
    server.setReply(() => ({ content: 'one two three four five six', endAfter: 3 }));
    try {
      const c = await newConversation();
      await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'go' }));
      const reply = await settled(app, c.id);
      expect(reply).toMatchObject({
        status: 'error',
        content: 'one two three',
        error: { message: expect.stringContaining('ended before the reply was complete') },
      });
    } finally {
      server.setReply(null);
    }
  });

  it('edit & resend keeps the old branch and can switch back to it', async () => {
    const c = await newConversation();
    await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'first version' }));
    await settled(app, c.id);
    const before = await ok<Conversation>(app.dispatcher.call('chat.get', { id: c.id }));
    const original = before.messages.find((m) => m.role === 'user')!;
    await ok(app.dispatcher.call('chat.send', { conversationId: c.id, content: 'second version', parentId: original.parentId }));
    await settled(app, c.id);
    const after = await ok<Conversation>(app.dispatcher.call('chat.get', { id: c.id }));
    const users = after.messages.filter((m) => m.role === 'user');
    expect(users.map((m) => m.content)).toEqual(['first version', 'second version']);
    expect(users[1]!.parentId).toBe(original.parentId);
    const leaf = after.messages.find((m) => m.id === after.leafId)!;
    expect(leaf.content).toContain('second version');
    await ok(app.dispatcher.call('chat.switchBranch', { conversationId: c.id, messageId: original.id }));
    const switched = await ok<Conversation>(app.dispatcher.call('chat.get', { id: c.id }));
    expect(switched.messages.find((m) => m.id === switched.leafId)!.content).toContain('first version');
  });

  it('sends attached images to vision models as base64 and refuses files that are not images', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const c = await newConversation('llava:7b');
    await ok(
      app.dispatcher.call('chat.send', {
        conversationId: c.id,
        content: 'what is this?',
        images: [{ name: 'dot.png', mime: 'image/png', data: png.toString('base64') }],
      }),
    );
    const reply = await settled(app, c.id);
    expect(reply.content).toContain('I see 1 image');
    const body = server.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: { images?: string[] }[] };
    expect(body.messages.at(-1)!.images).toEqual([png.toString('base64')]);
    const saved = await ok<Conversation>(app.dispatcher.call('chat.get', { id: c.id }));
    const ref = saved.messages.find((m) => m.role === 'user')!.images![0]!;
    expect(ref).toMatchObject({ mime: 'image/png', name: 'dot.png', size: png.length });
    const image = await ok<{ mime: string; data: string }>(
      app.dispatcher.call('chat.image', { conversationId: c.id, id: ref.id }),
    );
    expect(image.data).toBe(png.toString('base64'));

    const bad = await app.dispatcher.call('chat.send', {
      conversationId: c.id,
      content: 'and this?',
      images: [{ name: 'notes.png', mime: 'image/png', data: Buffer.from('just some text').toString('base64') }],
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'notes.png is not an image (PNG, JPEG, WebP or GIF)' },
    });
    const unchanged = await ok<Conversation>(app.dispatcher.call('chat.get', { id: c.id }));
    expect(unchanged.messages).toHaveLength(2);
  });

  it('refuses bad input with clear errors and creates nothing', async () => {
    const c = await newConversation();
    const empty = await app.dispatcher.call('chat.send', { conversationId: c.id, content: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!empty.ok && empty.error.message).toMatch(/The message is empty/);
    const huge = await app.dispatcher.call('chat.send', { conversationId: c.id, content: 'x'.repeat(1024 * 1024) });
    expect(!huge.ok && huge.error.message).toMatch(/at most 500,000 characters; this one has 1,048,576/);
    const badModel = await app.dispatcher.call('chat.create', { model: 'llama3; rm -rf /' });
    expect(!badModel.ok && badModel.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(!badModel.ok && badModel.error.message).toMatch(/Not a model name/);
    const badPull = await app.dispatcher.call('ollama.show', { name: '../../etc/passwd' });
    expect(!badPull.ok && badPull.error.code).toBe('INVALID_INPUT');
    const noModel = await ok<Conversation>(app.dispatcher.call('chat.create', {}));
    const refused = await app.dispatcher.call('chat.send', { conversationId: noModel.id, content: 'hi' });
    expect(!refused.ok && refused.error.message).toMatch(/Choose a model/);
    const after = await ok<Conversation>(app.dispatcher.call('chat.get', { id: c.id }));
    expect(after.messages).toHaveLength(0);
  });

  it('copies, renames, unloads and deletes models', async () => {
    await ok(app.dispatcher.call('ollama.copy', { source: 'llama3.2', destination: 'my-llama:v1' }));
    await ok(app.dispatcher.call('ollama.rename', { source: 'my-llama:v1', destination: 'my-llama:v2' }));
    let names = (await ok<ModelSummary[]>(app.dispatcher.call('ollama.models', undefined))).map((m) => m.name);
    expect(names).toContain('my-llama:v2');
    expect(names).not.toContain('my-llama:v1');
    const clash = await app.dispatcher.call('ollama.rename', { source: 'my-llama:v2', destination: 'llava:7b' });
    expect(!clash.ok && clash.error.code).toBe('CONFLICT');
    await ok(app.dispatcher.call('ollama.delete', { name: 'my-llama:v2' }));
    names = (await ok<ModelSummary[]>(app.dispatcher.call('ollama.models', undefined))).map((m) => m.name);
    expect(names).not.toContain('my-llama:v2');
    const gone = await app.dispatcher.call('ollama.delete', { name: 'my-llama:v2' });
    expect(!gone.ok && gone.error.code).toBe('NOT_FOUND');

    const running = await ok<{ name: string }[]>(app.dispatcher.call('ollama.running', undefined));
    expect(running.map((m) => m.name)).toContain('llama3.2:latest');
    await ok(app.dispatcher.call('ollama.unload', { name: 'llama3.2:latest' }));
    const after = await ok<{ name: string }[]>(app.dispatcher.call('ollama.running', undefined));
    expect(after.map((m) => m.name)).not.toContain('llama3.2:latest');
  });
});
