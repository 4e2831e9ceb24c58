import { continuation, joinWords, quote, type Shell } from './quote';

/**
 * A command line as data: the words grouped as they read (the program and its verb, then each
 * option with its value, then the arguments), so it can be shown on one line or one option per
 * line, and run as argv by the tests.
 */
export interface Command {
  groups: string[][];
  /**
   * What it does, in a few words; the page shows it as a caption, never inside the copied text
   * (zsh, the shell of macOS, does not take `# comments` typed at its prompt).
   */
  comment?: string;
  /** Environment variables the command needs (a Compose file's variables). */
  env?: Record<string, string>;
}

export const command = (
  groups: (string[] | false | '' | 0 | undefined | null)[],
  extra: Omit<Command, 'groups'> = {},
): Command => ({
  groups: groups.filter((g): g is string[] => Array.isArray(g) && g.length > 0),
  ...extra,
});

/** An option and its value; `--opt=value` when the value could be read as an option itself. */
export const opt = (name: string, value: string): string[] => (value.startsWith('-') ? [`${name}=${value}`] : [name, value]);

/** The argv the command runs (the first word is the program). */
export const argvOf = (cmd: Command): string[] => cmd.groups.flat();

/** Lines longer than this are broken, one option per line. */
export const LINE_WIDTH = 80;

function envLines(env: Record<string, string>, shell: Shell): { prefix: string; lines: string[] } {
  const entries = Object.entries(env);
  if (entries.length === 0) return { prefix: '', lines: [] };
  if (shell === 'bash') return { prefix: entries.map(([k, v]) => `${k}=${quote(v, 'bash')} `).join(''), lines: [] };
  // PowerShell has no per-command assignment: the variables are set for the session first.
  return { prefix: '', lines: entries.map(([k, v]) => `$env:${k} = ${quote(v, 'powershell')}`) };
}

/** One command in the shell's syntax: on one line when it fits, else one group per line. */
export function formatCommand(cmd: Command, shell: Shell, width = LINE_WIDTH): string {
  const { prefix, lines } = envLines(cmd.env ?? {}, shell);
  const words = argvOf(cmd);
  const oneLine = prefix + joinWords(words, shell);
  if (oneLine.length <= width || cmd.groups.length < 3) return [...lines, oneLine].join('\n');
  const [first, ...rest] = cmd.groups;
  const firstLine = prefix + joinWords(first!, shell);
  const body = rest.map((g) => '  ' + g.map((w) => quote(w, shell)).join(' '));
  const text = [firstLine, ...body].map((l, i, all) => (i < all.length - 1 ? l + continuation[shell] : l)).join('\n');
  return [...lines, text].join('\n');
}

/** Several commands, one after another, with a blank line between them when they span lines. */
export function formatCommands(cmds: readonly Command[], shell: Shell, width = LINE_WIDTH): string {
  const parts = cmds.map((c) => formatCommand(c, shell, width));
  return parts.join(parts.some((p) => p.includes('\n')) ? '\n\n' : '\n');
}

/**
 * What the user should know before pasting into this shell. Windows PowerShell 5.1 (the one
 * Windows ships) drops empty arguments and the double quotes inside arguments when it starts a
 * program; PowerShell 7.3 and later pass them as written.
 */
export function shellNotes(cmds: readonly Command[], shell: Shell): string[] {
  if (shell !== 'powershell') return [];
  const words = cmds.flatMap((c) => [...argvOf(c), ...Object.values(c.env ?? {})]);
  const notes: string[] = [];
  if (words.some((w) => w === '') || words.some((w) => w.includes('"')))
    notes.push(
      'Needs PowerShell 7.3 or later (pwsh): Windows PowerShell 5.1 drops empty arguments and the double quotes inside arguments.',
    );
  return notes;
}
