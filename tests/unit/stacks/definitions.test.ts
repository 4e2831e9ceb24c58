import { mkdtemp, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDefinitionStore, idFrom, type DefinitionStore } from '../../../src/main/stacks/definitions';
import { resolveStack } from '../../../src/main/stacks/resolve';

let builtinDir: string;
let dataDir: string;
let store: DefinitionStore;

const JUPYTER = `name: jupyter
x-poddesk:
  title: Jupyter Lab
  generate: {JUPYTER_TOKEN: token}
services:
  jupyter:
    image: \${JUPYTER_IMAGE:-quay.io/jupyter/base-notebook}
    environment: {JUPYTER_TOKEN: "\${JUPYTER_TOKEN:?needed}"}
`;

beforeEach(async () => {
  const root = await mkdtemp(join(tmpdir(), 'pdt-defs-'));
  builtinDir = join(root, 'builtin');
  dataDir = join(root, 'data');
  await mkdir(builtinDir);
  await writeFile(join(builtinDir, 'jupyter.yaml'), JUPYTER);
  await writeFile(join(builtinDir, 'zeta.yaml'), 'services:\n  z:\n    image: z\n');
  store = createDefinitionStore({ builtinDir, dataDir });
});

describe('stack files', () => {
  it('lists built-ins first (in the order a learner meets them), then user stacks', async () => {
    await store.create({ id: 'mine', yaml: 'services:\n  a:\n    image: a\n' });
    const list = await store.list();
    expect(list.map((d) => [d.id, d.source])).toEqual([
      ['jupyter', 'builtin'],
      ['zeta', 'builtin'],
      ['mine', 'user'],
    ]);
    expect(list[2]!.workingDir).toBe(join(dataDir, 'stacks', 'mine'));
  });

  it('keeps an edit of a built-in as the user’s version, and reverts to the original', async () => {
    const edited = await store.save('jupyter', JUPYTER.replace('base-notebook', 'scipy-notebook'));
    expect(edited).toMatchObject({ source: 'builtin', modified: true });
    expect(await readFile(join(builtinDir, 'jupyter.yaml'), 'utf8')).toBe(JUPYTER);
    const reverted = await store.revert('jupyter');
    expect(reverted).toMatchObject({ modified: false, yaml: JUPYTER });
    await expect(store.remove('jupyter')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('generates a secret once, keeps it (file readable by the user only), and resolves the file with it', async () => {
    const first = await store.ensureGenerated('jupyter');
    const token = first.state.generated.JUPYTER_TOKEN!;
    expect(token).toMatch(/^[a-f0-9]{48}$/);
    expect((await store.ensureGenerated('jupyter')).state.generated.JUPYTER_TOKEN).toBe(token);
    expect((await stat(join(dataDir, 'stacks', 'jupyter', 'stack.json'))).mode & 0o777).toBe(0o600);
    const resolved = await resolveStack(first, { env: {} });
    expect(resolved.project!.services[0]!.environment.JUPYTER_TOKEN).toBe(token);
    expect(resolved.variables.find((v) => v.name === 'JUPYTER_TOKEN')).toMatchObject({
      source: 'generated',
      secret: true,
      value: token,
    });
  });

  it('saves variables: they win over the environment and the file’s defaults; empty clears', async () => {
    let def = await store.setVariables('jupyter', { JUPYTER_IMAGE: 'local/jupyter', JUPYTER_TOKEN: 't' });
    let resolved = await resolveStack(def, { env: { JUPYTER_IMAGE: 'from-env' } });
    expect(resolved.project!.services[0]!.image).toBe('local/jupyter');
    expect(resolved.variables.find((v) => v.name === 'JUPYTER_IMAGE')).toMatchObject({
      source: 'saved',
      default: 'quay.io/jupyter/base-notebook',
    });
    def = await store.setVariables('jupyter', { JUPYTER_IMAGE: '' });
    resolved = await resolveStack(def, { env: {} });
    expect(resolved.project!.services[0]!.image).toBe('quay.io/jupyter/base-notebook');
    expect(resolved.variables.find((v) => v.name === 'JUPYTER_IMAGE')).toMatchObject({ source: 'default' });
  });

  it('reads .env and env_file beside an imported file, as Compose does', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pdt-proj-'));
    await writeFile(join(folder, '.env'), 'TAG=1.2\n');
    await writeFile(join(folder, 'app.env'), 'FROM_FILE=yes\nSHARED=file\n');
    const def = await store.create({
      id: 'proj',
      yaml: 'services:\n  a:\n    image: app:${TAG}\n    env_file: [app.env]\n    environment: {SHARED: inline}\n',
      workingDir: folder,
      importedFrom: join(folder, 'compose.yaml'),
    });
    const resolved = await resolveStack(def, { env: {} });
    expect(resolved.issues).toEqual([]);
    expect(resolved.project!.services[0]).toMatchObject({
      image: 'app:1.2',
      environment: { FROM_FILE: 'yes', SHARED: 'inline' },
    });
    const missing = await resolveStack({ ...def, yaml: def.yaml.replace('app.env', 'gone.env') }, { env: {} });
    expect(missing.project).toBeUndefined();
    expect(missing.issues[0]!.message).toMatch(/env_file .*gone\.env cannot be read/);
  });

  it('refuses a second stack with the same id, and unsafe ids', async () => {
    await store.create({ id: 'twice', yaml: 'services: {}\n' });
    await expect(store.create({ id: 'twice', yaml: 'services: {}\n' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(store.create({ id: '../etc', yaml: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(store.get('../etc')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(idFrom('My Shop/docker-compose.yml')).toBe('docker-compose');
    expect(idFrom('My Shop!')).toBe('my-shop');
  });

  it('keeps the confirmed "this computer" fingerprint with the stack’s state, built-ins included', async () => {
    const fingerprint = 'f'.repeat(64);
    const def = await store.confirmHostAccess('jupyter', fingerprint);
    expect(def.state.hostAccessConfirmed).toBe(fingerprint);
    expect((await store.get('jupyter')).state.hostAccessConfirmed).toBe(fingerprint);
    // Other state is kept alongside.
    await store.setVariables('jupyter', { JUPYTER_IMAGE: 'x' });
    expect((await store.get('jupyter')).state).toMatchObject({
      hostAccessConfirmed: fingerprint,
      variables: { JUPYTER_IMAGE: 'x' },
    });
  });

  it('tells listeners about every change', async () => {
    const seen: string[] = [];
    store.onChange((id) => seen.push(id));
    await store.create({ id: 'a', yaml: 'services: {}\n' });
    await store.setVariables('a', { X: '1' });
    await store.remove('a');
    expect(seen).toEqual(['a', 'a', 'a']);
  });
});

describe('container naming', () => {
  it('keeps podman-compose naming with the stack, applies it to the project, and forgets it when set back', async () => {
    const read = (id: string) => store.get(id).then((d) => resolveStack(d, { env: {} }));
    expect((await read('zeta')).project?.containerNames).toBeUndefined();
    await store.setOptions('zeta', { containerNames: 'podman-compose' });
    // Kept on disk: a new store (the next start of the app) reads it back.
    const again = createDefinitionStore({ builtinDir, dataDir });
    expect((await again.get('zeta')).state.containerNames).toBe('podman-compose');
    expect((await read('zeta')).project?.containerNames).toBe('podman-compose');
    // Other options leave it alone.
    await store.setOptions('zeta', { profiles: [] });
    expect((await store.get('zeta')).state.containerNames).toBe('podman-compose');
    await store.setOptions('zeta', { containerNames: 'docker-compose' });
    expect((await store.get('zeta')).state).not.toHaveProperty('containerNames');
  });
});
