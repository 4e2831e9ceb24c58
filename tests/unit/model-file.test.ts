import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importModel, type ModelFileSource } from '../../src/main/ollama/import';
import { startOllamaServer } from '../fixtures/ollama-server/server';
import { ggufShaped } from '../support/gguf';
import { buildModelfile, exportBaseName, findLocalModel, manifestPath, modelsDirs } from '../../src/main/ollama/export';
import { modelImportInput, type ModelDetails } from '../../src/shared/contract';
import { ggufEntryName, isGguf, notGgufMessage, parametersFrom } from '../../src/shared/model-file';
import { modelNameProblem } from '../../src/shared/model-name';
import { suggestedModelName } from '../../src/renderer/src/pages/models/ImportModelDialog';

describe('model names for an import', () => {
  it.each(['tiny', 'tiny:q4', 'me/tiny:latest', 'registry.example.com:5000/me/tiny:1.0', 'llama3.2', 'a_b-c.d'])(
    'takes %s',
    (name) => {
      expect(modelNameProblem(name)).toBeNull();
      expect(modelImportInput.shape.name.safeParse(name).success).toBe(true);
    },
  );
  it.each([
    ['', /required/],
    ['Tiny E2E', /no spaces/],
    ['-tiny', /Not a model name/],
    ['a/../b', /Not a model name/],
    ['tiny..x', /"\.\." is not allowed/],
    ['a/b/c/d/e', /Not a model name/],
    ['tiny:', /Not a model name/],
    ['x'.repeat(351), /at most 350/],
  ])('refuses %j, saying why', (name, why) => {
    expect(modelNameProblem(name)).toMatch(why);
    expect(modelImportInput.shape.name.safeParse(name).success).toBe(false);
  });
  it('suggests a name from the file name that Ollama takes', () => {
    expect(suggestedModelName('Llama-3.2-1B-Instruct-Q4_K_M.gguf')).toBe('llama-3.2-1b-instruct-q4_k_m');
    expect(suggestedModelName('my model (final).GGUF')).toBe('my-model-final');
    expect(modelNameProblem(suggestedModelName('__weird..name.gguf'))).toBeNull();
  });
});

describe('the GGUF magic', () => {
  it('is the four bytes "GGUF"', () => {
    expect(isGguf(Buffer.from('GGUF\x03\x00\x00\x00'))).toBe(true);
    expect(isGguf(Buffer.from('GGU'))).toBe(false);
    expect(isGguf(Buffer.from('ggml1234'))).toBe(false);
    expect(isGguf(Buffer.from('PK\x03\x04'))).toBe(false);
    expect(isGguf(new Uint8Array())).toBe(false);
    expect(notGgufMessage('notes.txt')).toMatch(/^notes\.txt is not a GGUF model file/);
  });
  it('names the file in /api/create after the file when it is a plain .gguf name', () => {
    expect(ggufEntryName('Tiny-Q4.gguf')).toBe('Tiny-Q4.gguf');
    expect(ggufEntryName('/home/me/Tiny.gguf')).toBe('Tiny.gguf');
    expect(ggufEntryName('weights.bin')).toBe('model.gguf');
    expect(ggufEntryName('my model.gguf')).toBe('model.gguf');
  });
});

describe('parameters', () => {
  it('become numbers, and stop a list', () => {
    expect(
      parametersFrom([
        { key: 'temperature', value: '0.7' },
        { key: 'stop', value: '<|eot|>' },
        { key: 'stop', value: 'USER:' },
        { key: '', value: '' },
      ]),
    ).toEqual({ value: { temperature: 0.7, stop: ['<|eot|>', 'USER:'] } });
  });
  it('say what is wrong', () => {
    expect(parametersFrom([{ key: 'temprature', value: '1' }])).toEqual({
      error: expect.stringMatching(/"temprature" is not a parameter/),
    });
    expect(parametersFrom([{ key: 'num_ctx', value: 'big' }])).toEqual({ error: 'num_ctx is a number (as in 4096), not "big"' });
    expect(parametersFrom([{ key: 'top_k', value: '' }])).toEqual({ error: 'top_k needs a value' });
    expect(
      parametersFrom([
        { key: 'seed', value: '1' },
        { key: 'seed', value: '2' },
      ]),
    ).toEqual({ error: 'seed is set twice' });
  });
});

