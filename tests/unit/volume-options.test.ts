import { describe, expect, it } from 'vitest';
import { hostSourceProblem, volumeHostSource } from '../../src/shared/volume-options';

describe('driver options that make a volume a place of this computer', () => {
  it('finds a bind of a host folder, and a local disk or folder as the device', () => {
    expect(volumeHostSource({ type: 'none', o: 'bind', device: '/srv/data' })).toEqual({ device: '/srv/data', how: 'bind' });
    expect(volumeHostSource({ type: 'none', o: 'uid=1000, rbind ,ro', device: '/srv' })).toEqual({ device: '/srv', how: 'bind' });
    // Keys and the bind word in any case; a bind that names no folder is still one.
    expect(volumeHostSource({ Type: 'none', O: 'Bind', Device: ' /etc ' })).toEqual({ device: '/etc', how: 'bind' });
    expect(volumeHostSource({ o: 'bind' })).toEqual({ device: '', how: 'bind' });
    expect(volumeHostSource({ type: 'ext4', device: '/dev/sdb1' })).toEqual({ device: '/dev/sdb1', how: 'device' });
    expect(volumeHostSource({ type: 'ntfs', device: 'C:\\data' })).toEqual({ device: 'C:\\data', how: 'device' });
  });

  it('lets through what is not this computer’s: memory, network shares, sizes and owners', () => {
    const cases: Record<string, string>[] = [
      {},
      { type: 'tmpfs', device: 'tmpfs', o: 'size=100m,uid=1000' },
      { type: 'nfs', o: 'addr=10.0.0.2,rw', device: ':/exports/data' },
      { type: 'cifs', o: 'username=me', device: '//nas/share' },
      { o: 'nodev,noexec' },
      // "binding" is not "bind".
      { o: 'nobinding' },
      { image: 'quay.io/fedora/fedora' },
    ];
    for (const options of cases) {
      expect(volumeHostSource(options), JSON.stringify(options)).toBeUndefined();
      expect(hostSourceProblem(options)).toBeUndefined();
    }
  });

  it('says why, and what to do instead', () => {
    expect(hostSourceProblem({ type: 'none', o: 'bind', device: '/home/ada' })).toMatch(
      /a folder of this computer \(\/home\/ada\).*Folder button when you run the container/,
    );
    expect(hostSourceProblem({ type: 'ext4', device: '/dev/sdb1' })).toMatch(/disk or folder of this computer \(\/dev\/sdb1\)/);
  });
});
