import { lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directFiles } from '../../src/main/podman/volumes/direct';
import { engineIdMap, idMapFrom, identityIds } from '../../src/main/podman/volumes/id-map';
import type { Engine } from '../../src/main/podman/engine';

// What rootless Podman 4.3 reports for a user of uid 1001 with the subordinate ids 100000–165535.
const rootless = {
  uidmap: [
    { container_id: 0, host_id: 1001, size: 1 },
    { container_id: 1, host_id: 100000, size: 65536 },
  ],
  gidmap: [
    { container_id: 0, host_id: 1002, size: 1 },
    { container_id: 1, host_id: 200000, size: 65536 },
  ],
};

describe('owners as the containers see them', () => {
  it('maps a rootless user namespace back: the user is root, its subordinate ids the rest', () => {
    const ids = idMapFrom(rootless);
    expect([1001, 100000, 100999, 165535].map(ids.uid)).toEqual([0, 1, 1000, 65536]);
    expect([1002, 200000, 200999].map(ids.gid)).toEqual([0, 1, 1000]);
    // What the namespace does not map shows as the overflow id, as inside a container.
    expect([0, 1000, 165536].map(ids.uid)).toEqual([65534, 65534, 65534]);
  });

  it('leaves ids alone without a map', () => {
    expect(idMapFrom(null)).toBe(identityIds);
    expect(idMapFrom({ uidmap: null, gidmap: [] })).toBe(identityIds);
  });

  it('asks the engine: a rootless engine’s map, none for a rootful one', async () => {
    const engine = (info: unknown) => ({ json: async () => info }) as unknown as Engine;
    const mapped = await engineIdMap(engine({ host: { security: { rootless: true }, idMappings: rootless } }));
    expect(mapped.uid(100999)).toBe(1000);
    const rootful = await engineIdMap(engine({ host: { security: { rootless: false }, idMappings: rootless } }));
    expect(rootful).toBe(identityIds);
  });
});

describe('a volume read directly, with the engine’s map', () => {
  let root: string;
  let owner: { uid: number; gid: number };
  // A map that moves every id by 7: whatever owns the files here, the listing must show it moved.
  const shifted = { uid: (id: number) => id + 7, gid: (id: number) => id + 70 };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'poddesk-ids-'));
    await mkdir(join(root, 'conf'));
    await writeFile(join(root, 'conf', 'app.ini'), 'port=5432\n');
    const st = await lstat(join(root, 'conf', 'app.ini'));
    owner = { uid: st.uid, gid: st.gid };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('lists owners mapped', async () => {
    const files = directFiles(root, { ids: shifted });
    const { entries } = await files.list('conf');
    expect(entries).toEqual([expect.objectContaining({ name: 'app.ini', uid: owner.uid + 7, gid: owner.gid + 70 })]);
    expect(await files.entry('conf/app.ini', false)).toMatchObject({ uid: owner.uid + 7, gid: owner.gid + 70 });
  });

  it('writes owners mapped into a backup', async () => {
    const stream = (await directFiles(root, { ids: shifted }).exportTar('', '', new AbortController().signal)) as Readable;
    const owners: Record<string, [number, number]> = {};
    const extract = tar.extract();
    extract.on('entry', (header, body, next) => {
      owners[header.name] = [header.uid ?? -1, header.gid ?? -1];
      body.on('end', next);
      body.resume();
    });
    const done = new Promise((resolve, reject) => {
      extract.on('finish', () => resolve(undefined));
      extract.on('error', reject);
    });
    stream.pipe(extract);
    await done;
    expect(owners['conf/app.ini']).toEqual([owner.uid + 7, owner.gid + 70]);
    expect(owners.conf).toEqual([owner.uid + 7, owner.gid + 70]);
  });
});
