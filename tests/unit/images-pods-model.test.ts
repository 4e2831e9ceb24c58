import { describe, expect, it } from 'vitest';
import { toImageSummary } from '../../src/main/podman/images/images';
import { copySpec, toPodSummary } from '../../src/main/podman/pods';
import { imageRows, splitName } from '../../src/renderer/src/pages/images/image-model';
import type { ContainerSummary } from '../../src/shared/contract';

describe('images as the page shows them', () => {
  const used = toImageSummary({
    Id: 'sha256:' + 'a'.repeat(64),
    RepoTags: ['localhost/app:1', 'quay.io/me/app:1'],
    Size: 10,
    Created: 5,
  });
  const dangling = toImageSummary({ Id: 'b'.repeat(64), RepoTags: ['<none>:<none>'], Size: 3, Created: 9 });
  const container = { id: 'c1', name: 'web', imageId: 'a'.repeat(64), isInfra: false } as ContainerSummary;

  it('reads libpod images: ids without sha256:, <none> names mean dangling', () => {
    expect(used).toMatchObject({ id: 'a'.repeat(64), tags: ['localhost/app:1', 'quay.io/me/app:1'], dangling: false });
    expect(dangling).toMatchObject({ tags: [], dangling: true });
  });

  it('makes one row per name, with who uses the image, dangling ones last', () => {
    const rows = imageRows([dangling, used], [container], '', 'all');
    expect(rows.map((r) => `${r.repository}:${r.tag}`)).toEqual(['localhost/app:1', 'quay.io/me/app:1', '<none>:<none>']);
    expect(rows[0]!.usedBy.map((c) => c.name)).toEqual(['web']);
    expect(imageRows([dangling, used], [container], '', 'unused').map((r) => r.image.id)).toEqual([dangling.id]);
    expect(imageRows([dangling, used], [container], '', 'dangling')).toHaveLength(1);
    expect(imageRows([dangling, used], [container], 'quay', 'all').map((r) => r.name)).toEqual(['quay.io/me/app:1']);
  });

  it('splits names where the tag is, not at a registry port', () => {
    expect(splitName('127.0.0.1:5000/x/y:2')).toEqual({ repository: '127.0.0.1:5000/x/y', tag: '2' });
    expect(splitName('127.0.0.1:5000/x')).toEqual({ repository: '127.0.0.1:5000/x', tag: 'latest' });
  });
});

describe('pods', () => {
  it('reads libpod pods', () => {
    const pod = toPodSummary({
      Id: 'p'.repeat(64),
      Name: 'backend',
      Status: 'Degraded',
      Created: '2026-01-01T00:00:00Z',
      InfraId: 'i1',
      Containers: [{ Id: 'i1', Names: 'x-infra', Status: 'running' }],
    });
    expect(pod).toMatchObject({ name: 'backend', state: 'degraded', status: 'Degraded', infraId: 'i1', created: 1767225600 });
  });

  it('copies a container’s settings into a pod (its ports are the pod’s)', () => {
    const inspect = {
      Id: 'c',
      Name: 'web',
      ImageName: 'nginx:1',
      Config: {
        Cmd: ['nginx'],
        Entrypoint: '/docker-entrypoint.sh',
        Env: ['A=1', 'B=x=y'],
        WorkingDir: '/srv',
        User: '101',
        StopTimeout: 3,
      },
      Mounts: [
        { Type: 'bind', Source: '/h', Destination: '/c', RW: false },
        { Type: 'volume', Name: 'data', Destination: '/data', RW: true },
      ],
    };
    expect(copySpec(inspect, 'web-pod', 'podid')).toEqual({
      name: 'web-pod',
      pod: 'podid',
      image: 'nginx:1',
      env: { A: '1', B: 'x=y' },
      labels: {},
      command: ['nginx'],
      entrypoint: ['/docker-entrypoint.sh'],
      work_dir: '/srv',
      user: '101',
      stop_timeout: 3,
      mounts: [{ type: 'bind', source: '/h', destination: '/c', options: ['ro'] }],
      volumes: [{ Name: 'data', Dest: '/data', Options: [] }],
    });
  });
});
