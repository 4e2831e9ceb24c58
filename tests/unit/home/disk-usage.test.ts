import { describe, expect, it } from 'vitest';
import { cleanupPlanOf, readDiskUsage, summarizeDiskUsage, type RawDiskUsage } from '../../../src/main/home/disk-usage';
import type { Engine } from '../../../src/main/podman/engine';
import { cleanupCommands, formatCommands } from '../../../src/shared/podman-commands';

const raw: RawDiskUsage = {
  LayersSize: 1000,
  Images: [
    { Id: 'sha256:aaaaaaaaaaaa1111', RepoTags: ['docker.io/library/nginx:latest'], Size: 600, SharedSize: 100, Containers: 1 },
    { Id: 'bbbbbbbbbbbb2222', RepoTags: ['<none>:<none>'], Size: 300, SharedSize: 0, Containers: 0 },
    { Id: 'cccccccccccc3333', RepoTags: ['localhost/app:1', 'localhost/app:latest'], Size: 200, SharedSize: 100, Containers: 0 },
  ],
  Containers: [
    { Id: 'c1', Names: ['/web'], Image: 'nginx', State: 'running', SizeRw: 50 },
    { Id: 'c2', Names: ['old'], Image: 'nginx', State: 'exited', SizeRw: 20 },
    { Id: 'c3', Names: ['fresh'], Image: 'nginx', State: 'created', SizeRw: 0 },
    { Id: 'c4', Names: ['helper'], Image: 'busybox', State: 'exited', SizeRw: 5, Labels: { 'io.poddesk.helper': 'volume' } },
  ],
  Volumes: [
    { Name: 'used', UsageData: { Size: 70, RefCount: 1 } },
    { Name: 'spare', UsageData: { Size: 30, RefCount: 0 }, Labels: { 'com.docker.compose.project': 'jupyter' } },
    { Name: 'unknown', UsageData: { Size: -1, RefCount: 0 } },
  ],
  BuildCache: [],
};

describe('disk use (system/df)', () => {
  it('totals, and what Clean up could free', () => {
    expect(summarizeDiskUsage(raw)).toEqual({
      // The two images no container uses.
      images: { count: 3, unused: 2, bytes: 1000, reclaimableBytes: 500 },
      containers: { count: 4, unused: 3, bytes: 75, reclaimableBytes: 25 },
      // A size Podman could not tell (−1) counts as nothing.
      volumes: { count: 3, unused: 2, bytes: 100, reclaimableBytes: 30 },
      buildCache: { count: 0, unused: 0, bytes: 0, reclaimableBytes: 0 },
    });
  });

  it('lists exactly the stopped containers, unused images and unused volumes, and not the app’s own helpers', () => {
    const plan = cleanupPlanOf(raw);
    expect(plan.containers.map((c) => [c.name, c.state])).toEqual([
      ['old', 'exited'],
      ['fresh', 'created'],
    ]);
    expect(plan.images).toEqual([
      { id: 'bbbbbbbbbbbb2222', tags: [], bytes: 300 },
      { id: 'cccccccccccc3333', tags: ['localhost/app:1', 'localhost/app:latest'], bytes: 200 },
    ]);
    expect(plan.volumes).toEqual([
      { name: 'spare', bytes: 30, project: 'jupyter' },
      { name: 'unknown', bytes: 0 },
    ]);
  });

  it('an empty answer is an empty plan, not an error', () => {
    expect(cleanupPlanOf({})).toEqual({ containers: [], images: [], volumes: [] });
    expect(summarizeDiskUsage({}).images).toEqual({ count: 0, unused: 0, bytes: 0, reclaimableBytes: 0 });
  });

  it('shows the podman commands of exactly the chosen items', () => {
    const text = formatCommands(cleanupCommands({ containers: ['c2'], images: ['bbbbbbbbbbbb2222ffff'], volumes: [] }), 'bash');
    expect(text).toBe('podman rm c2\npodman rmi bbbbbbbbbbbb');
  });
});

describe('reading disk use', () => {
  it('keeps the images `podman images` lists, with their full names: not a build’s intermediate layers', async () => {
    const engine = {
      json: async (_method: string, path: string) =>
        path === '/system/df'
          ? { ...raw, Images: [...raw.Images!, { Id: 'dddddddddddd4444', RepoTags: null, Size: 10, Containers: 0 }] }
          : [
              { Id: 'sha256:aaaaaaaaaaaa1111', RepoTags: ['docker.io/library/nginx:latest'] },
              { Id: 'sha256:bbbbbbbbbbbb2222', RepoTags: ['<none>:<none>'] },
              { Id: 'sha256:cccccccccccc3333', RepoTags: ['localhost/app:1', 'localhost/app:latest'] },
            ],
    } as unknown as Engine;
    const read = await readDiskUsage(engine);
    expect(read.Images?.map((i) => i.Id)).toEqual(['sha256:aaaaaaaaaaaa1111', 'bbbbbbbbbbbb2222', 'cccccccccccc3333']);
    expect(cleanupPlanOf(read).images.map((i) => i.id)).not.toContain('dddddddddddd4444');
  });
});
