import { registryOf } from './registry-errors';

/**
 * The images a Containerfile pulls while it builds: its FROM lines, `COPY --from=<image>` and
 * `RUN --mount=…,from=<image>` — with ARG defaults and the build's arguments applied, as the
 * builder does — minus `scratch` and the file's own stages. A build gets the stored logins of
 * these images' registries only.
 */
export function imagesPulledBy(containerfile: string, buildArgs: Record<string, string> = {}): string[] {
  const globals: Record<string, string> = {};
  const stages = new Set<string>();
  const images = new Set<string>();
  let inStage = false;
  let scope: Record<string, string> = {};

  const expand = (text: string, vars: Record<string, string>) =>
    text.replace(
      /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
      (_m, braced, op, word, bare) => {
        const name = (braced ?? bare) as string;
        const value = vars[name];
        if (op === '-') return value ? value : (word as string);
        if (op === '+') return value ? (word as string) : '';
        return value ?? '';
      },
    );
  const note = (ref: string) => {
    const image = ref.trim();
    if (!image || image.toLowerCase() === 'scratch' || stages.has(image.toLowerCase()) || /^\d+$/.test(image)) return;
    images.add(image);
  };

  for (const line of logicalLines(containerfile)) {
    const match = /^([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = match[1]!.toUpperCase();
    const rest = match[2]!;
    if (instruction === 'ARG') {
      for (const declaration of rest.split(/\s+/).filter(Boolean)) {
        const eq = declaration.indexOf('=');
        const name = eq < 0 ? declaration : declaration.slice(0, eq);
        const fallback = eq < 0 ? undefined : unquote(expand(declaration.slice(eq + 1), inStage ? scope : globals));
        const value = buildArgs[name] ?? fallback ?? (inStage ? globals[name] : undefined);
        if (value === undefined) continue;
        if (inStage) scope[name] = value;
        else globals[name] = value;
      }
    } else if (instruction === 'FROM') {
      const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
      note(expand(words[0] ?? '', globals));
      if (words[1]?.toLowerCase() === 'as' && words[2]) stages.add(words[2].toLowerCase());
      inStage = true;
      // Only ARGs declared again in a stage are seen there (and then with the global's value).
      scope = {};
    } else if (instruction === 'COPY' || instruction === 'ADD') {
      const from = /(?:^|\s)--from=(\S+)/.exec(rest)?.[1];
      if (from) note(expand(unquote(from), { ...globals, ...scope }));
    } else if (instruction === 'RUN') {
      for (const mount of rest.matchAll(/--mount=(\S+)/g)) {
        const from = /(?:^|,)from=([^,]+)/.exec(mount[1]!)?.[1];
        if (from) note(expand(unquote(from), { ...globals, ...scope }));
      }
    }
  }
  return [...images];
}

/** The registries whose logins those images need. */
export function registriesPulledBy(containerfile: string, buildArgs: Record<string, string> = {}): string[] {
  return [...new Set(imagesPulledBy(containerfile, buildArgs).map(registryOf))];
}

function unquote(text: string): string {
  return text.replace(/^(["'])(.*)\1$/, '$2');
}

/** Instructions one per line: continuations joined, comments and blank lines dropped. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (current === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (current !== '' && trimmed.startsWith('#')) continue;
    if (trimmed.endsWith('\\')) {
      current += trimmed.slice(0, -1) + ' ';
      continue;
    }
    lines.push((current + trimmed).trim());
    current = '';
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}
