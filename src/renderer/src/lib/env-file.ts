/**
 * A pasted .env file as variables: KEY=value lines, `export` allowed, # comments, blank lines,
 * single or double quoted values (double quotes honour \n and \"), as docker and podman read
 * --env-file. Lines that are not variables are reported with their number, not silently dropped.
 */
export interface EnvParse {
  vars: { key: string; value: string }[];
  errors: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseEnvFile(text: string): EnvParse {
  const vars: { key: string; value: string }[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const body = line.startsWith('export ') ? line.slice(7).trim() : line;
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    if (!KEY.test(key)) {
      errors.push(`Line ${index + 1}: “${raw.trim().slice(0, 40)}” is not KEY=value`);
      return;
    }
    let value = eq < 0 ? '' : body.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    } else if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) {
      value = value.slice(1, -1);
    } else {
      const comment = value.search(/\s#/);
      if (comment >= 0) value = value.slice(0, comment).trim();
    }
    vars.push({ key, value });
  });
  return { vars, errors };
}
