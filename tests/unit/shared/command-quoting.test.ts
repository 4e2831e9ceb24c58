import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  argvOf,
  command,
  formatCommand,
  joinWords,
  quotePosix,
  quotePowerShell,
  shellNotes,
} from '../../../src/shared/podman-commands';

/** Words a shell would mangle if they were not quoted right. */
const adversarial = [
  '',
  ' ',
  'two words',
  "it's",
  "''",
  '"double"',
  '$HOME',
  '${HOME}',
  '$(id)',
  '`id`',
  'back\\slash',
  'trailing\\',
  'line\nbreak',
  'tab\there',
  'café ☕ 日本',
  '‘curly’ “quotes”',
  '-n',
  '--name',
  '-e',
  '=starts-with-equals',
  '~',
  '~/x',
  '*',
  '?',
  '[a]',
  '{a,b}',
  'a;b',
  'a|b',
  'a&b',
  'a>b',
  '(x)',
  '#comment',
  '!bang',
  '!!',
  '%1',
  '@splat',
  'a,b',
  '1kb',
  '007',
  '0x10',
  '8080:80',
  'key=value with space',
  '\\"',
  "'\"'\"'",
  'ends with newline\n',
];

/** What the shell hands the program: printf prints each argument followed by a NUL. */
function argvThrough(shell: 'bash' | 'sh', line: string): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('quoting for bash and sh', () => {
  it('leaves plain words bare and quotes the rest', () => {
    expect(quotePosix('nginx:1.27')).toBe('nginx:1.27');
    expect(quotePosix('--name')).toBe('--name');
    expect(quotePosix('/data/x.txt')).toBe('/data/x.txt');
    expect(quotePosix('A=b')).toBe('A=b');
    expect(quotePosix('')).toBe("''");
    expect(quotePosix('two words')).toBe("'two words'");
    expect(quotePosix("it's")).toBe("'it'\\''s'");
    // zsh (macOS) expands a word that starts with = to a program's path.
    expect(quotePosix('=x')).toBe("'=x'");
  });

  it('round-trips every adversarial word through a real bash and sh', () => {
    // All in one command line: each word must come out whole, in its place.
    for (const shell of ['bash', 'sh'] as const)
      expect(argvThrough(shell, adversarial.map(quotePosix).join(' ')), shell).toEqual(adversarial);
  });

  it('round-trips a long command broken over lines with backslashes', () => {
    const cmd = command([['printf', '%s\\0'], ...adversarial.map((w) => ['-e', w])]);
    const text = formatCommand(cmd, 'bash');
    // One group per line: a backslash ends each but the last (a newline inside quotes is the word's own).
    expect(text.split(' \\\n  ')).toHaveLength(cmd.groups.length);
    const out = execFileSync('bash', ['-c', text], { encoding: 'utf8' }).split('\0').slice(0, -1);
    expect(out).toEqual(argvOf(cmd).slice(2));
  });

  it('puts environment variables before the command, for that command only', () => {
    const cmd = command([['sh'], ['-c', 'printf "%s" "$X"']], { env: { X: "a 'b' $c" } });
    const text = formatCommand(cmd, 'bash');
    expect(text).toBe(`X='a '\\''b'\\'' $c' sh -c 'printf "%s" "$X"'`);
    expect(execFileSync('bash', ['-c', text], { encoding: 'utf8' })).toBe("a 'b' $c");
  });

  it('refuses a NUL, which no program can receive', () => {
    expect(() => quotePosix('a\0b')).toThrow(/NUL/);
    expect(() => quotePowerShell('a\0b')).toThrow(/NUL/);
  });
});

/*
 * PowerShell cannot be installed on these machines (no Debian package, no download), so its rules
 * are checked here as rules, not by running it: verbatim single quotes with quotes doubled
 * (typographic ones too), bare words only where PowerShell cannot read anything but text, the
 * call operator when the program's name is quoted, and backtick line continuations.
 */
describe('quoting for PowerShell', () => {
  /** The reverse of PowerShell's single-quoted string: what the program receives. */
  function unquote(token: string): string {
    if (!token.startsWith("'")) return token;
    expect(token.endsWith("'")).toBe(true);
    const body = token.slice(1, -1);
    // Inside, a quote character only ever appears doubled.
    expect(body.replace(/(['\u2018\u2019\u201A\u201B])\1/g, '')).not.toMatch(/['\u2018\u2019\u201A\u201B]/);
    return body.replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1');
  }

  it('quotes every adversarial word so that it reads back as itself', () => {
    for (const word of adversarial) expect(unquote(quotePowerShell(word)), JSON.stringify(word)).toBe(word);
  });

  it('leaves bare only words PowerShell reads as plain text', () => {
    for (const bare of [
      'podman',
      'run',
      '-d',
      '--name',
      'web',
      'nginx:1.27',
      'docker.io/library/nginx',
      '8080',
      '0',
      '/data',
      'A=b',
    ])
      expect(quotePowerShell(bare)).toBe(bare);
    // A number with a suffix or leading zeros, a port mapping, $, @, a comma, braces, a # …
    for (const word of ['1kb', '007', '0x10', '8080:80', '$x', '@x', 'a,b', '{x}', '#x', '--%', '-p:1', 'a b', '', '-x.y'])
      expect(quotePowerShell(word)).toMatch(/^'.*'$/s);
  });

  it('doubles straight and typographic single quotes', () => {
    expect(quotePowerShell("it's")).toBe("'it''s'");
    expect(quotePowerShell('‘x’')).toBe("'‘‘x’’'");
    expect(quotePowerShell('$env:HOME `n')).toBe("'$env:HOME `n'");
  });

  it('calls a quoted program with the call operator', () => {
    expect(joinWords(['C:\\Program Files\\podman.exe', 'ps'], 'powershell')).toBe("& 'C:\\Program Files\\podman.exe' ps");
    expect(joinWords(['podman', 'ps'], 'powershell')).toBe('podman ps');
  });

  it('breaks long lines with a backtick at the very end, and sets variables first', () => {
    const cmd = command(
      [
        ['podman', 'run', '-d'],
        ['--name', 'web'],
        ['-e', "A=it's"],
        ['-p', '8080:80'],
        ['docker.io/library/nginx:1.27'],
        ['--label', 'x'.repeat(40)],
      ],
      {
        env: { TOKEN: 'a b' },
      },
    );
    const lines = formatCommand(cmd, 'powershell').split('\n');
    expect(lines[0]).toBe("$env:TOKEN = 'a b'");
    expect(lines[1]).toBe('podman run -d `');
    expect(lines[3]).toBe("  -e 'A=it''s' `");
    expect(lines.at(-1)).not.toMatch(/`$/);
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/ `$/);
  });

  it('warns where Windows PowerShell 5.1 would pass the words differently', () => {
    expect(
      shellNotes(
        [
          command([
            ['podman', 'run'],
            ['-e', 'A="x"'],
          ]),
        ],
        'powershell',
      ),
    ).toHaveLength(1);
    expect(
      shellNotes(
        [
          command([
            ['podman', 'run'],
            ['sh', '-c', ''],
          ]),
        ],
        'powershell',
      ),
    ).toHaveLength(1);
    expect(
      shellNotes(
        [
          command([
            ['podman', 'run'],
            ['-e', 'A=x'],
          ]),
        ],
        'powershell',
      ),
    ).toEqual([]);
    expect(
      shellNotes(
        [
          command([
            ['podman', 'run'],
            ['-e', 'A="x"'],
          ]),
        ],
        'bash',
      ),
    ).toEqual([]);
  });
});
