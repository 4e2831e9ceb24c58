import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../src/main/stacks/compose/env-file';
import { parseDuration, parsePortShort, parseVolumeShort, splitCommand, toRecord } from '../../../src/main/stacks/compose/syntax';

describe('Compose short syntaxes', () => {
  it('reads ports in every short form', () => {
    expect(parsePortShort('8080:80')).toEqual([{ hostIp: '', published: 8080, target: 80, protocol: 'tcp' }]);
    expect(parsePortShort(80)).toEqual([{ hostIp: '', target: 80, protocol: 'tcp' }]);
    expect(parsePortShort('127.0.0.1:8080:80/udp')).toEqual([
      { hostIp: '127.0.0.1', published: 8080, target: 80, protocol: 'udp' },
    ]);
    expect(parsePortShort('127.0.0.1::80')).toEqual([{ hostIp: '127.0.0.1', target: 80, protocol: 'tcp' }]);
    expect(parsePortShort('[::1]:8080:80')).toEqual([{ hostIp: '::1', published: 8080, target: 80, protocol: 'tcp' }]);
    expect(parsePortShort('8000-8001:9000-9001')).toEqual([
      { hostIp: '', published: 8000, target: 9000, protocol: 'tcp' },
      { hostIp: '', published: 8001, target: 9001, protocol: 'tcp' },
    ]);
  });

  it('refuses ports that cannot be', () => {
    expect(() => parsePortShort('99999:80')).toThrow('host port 99999 is out of range (1–65535)');
    expect(() => parsePortShort('abc:80')).toThrow('"abc" is not a host port number');
    expect(() => parsePortShort('80/sctp')).toThrow('protocol "sctp" is not supported');
    expect(() => parsePortShort('8000-8002:80-81')).toThrow(/same length/);
    expect(() => parsePortShort('')).toThrow();
  });

  it('tells named volumes from bind mounts, as Compose does', () => {
    expect(parseVolumeShort('data:/srv')).toEqual({ type: 'volume', source: 'data', target: '/srv', readOnly: false });
    expect(parseVolumeShort('./site:/www:ro')).toEqual({ type: 'bind', source: './site', target: '/www', readOnly: true });
    expect(parseVolumeShort('/srv/x:/x:rw,Z')).toEqual({
      type: 'bind',
      source: '/srv/x',
      target: '/x',
      readOnly: false,
      selinux: 'Z',
    });
    expect(parseVolumeShort('~/notes:/notes')).toMatchObject({ type: 'bind', source: '~/notes' });
    expect(parseVolumeShort('C:\\data:/data')).toEqual({ type: 'bind', source: 'C:\\data', target: '/data', readOnly: false });
    expect(parseVolumeShort('/cache')).toEqual({ type: 'volume', target: '/cache', readOnly: false });
    expect(() => parseVolumeShort('data:relative')).toThrow(/must be absolute/);
    expect(() => parseVolumeShort('data:/x:bogus')).toThrow('unknown volume mode "bogus"');
  });

  it('reads Go-style durations', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration(3)).toBe(3_000);
    expect(() => parseDuration('abc')).toThrow(/not a duration/);
    expect(() => parseDuration('10 s')).toThrow(/not a duration/);
  });

  it('splits a command string like a shell, without expanding anything', () => {
    expect(splitCommand('sh -c "echo hi && sleep 1"')).toEqual(['sh', '-c', 'echo hi && sleep 1']);
    expect(splitCommand("echo 'a b' c\\ d")).toEqual(['echo', 'a b', 'c d']);
    expect(splitCommand('echo ""')).toEqual(['echo', '']);
    expect(() => splitCommand('echo "open')).toThrow(/unterminated/);
  });

  it('turns KEY=VALUE lists and mappings into one record, taking bare keys from the environment', () => {
    const lookup = (name: string) => ({ HOME: '/home/me' })[name];
    expect(toRecord(['A=1', 'B=x=y', 'HOME', 'NOPE'], lookup)).toEqual({ A: '1', B: 'x=y', HOME: '/home/me' });
    expect(toRecord({ A: 1, B: true, HOME: null, NOPE: null }, lookup)).toEqual({ A: '1', B: 'true', HOME: '/home/me' });
  });

  it('reads env files as Compose does', () => {
    const text = [
      '# comment',
      'export A=1',
      'B = two words # trailing comment',
      "C='literal ${A}'",
      'D="line\\nbreak ${A}"',
      'E=${A}-${MISSING:-dflt}',
      'F=',
      '',
    ].join('\n');
    expect(parseEnvFile(text)).toEqual({ A: '1', B: 'two words', C: 'literal ${A}', D: 'line\nbreak 1', E: '1-dflt', F: '' });
  });

  it('names the line of an env-file mistake, never its text (env files hold passwords)', () => {
    const wrong = (text: string) => {
      try {
        parseEnvFile(text, () => undefined, 'app.env');
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(wrong('A=1\nhunter2 is my password')).toBe('app.env, line 2: expected KEY=VALUE');
    expect(wrong('A=1\nPASSWORD hunter2')).toBe('app.env, line 2: expected KEY=VALUE');
    expect(wrong("PASSWORD='hunter2")).toBe("app.env, line 1: unterminated ' quote");
    expect(wrong('A=1\n\nPASSWORD="hunter2')).toBe('app.env, line 3: unterminated " quote');
    expect(wrong('PASSWORD=hunter2${X')).toBe('app.env, line 1: invalid interpolation: a "${" is not closed');
    expect(wrong('PASSWORD=hunter2${OOPS:?tell me}')).toBe('app.env, line 1: required variable OOPS is missing a value');
    for (const text of ['A=1\nhunter2 is my password', 'PASSWORD=hunter2${X', "PASSWORD='hunter2"]) {
      expect(wrong(text)).not.toMatch(/hunter2/);
    }
  });
});
