import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Preset } from '../../src/shared/contract';
import { chatApp, ok } from '../support/ollama';

/** Presets through the app's calls: the built-in starting points and the user's own, kept on disk. */
const apps: Awaited<ReturnType<typeof chatApp>>[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.close();
    // The app may still be writing its first files (the built-in stacks): retry.
    await rm(app.dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
});

async function open(dataDir?: string) {
  const app = await chatApp(null, dataDir ? { dataDir } : {});
  if (!dataDir) apps.push(app);
  return app;
}

describe('chat presets', () => {
  it('offers built-in presets and keeps the user’s own across restarts, replaced by id', async () => {
    const app = await open();
    const builtIn = await ok<Preset[]>(app.dispatcher.call('chat.presets', undefined));
    expect(builtIn.map((p) => [p.id, p.builtIn])).toEqual([
      ['balanced', true],
      ['precise', true],
      ['creative', true],
      ['coder', true],
    ]);
    expect(builtIn.find((p) => p.id === 'coder')!.system).toMatch(/programming assistant/);

    const mine = {
      id: 'user-terse',
      name: 'Terse',
      system: 'Answer in one sentence.',
      params: { temperature: 0.1, num_ctx: 8192 },
    };
    await ok(app.dispatcher.call('chat.savePreset', mine));
    const changed = { ...mine, params: { temperature: 0.3, keep_alive: '1h' } };
    const saved = await ok<Preset[]>(app.dispatcher.call('chat.savePreset', changed));
    expect(saved.filter((p) => !p.builtIn)).toEqual([{ ...changed, builtIn: false }]);

    const again = await chatApp(null, { dataDir: app.dataDir });
    try {
      const reopened = await ok<Preset[]>(again.dispatcher.call('chat.presets', undefined));
      expect(reopened.at(-1)).toEqual({ ...changed, builtIn: false });
      const left = await ok<Preset[]>(again.dispatcher.call('chat.deletePreset', { id: 'user-terse' }));
      expect(left.map((p) => p.id)).toEqual(['balanced', 'precise', 'creative', 'coder']);
    } finally {
      await again.close();
    }
  });

  it('refuses bad presets and leaves the built-in ones alone, with clear errors', async () => {
    const app = await open();
    const call = (name: string, input: unknown) => app.dispatcher.call(name as 'chat.savePreset', input as never);
    expect(await call('chat.savePreset', { id: 'x', name: 'Hot', system: '', params: { temperature: 5 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await call('chat.savePreset', { id: 'x', name: '  ', system: '', params: {} })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('A preset needs a name') },
    });
    expect(await call('chat.savePreset', { id: 'x', name: 'Odd', system: '', params: { mirostat: 2 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await call('chat.savePreset', { id: 'x', name: 'Slow', system: '', params: { keep_alive: 'forever' } })).toMatchObject(
      {
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('keep_alive is a duration') },
      },
    );
    expect(await call('chat.savePreset', { id: 'precise', name: 'Mine now', system: '', params: {} })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Built-in presets cannot be changed' },
    });
    expect(await call('chat.deletePreset', { id: 'coder' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'Built-in presets cannot be deleted' },
    });
    expect(await call('chat.deletePreset', { id: 'nobody' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Nothing was written by any of these.
    expect((await ok<Preset[]>(app.dispatcher.call('chat.presets', undefined))).filter((p) => !p.builtIn)).toEqual([]);
  });

  it('a damaged presets file costs only the entries that do not parse', async () => {
    const app = await open();
    await writeFile(
      join(app.dataDir, 'chat', 'presets.json'),
      JSON.stringify([
        { id: 'user-ok', name: 'Fine', system: '', params: { top_k: 20 } },
        { id: 'user-bad', name: 'Broken', system: '', params: { top_k: 'many' } },
        'not a preset',
      ]),
    );
    const presets = await ok<Preset[]>(app.dispatcher.call('chat.presets', undefined));
    expect(presets.filter((p) => !p.builtIn).map((p) => p.id)).toEqual(['user-ok']);
    await writeFile(join(app.dataDir, 'chat', 'presets.json'), '{"truncated": ');
    expect(await ok<Preset[]>(app.dispatcher.call('chat.presets', undefined))).toHaveLength(4);
  });
});