describe('export', () => {
  it('finds manifests where Ollama keeps them', () => {
    expect(manifestPath('/m', 'llama3.2')).toBe('/m/manifests/registry.ollama.ai/library/llama3.2/latest');
    expect(manifestPath('/m', 'me/tiny:q4')).toBe('/m/manifests/registry.ollama.ai/me/tiny/q4');
    expect(manifestPath('/m', 'host:5000/me/tiny:q4')).toBe('/m/manifests/host:5000/me/tiny/q4');
    expect(modelsDirs({ OLLAMA_MODELS: '/data/models' }, '/home/u')).toEqual(['/data/models']);
    expect(modelsDirs({}, '/home/u', 'linux')).toEqual(['/home/u/.ollama/models', '/usr/share/ollama/.ollama/models']);
    expect(exportBaseName('me/tiny:q4')).toBe('me-tiny-q4');
    expect(exportBaseName('tiny:latest')).toBe('tiny');
  });
  it('says plainly when the files are in a container or on another machine', async () => {
    const inContainer = await findLocalModel(
      'tiny',
      'abc',
      { host: 'http://127.0.0.1:11434', source: 'container', label: 'container ollama (port 11434)' },
      ['/nowhere'],
    );
    expect(inContainer).toEqual({ reason: expect.stringMatching(/^Ollama runs in a container here \(container ollama/) });
    const remote = await findLocalModel(
      'tiny',
      'abc',
      { host: 'http://192.168.1.20:11434', source: 'setting', label: 'setting' },
      ['/nowhere'],
    );
    expect(remote).toEqual({
      reason: expect.stringMatching(/^Ollama runs on another machine \(http:\/\/192\.168\.1\.20:11434\)/),
    });
    const missing = await findLocalModel('tiny', 'abc', { host: 'http://localhost:11434', source: 'default', label: 'default' }, [
      '/nowhere',
    ]);
    expect(missing).toEqual({ reason: expect.stringMatching(/did not find tiny's files .*looked in \/nowhere/) });
  });
  it('writes a Modelfile with the template, system prompt, parameters and license', () => {
    const details = {
      name: 'tiny:q4',
      template: '{{ .Prompt }}',
      system: 'Be brief.',
      parameters: 'stop                           "USER:"\ntemperature                    0.4',
      license: 'MIT',
    } as ModelDetails;
    expect(buildModelfile(details, 'tiny-q4.gguf')).toBe(
      [
        '# tiny:q4, exported by PodDesk.',
        '# On the other computer, in this folder:',
        '#   ollama create tiny:q4 -f Modelfile',
        'FROM ./tiny-q4.gguf',
        'TEMPLATE """{{ .Prompt }}"""',
        'SYSTEM """Be brief."""',
        'PARAMETER stop "USER:"',
        'PARAMETER temperature 0.4',
        'LICENSE """MIT"""',
        '',
      ].join('\n'),
    );
    expect(buildModelfile(details, null)).toMatch(/The weights are not included[\s\S]*\nFROM tiny:q4\n/);
  });
});

describe('the requests of an import, against the test Ollama server', () => {
  const source = (bytes: Buffer): ModelFileSource => ({
    name: 'seq.gguf',
    size: bytes.length,
    read: async () => ({
      chunks: (async function* () {
        yield bytes.subarray(0, 10);
        yield bytes.subarray(10);
      })(),
      done: () => undefined,
    }),
  });
  it('HEAD, POST the blob, create with files; then HEAD only; a file that is not GGUF sends nothing', async () => {
    const server = await startOllamaServer();
    try {
      const bytes = ggufShaped(4096);
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      const seen = () => server.requests.map((r) => `${r.method} ${r.path}`);
      await importModel({ name: 'seq' }, source(bytes), { host: server.url }, () => undefined, new AbortController().signal);
      expect(seen()).toEqual([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`, 'POST /api/create']);
      expect(server.requests[2]!.body).toEqual({ model: 'seq', files: { 'seq.gguf': digest }, stream: true });
      expect(server.installed()).toContain('seq:latest');
      server.requests.length = 0;
      await importModel({ name: 'seq2' }, source(bytes), { host: server.url }, () => undefined, new AbortController().signal);
      expect(seen()).toEqual([`HEAD /api/blobs/${digest}`, 'POST /api/create']);
      server.requests.length = 0;
      const refused = importModel(
        { name: 'x' },
        source(Buffer.from('nope, text')),
        { host: server.url },
        () => undefined,
        new AbortController().signal,
      );
      await expect(refused).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/seq\.gguf is not a GGUF model file/),
      });
      expect(seen()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
