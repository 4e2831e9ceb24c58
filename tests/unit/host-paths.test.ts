import { describe, expect, it } from 'vitest';
import { chooseHostPath, createHostPaths } from '../../src/main/host-paths';
import { HANDLE_PATTERN } from '../../src/shared/contract';
import { fakeHostFiles } from '../support/host-files';

describe('host path handles', () => {
  it('hands out random handles that look like no path, and answers each once', () => {
    const paths = createHostPaths();
    const a = paths.issue('/home/me/site', 'upload');
    const b = paths.issue('/home/me/site', 'upload');
    expect(a.handle).toMatch(HANDLE_PATTERN);
    expect(a.handle).not.toBe(b.handle);
    expect(a.name).toBe('/home/me/site');
    expect(paths.take([a.handle], ['upload'])).toEqual(['/home/me/site']);
    expect(() => paths.take([a.handle], ['upload'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(paths.take([b.handle], ['upload'])).toEqual(['/home/me/site']);
  });

  it('refuses a made-up handle, a path where a handle goes, and a handle issued for something else', () => {
    const paths = createHostPaths();
    const key = paths.issue('/home/me/.ssh/id_ed25519', 'ssh-identity');
    expect(() => paths.take([`hp_${'A'.repeat(32)}`], ['upload'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => paths.take(['/etc/shadow'], ['upload'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => paths.take(['__proto__'], ['upload'])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => paths.take([key.handle], ['upload', 'drop'])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // Refusing it for the wrong purpose did not use it up.
    expect(paths.take([key.handle], ['ssh-identity'])).toEqual(['/home/me/.ssh/id_ed25519']);
  });

  it('takes all or nothing', () => {
    const paths = createHostPaths();
    const one = paths.issue('/a', 'drop');
    const two = paths.issue('/b', 'drop');
    expect(() => paths.take([one.handle, `hp_${'x'.repeat(32)}`], ['drop'])).toThrow();
    expect(() => paths.take([one.handle, one.handle], ['drop'])).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(paths.take([one.handle, two.handle], ['drop'])).toEqual(['/a', '/b']);
  });

  it('expires after its time', () => {
    let now = 1_000;
    const paths = createHostPaths({ ttlMs: 60_000, now: () => now });
    const h = paths.issue('/a', 'upload');
    now += 59_999;
    const still = paths.issue('/b', 'upload');
    now += 1;
    expect(() => paths.take([h.handle], ['upload'])).toThrow(/no longer valid/);
    expect(paths.take([still.handle], ['upload'])).toEqual(['/b']);
    expect(paths.size()).toBe(0);
  });

  it('keeps a handle whose work failed (a run the engine refused can be sent again), and uses it up on success', async () => {
    const paths = createHostPaths();
    const h = paths.issue('/srv/site', 'bind-mount');
    await expect(
      paths.use([h.handle], ['bind-mount'], async () => {
        throw new Error('port in use');
      }),
    ).rejects.toThrow('port in use');
    let release: () => void = () => undefined;
    const running = paths.use(
      [h.handle],
      ['bind-mount'],
      (folders) => new Promise<string[]>((r) => (release = () => r(folders))),
    );
    // While it is in use, nobody else gets it.
    expect(() => paths.take([h.handle], ['bind-mount'])).toThrow(/no longer valid/);
    release();
    expect(await running).toEqual(['/srv/site']);
    expect(() => paths.take([h.handle], ['bind-mount'])).toThrow(/no longer valid/);
  });

  it('holds a bounded number, dropping the oldest', () => {
    const paths = createHostPaths({ max: 3 });
    const handles = ['/1', '/2', '/3', '/4'].map((p) => paths.issue(p, 'drop').handle);
    expect(paths.size()).toBe(3);
    expect(() => paths.take([handles[0]!], ['drop'])).toThrow();
    expect(paths.take([handles[3]!], ['drop'])).toEqual(['/4']);
  });

  it('issues a handle for what main’s own dialog returned, and nothing when the user cancels', async () => {
    const paths = createHostPaths();
    const files = fakeHostFiles('/tmp');
    files.nextOpen.push(['/home/me/project']);
    const chosen = await chooseHostPath(files, paths, 'build-context', { directories: true });
    expect(chosen).toMatchObject({ name: '/home/me/project' });
    expect(paths.take([chosen!.handle], ['build-context'])).toEqual(['/home/me/project']);
    expect(await chooseHostPath(files, paths, 'build-context', { directories: true })).toBeNull();
  });
});
