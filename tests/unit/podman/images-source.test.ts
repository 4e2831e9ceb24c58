import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { applyImageEvent, imageSource } from '../../../src/main/podman/images/images';
import { createLiveCollection } from '../../../src/main/podman/live-collection';
import type { Engine } from '../../../src/main/podman/engine';

/** An engine whose image list fails with Podman's "image not known" the first `failures` times. */
function vanishingEngine(failures: number) {
  const calls = { list: 0 };
  const engine = {
    async json(method: string, path: string) {
      expect(`${method} ${path}`).toBe('GET /v4.0.0/libpod/images/json');
      calls.list++;
      if (calls.list <= failures) throw new AppError('NOT_FOUND', 'sha256:abc: image not known');
      return [{ Id: 'sha256:' + 'a'.repeat(64), RepoTags: ['localhost/x:1'] }];
    },
  } as unknown as Engine;
  return { engine, calls };
}

describe('the image cache when images vanish while Podman lists them', () => {
  it('lists again when an image was removed during the list', async () => {
    const { engine, calls } = vanishingEngine(2);
    const images = await imageSource(() => engine).listAll();
    expect(images.map((i) => i.tags)).toEqual([['localhost/x:1']]);
    expect(calls.list).toBe(3);
  });

  it('gives up after a few tries with the engine’s error', async () => {
    const { engine, calls } = vanishingEngine(100);
    await expect(imageSource(() => engine).listAll()).rejects.toThrow(/image not known/);
    expect(calls.list).toBe(4);
  });

  it('a commit event whose list fails ends in onError, never an unhandled rejection', async () => {
    const { engine } = vanishingEngine(100);
    const errors: unknown[] = [];
    const images = createLiveCollection(
      imageSource(
        () => engine,
        (e) => errors.push(e),
      ),
    );
    applyImageEvent({ type: 'container', action: 'commit', id: 'c1', attributes: {}, timeNano: 0 }, images);
    await new Promise((r) => setTimeout(r, 10));
    expect(errors).toHaveLength(1);
  });
});
