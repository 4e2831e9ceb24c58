import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi } from '../../src/renderer/src/lib/ansi';
import { parseEnvFile } from '../../src/renderer/src/lib/env-file';
import { createLogBuffer } from '../../src/renderer/src/lib/log-buffer';
import { joinCommand, splitCommand } from '../../src/shared/command-line';
import type { LogLine } from '../../src/shared/contract';

describe('ANSI colours in log lines', () => {
  it('turns SGR codes into styled segments and drops other escapes', () => {
    expect(parseAnsi('plain')).toEqual([{ text: 'plain', style: {} }]);
    const segments = parseAnsi(
      '\u001b[1;31mERROR\u001b[0m done \u001b[38;5;46mgreen\u001b[39m \u001b[38;2;1;2;3mrgb\u001b]0;title\u0007\u001b[2K!',
    );
    expect(segments.map((s) => s.text)).toEqual(['ERROR', ' done ', 'green', ' ', 'rgb!']);
    expect(segments[0]!.style).toMatchObject({ bold: true, fg: '#e05561' });
    expect(segments[1]!.style).toEqual({});
    expect(segments[2]!.style.fg).toBe('rgb(0,255,0)');
    expect(segments[4]!.style.fg).toBe('rgb(1,2,3)');
    expect(stripAnsi('\u001b[31mred\u001b[0m and \u001b[Kplain')).toBe('red and plain');
  });
});

describe('command lines', () => {
  it('splits like a shell, without expanding anything', () => {
    expect(splitCommand(`nginx -g 'daemon off;'`)).toEqual({ argv: ['nginx', '-g', 'daemon off;'] });
    expect(splitCommand(`sh -c "echo \\"hi\\" \\$HOME" a\\ b ''`)).toEqual({ argv: ['sh', '-c', 'echo "hi" $HOME', 'a b', ''] });
    expect(splitCommand('  ')).toEqual({ argv: [] });
    expect(splitCommand(`echo 'open`)).toEqual({ error: 'Unclosed single quote' });
    const argv = ['sh', '-c', "it's $x", ''];
    expect(splitCommand(joinCommand(argv))).toEqual({ argv });
  });
});

describe('.env paste', () => {
  it('reads KEY=value lines, quotes, export and comments, and reports the rest by line', () => {
    const { vars, errors } = parseEnvFile(
      [
        '# db',
        'export DB_HOST=db',
        'DB_PASS="p@ss w#rd\\n2"',
        "TOKEN='a b'",
        'PLAIN=x # note',
        'EMPTY=',
        'not a var',
        '1BAD=x',
      ].join('\n'),
    );
    expect(vars).toEqual([
      { key: 'DB_HOST', value: 'db' },
      { key: 'DB_PASS', value: 'p@ss w#rd\n2' },
      { key: 'TOKEN', value: 'a b' },
      { key: 'PLAIN', value: 'x' },
      { key: 'EMPTY', value: '' },
    ]);
    expect(errors).toEqual(['Line 7: “not a var” is not KEY=value', 'Line 8: “1BAD=x” is not KEY=value']);
  });
});

describe('the bounded log buffer', () => {
  const line = (n: number): LogLine => ({ stream: 'stdout', time: '', text: String(n) });
  it('keeps the newest lines and counts the dropped ones', () => {
    const buffer = createLogBuffer(3);
    buffer.append([line(1), line(2)]);
    expect([buffer.size(), buffer.dropped()]).toEqual([2, 0]);
    buffer.append([line(3), line(4), line(5)]);
    expect([buffer.size(), buffer.dropped(), buffer.total()]).toEqual([3, 2, 5]);
    expect([0, 1, 2].map((i) => buffer.at(i).text)).toEqual(['3', '4', '5']);
    buffer.append(Array.from({ length: 10 }, (_, i) => line(100 + i)));
    expect([0, 1, 2].map((i) => buffer.at(i).text)).toEqual(['107', '108', '109']);
    expect(buffer.dropped()).toBe(12);
    buffer.clear();
    expect([buffer.size(), buffer.dropped()]).toEqual([0, 0]);
  });
});
