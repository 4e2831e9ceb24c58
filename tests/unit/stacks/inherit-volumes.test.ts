import { describe, expect, it } from 'vitest';
import { inheritVolumes } from '../../../src/main/stacks/container-up';

const old = (destination: string) => ({ name: `${destination.length}`.padStart(64, 'a'), destination });

describe('a recreated container’s anonymous volumes', () => {
  it('fill the file’s anonymous volume and an image VOLUME, still anonymous', () => {
    const spec = { volumes: [{ Name: '', Dest: '/scratch', Options: [] }], mounts: [] };
    const out = inheritVolumes(spec, [old('/scratch'), old('/var/lib/db')]);
    expect(out.volumes).toEqual([
      { Name: old('/scratch').name, Dest: '/scratch', Options: [], IsAnonymous: true },
      { Name: old('/var/lib/db').name, Dest: '/var/lib/db', Options: [], IsAnonymous: true },
    ]);
  });

  it('give way where the file now names a volume, a bind or a tmpfs', () => {
    const spec = {
      volumes: [{ Name: 'p_data', Dest: '/data', Options: [] }],
      mounts: [
        { destination: '/site', type: 'bind' },
        { destination: '/run', type: 'tmpfs' },
      ],
    };
    expect(inheritVolumes(spec, [old('/data'), old('/site'), old('/run')])).toEqual(spec);
  });
});
