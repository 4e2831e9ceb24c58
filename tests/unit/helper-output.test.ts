import { describe, expect, it } from 'vitest';
import { decodePathStat } from '../../src/main/podman/volumes/archive';
import { createDemuxer } from '../../src/main/podman/volumes/exec';
import { parseDescribe, parseHead, parseListing, scriptError } from '../../src/main/podman/volumes/helper-script';

describe('what the helper container says', () => {
  it('reads a listing, names with spaces and newlines included, links with their targets', () => {
    const out = Buffer.from(
      [
        '/poddesk-volume/docs\0',
        // find hands stat two batches; names NUL-ended, their stat lines after them in order, then "+".
        '3\0/poddesk-volume/docs/deep\0/poddesk-volume/docs/with space.txt\0/poddesk-volume/docs/new\nline\0',
        '41ed 4096 0 0 1700000000\n81a4 12 1000 1000 1700000001\n81a4 3 0 0 1700000002\n+\n',
        '2\0/poddesk-volume/docs/etc\0/poddesk-volume/docs/ok\0',
        'a1ff 4 0 0 1700000003\na1ff 5 0 0 1700000004\n+\n',
        '\0',
        '/poddesk-volume/docs/etc\0/etc\0/poddesk-volume/docs/ok\0deep\0',
      ].join(''),
    );
    const { path, entries } = parseListing(out);
    expect(path).toBe('docs');
    expect(entries.map((e) => e.name)).toEqual(['deep', 'with space.txt', 'new\nline', 'etc', 'ok']);
    expect(entries[0]).toMatchObject({ type: 'dir', size: 0, permissions: 'drwxr-xr-x', path: 'docs/deep' });
    expect(entries[1]).toMatchObject({ type: 'file', size: 12, uid: 1000, gid: 1000, mtime: 1700000001, mode: 0o644 });
    expect(entries[2]).toMatchObject({ type: 'file', size: 3, path: 'docs/new\nline' });
    expect(entries[3]).toMatchObject({ type: 'symlink', linkTarget: '/etc', linkEscapes: true });
    expect(entries[4]).toMatchObject({ type: 'symlink', linkTarget: 'deep', linkEscapes: false });
  });

  it('keeps each name whole: one that looks like a record, one that ends in a newline', () => {
    // A container named files so that, split on newlines, one would read as a second entry and
    // another, its newline lost, would pass for the file beside it.
    const forged = 'evil\n81a4 999 0 0 1 forged';
    const out = Buffer.from(
      `/poddesk-volume\x003\x00/poddesk-volume/${forged}\x00/poddesk-volume/tail\n\x00/poddesk-volume/tail\x00` +
        '81a4 7 0 0 1700000000\n81a4 8 0 0 1700000000\n81a4 9 0 0 1700000000\n+\n\x00',
    );
    const { entries } = parseListing(out);
    expect(entries.map((e) => [e.name, e.size])).toEqual([
      [forged, 7],
      ['tail\n', 8],
      ['tail', 9],
    ]);
  });

  it('drops a batch stat failed on, and takes its names again one by one', () => {
    // What busybox and GNU print when "gone" went away between find and stat.
    const out = Buffer.from(
      '/poddesk-volume\x003\x00/poddesk-volume/plain\x00/poddesk-volume/gone\x00/poddesk-volume/d\x00' +
        '81a4 0 0 0 1796032134\n41ed 4096 0 0 1796032134\n-\n' +
        '1\x00/poddesk-volume/plain\x0081a4 0 0 0 1796032134\n+\n' +
        '1\x00/poddesk-volume/gone\x00-\n' +
        '1\x00/poddesk-volume/d\x0041ed 4096 0 0 1796032134\n+\n\x00',
    );
    expect(parseListing(out).entries.map((e) => `${e.name} ${e.type}`)).toEqual(['plain file', 'd dir']);
  });

  it('refuses a listing it cannot read whole, rather than guess', () => {
    const bad = [
      '/poddesk-volume\x002\x00/poddesk-volume/a\x00/poddesk-volume/b\x0081a4 1 0 0 1\n+\n\x00', // a stat line short
      '/poddesk-volume\x001\x00/poddesk-volume/a\x0081a4 1 0 0 1\n\x00', // no end of batch
      '/poddesk-volume\x001\x00/elsewhere/a\x0081a4 1 0 0 1\n+\n\x00', // a path outside the folder listed
      '/poddesk-volume\x001\x00/poddesk-volume/a/b\x0081a4 1 0 0 1\n+\n\x00', // a name with a slash
      '/poddesk-volume\x00x\x00', // no count
    ];
    for (const text of bad) expect(() => parseListing(Buffer.from(text)), text).toThrow(/does not understand/);
  });

  it('reads an empty folder at the root', () => {
    expect(parseListing(Buffer.from('/poddesk-volume\0\0'))).toEqual({ path: '', entries: [] });
  });

  it('reads one entry, and a file head with binary bytes after it', () => {
    expect(parseDescribe(Buffer.from('/poddesk-volume/a/b.txt\x0081a4 5 0 0 1700000000\n')).entry).toMatchObject({
      name: 'b.txt',
      path: 'a/b.txt',
      type: 'file',
    });
    const head = Buffer.concat([Buffer.from('/poddesk-volume/x.bin\x0081a4 4 0 0 1\n\0'), Buffer.from([0, 1, 0x0a, 0])]);
    const parsed = parseHead(head);
    expect(parsed.entry.size).toBe(4);
    expect([...parsed.head]).toEqual([0, 1, 0x0a, 0]);
  });

  it('turns exit codes into sentences', () => {
    expect(scriptError(3, '/etc', 'etclink').message).toMatch(/leads outside the volume \(to \/etc\)/);
    expect(scriptError(4, '', 'x').code).toBe('NOT_FOUND');
    expect(scriptError(17, 'a', 'a').code).toBe('CONFLICT');
    expect(scriptError(1, 'boom', 'a').message).toMatch(/boom/);
  });

  it('decodes the path stat header in both base64 alphabets', () => {
    const stat = { name: 'ü?>', size: 3, mode: 420, mtime: '2024-01-01T00:00:00Z', linkTarget: '/v/ü?>' };
    const json = Buffer.from(JSON.stringify(stat));
    const standard = json.toString('base64');
    const url = json.toString('base64url');
    expect(standard).not.toBe(url); // the test would prove nothing otherwise
    expect(decodePathStat(standard)).toEqual(stat);
    expect(decodePathStat(url)).toEqual(stat);
  });

  it('splits multiplexed exec output, however the frames are cut', () => {
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(body.length, 4);
      return Buffer.concat([header, body]);
    };
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'oops'), frame(1, 'world')]);
    const demux = createDemuxer();
    for (let i = 0; i < all.length; i += 3) demux.push(all.subarray(i, i + 3));
    expect(demux.stdout().toString()).toBe('hello world');
    expect(demux.stderr().toString()).toBe('oops');
  });
});
