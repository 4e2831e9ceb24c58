import { InterpolationError, interpolate, type Lookup } from './interpolate';

/**
 * The dotenv format Compose reads for `.env` and `env_file`: KEY=VALUE lines, `#` comments,
 * an optional `export `, single quotes literal, double quotes with \n \t \" \\ escapes, and
 * `${VAR}` interpolation in unquoted and double-quoted values (earlier keys of the same file
 * count). A line that is not KEY=VALUE is an error with its line number — and never its text:
 * env files hold passwords, and the message is shown.
 */
export function parseEnvFile(text: string, lookup: Lookup = () => undefined, fileName = '.env'): Record<string, string> {
  const out: Record<string, string> = {};
  const scoped: Lookup = (name) => (name in out ? out[name] : lookup(name));
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=?)\s*(.*)$/.exec(line);
    const fail = (reason: string) => new Error(`${fileName}, line ${i + 1}: ${reason}`);
    const expand = (text: string) => {
      try {
        return interpolate(text, scoped).value;
      } catch (e) {
        throw e instanceof InterpolationError ? fail(e.reason) : e;
      }
    };
    if (!match) throw fail('expected KEY=VALUE');
    const [, key, eq, rawValue] = match as unknown as [string, string, string, string];
    if (!eq && rawValue) throw fail('expected KEY=VALUE');
    if (!eq) {
      // A bare KEY takes its value from the environment, as in `environment:`.
      const v = lookup(key);
      if (v !== undefined) out[key] = v;
      continue;
    }
    let value = rawValue;
    if (value.startsWith("'")) {
      const end = value.indexOf("'", 1);
      if (end < 0) throw fail("unterminated ' quote");
      out[key] = value.slice(1, end);
      continue;
    }
    if (value.startsWith('"')) {
      let j = 1;
      let acc = '';
      // Double-quoted values may span lines.
      for (;;) {
        if (j >= value.length) {
          if (i + 1 >= lines.length) throw fail('unterminated " quote');
          acc += '\n';
          value += '\n' + lines[++i]!;
          continue;
        }
        const ch = value[j]!;
        if (ch === '"') break;
        if (ch === '\\' && j + 1 < value.length) {
          const next = value[++j]!;
          acc += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
        } else acc += ch;
        j++;
      }
      out[key] = expand(acc);
      continue;
    }
    const comment = value.search(/\s#/);
    if (comment >= 0) value = value.slice(0, comment);
    out[key] = expand(value.trim());
  }
  return out;
}
