/**
 * Words on a command line, quoted so that the shell hands the program exactly these words.
 *
 * bash (and sh, dash, zsh): a word made only of characters no shell treats specially is left
 * bare; anything else goes in single quotes, where nothing is special but the closing quote, and a
 * quote inside is written '\'' (close, an escaped quote, open again). Newlines, `$`, backticks,
 * `!` and unicode are all literal inside single quotes.
 *
 * PowerShell: single-quoted strings are verbatim too; a quote inside is doubled. PowerShell counts
 * the typographic quotes ‘ ’ ‚ ‛ as single quotes as well, so those are doubled the same way. A
 * bare word is only safe when PowerShell cannot read it as anything but text: it starts with a
 * letter (a digit would make `1kb` the number 1024 and `007` the number 7), or it is a plain flag
 * or a plain integer. When the program's name itself needs quotes, the call operator `&` runs it
 * (a quoted string first on a line is a value, not a command).
 */
export type Shell = 'bash' | 'powershell';

export const shellNames: Record<Shell, string> = { bash: 'bash', powershell: 'PowerShell' };

const POSIX_BARE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

const POWERSHELL_BARE = /^(?:[A-Za-z][A-Za-z0-9_./:=-]*|--?[A-Za-z][A-Za-z0-9-]*|0|[1-9][0-9]*|\/[A-Za-z0-9_./-]*)$/;

/** The characters PowerShell ends a single-quoted string at: ' and its typographic cousins. */
const POWERSHELL_SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

function noNul(word: string): void {
  // A NUL ends a C string: no program can receive one in an argument, whatever the quoting.
  if (word.includes('\0')) throw new Error('An argument cannot contain a NUL character');
}

export function quotePosix(word: string): string {
  noNul(word);
  if (POSIX_BARE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function quotePowerShell(word: string): string {
  noNul(word);
  if (POWERSHELL_BARE.test(word)) return word;
  return `'${word.replace(POWERSHELL_SINGLE_QUOTES, (q) => q + q)}'`;
}

export function quote(word: string, shell: Shell): string {
  return shell === 'bash' ? quotePosix(word) : quotePowerShell(word);
}

/** Words as one line of the shell's own syntax (the first word is the program). */
export function joinWords(words: readonly string[], shell: Shell): string {
  const quoted = words.map((w) => quote(w, shell));
  if (shell === 'powershell' && quoted.length > 0 && quoted[0] !== words[0]) quoted[0] = `& ${quoted[0]}`;
  return quoted.join(' ');
}

/** What ends a line that goes on: a backslash in bash, a backtick in PowerShell (each must be last on its line). */
export const continuation: Record<Shell, string> = { bash: ' \\', powershell: ' `' };
