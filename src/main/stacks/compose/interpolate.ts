/**
 * Variable interpolation as Compose does it (compose-spec "Interpolation"):
 *
 *   $VAR, ${VAR}            the value, or '' when unset (with a warning, like docker compose)
 *   ${VAR:-default}         default when VAR is unset or empty;  ${VAR-default}  only when unset
 *   ${VAR:?message}         an error when VAR is unset or empty; ${VAR?message}  only when unset
 *   ${VAR:+replacement}     replacement when VAR is set and not empty; ${VAR+replacement} when set
 *   $$                      a literal $
 *
 * Defaults, messages and replacements may themselves contain interpolations (`${A:-${B:-x}}`).
 */
export type Lookup = (name: string) => string | undefined;

export interface VariableUse {
  name: string;
  /** The default written in the file (`${X:-default}`), if any, as written (not interpolated). */
  default?: string;
  /** `${X:?…}` / `${X?…}`: the file refuses to work without it. */
  required: boolean;
}

export interface InterpolationResult {
  value: string;
  /** Variables that were used while unset and without a default (docker compose warns about these). */
  unset: string[];
}

export class InterpolationError extends Error {
  /** What is wrong without quoting the text (an env file's line may hold a password). */
  readonly reason: string;
  constructor(message: string, reason = message) {
    super(message);
    this.name = 'InterpolationError';
    this.reason = reason;
  }
}

const malformed = (text: string, reason: string) =>
  new InterpolationError(`Invalid interpolation format in "${text}": ${reason}`, `invalid interpolation: ${reason}`);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

interface State {
  text: string;
  pos: number;
  lookup: Lookup;
  unset: string[];
  uses: VariableUse[] | undefined;
  /** Collecting variable uses only: a missing required variable is not an error. */
  tolerant: boolean;
}

/** Reads until the `}` that closes the current braced expression, interpolating on the way. */
function readUntilClose(s: State): string {
  let out = '';
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos]!;
    if (ch === '}') {
      s.pos++;
      return out;
    }
    if (ch === '$') out += readDollar(s);
    else {
      out += ch;
      s.pos++;
    }
  }
  throw malformed(s.text, 'a "${" is not closed');
}

/** Skips a braced remainder without evaluating it (the branch not taken): only the braces are matched. */
function skipUntilClose(s: State): string {
  const start = s.pos;
  let depth = 0;
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos]!;
    if (ch === '$' && s.text[s.pos + 1] === '$') s.pos += 2;
    else if (ch === '$' && s.text[s.pos + 1] === '{') {
      depth++;
      s.pos += 2;
    } else if (ch === '}') {
      s.pos++;
      if (depth === 0) return s.text.slice(start, s.pos - 1);
      depth--;
    } else s.pos++;
  }
  throw malformed(s.text, 'a "${" is not closed');
}

function readDollar(s: State): string {
  const next = s.text[s.pos + 1];
  if (next === '$') {
    s.pos += 2;
    return '$';
  }
  if (next === '{') {
    s.pos += 2;
    return readBraced(s);
  }
  const match = NAME.exec(s.text.slice(s.pos + 1));
  if (!match) {
    // A lone `$` (e.g. "costs 5$") stays as written, as Compose leaves it.
    s.pos++;
    return '$';
  }
  s.pos += 1 + match[0].length;
  s.uses?.push({ name: match[0], required: false });
  const value = s.lookup(match[0]);
  if (value === undefined) s.unset.push(match[0]);
  return value ?? '';
}

function readBraced(s: State): string {
  const match = NAME.exec(s.text.slice(s.pos));
  if (!match) throw malformed(s.text, 'a variable name must follow "${"');
  const name = match[0];
  s.pos += name.length;
  const value = s.lookup(name);
  const rest = s.text.slice(s.pos);
  if (rest === '') throw malformed(s.text, 'a "${" is not closed');
  if (rest.startsWith('}')) {
    s.pos++;
    s.uses?.push({ name, required: false });
    if (value === undefined) s.unset.push(name);
    return value ?? '';
  }
  const operator = /^(:?[-?+])/.exec(rest)?.[1];
  if (!operator) {
    throw malformed(s.text, `"\${${name}${rest.slice(0, 1)}" (expected "}", ":-", "-", ":?", "?", ":+" or "+")`);
  }
  s.pos += operator.length;
  const colon = operator.startsWith(':');
  const set = colon ? value !== undefined && value !== '' : value !== undefined;
  switch (operator.slice(-1)) {
    case '-': {
      const start = s.pos;
      if (set) {
        const raw = skipUntilClose(s);
        s.uses?.push({ name, default: raw, required: false });
        return value!;
      }
      const fallback = readUntilClose(s);
      s.uses?.push({ name, default: s.text.slice(start, s.pos - 1), required: false });
      return fallback;
    }
    case '?': {
      s.uses?.push({ name, required: true });
      if (set) {
        skipUntilClose(s);
        return value!;
      }
      const message = readUntilClose(s);
      if (s.tolerant) return '';
      throw new InterpolationError(
        message ? `Required variable ${name} is missing a value: ${message}` : `Required variable ${name} is missing a value`,
        `required variable ${name} is missing a value`,
      );
    }
    default: {
      s.uses?.push({ name, required: false });
      if (set) return readUntilClose(s);
      skipUntilClose(s);
      return '';
    }
  }
}

/** Interpolates one string; throws InterpolationError for a malformed or a required-but-missing variable. */
export function interpolate(text: string, lookup: Lookup, uses?: VariableUse[], tolerant = false): InterpolationResult {
  const s: State = { text, pos: 0, lookup, unset: [], uses, tolerant };
  let out = '';
  while (s.pos < text.length) {
    const dollar = text.indexOf('$', s.pos);
    if (dollar < 0) {
      out += text.slice(s.pos);
      break;
    }
    out += text.slice(s.pos, dollar);
    s.pos = dollar;
    out += readDollar(s);
  }
  return { value: out, unset: s.unset };
}

/** The variables a text refers to, with their defaults, without needing their values. */
export function variablesIn(text: string): VariableUse[] {
  const uses: VariableUse[] = [];
  try {
    interpolate(text, () => undefined, uses, true);
  } catch {
    // A malformed text is reported by the parser; here it simply has no (more) variables.
  }
  return uses;
}
