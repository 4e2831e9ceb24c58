import { describe, expect, it } from 'vitest';
import { InterpolationError, interpolate, variablesIn } from '../../../src/main/stacks/compose/interpolate';

const env: Record<string, string> = { NAME: 'web', EMPTY: '', PORT: '8080' };
const lookup = (name: string) => env[name];
const run = (text: string) => interpolate(text, lookup).value;

describe('Compose interpolation', () => {
  it('substitutes $VAR and ${VAR}', () => {
    expect(run('$NAME-${NAME}')).toBe('web-web');
    expect(run('${PORT}:80')).toBe('8080:80');
  });

  it('applies :- when unset or empty, - only when unset', () => {
    expect(run('${MISSING:-dflt}')).toBe('dflt');
    expect(run('${EMPTY:-dflt}')).toBe('dflt');
    expect(run('${EMPTY-dflt}')).toBe('');
    expect(run('${MISSING-dflt}')).toBe('dflt');
    expect(run('${NAME:-dflt}')).toBe('web');
  });

  it('applies :+ and + replacements', () => {
    expect(run('${NAME:+set}')).toBe('set');
    expect(run('${EMPTY:+set}')).toBe('');
    expect(run('${EMPTY+set}')).toBe('set');
    expect(run('${MISSING+set}')).toBe('');
  });

  it('refuses a required variable with its message', () => {
    expect(() => run('${MISSING:?set it please}')).toThrow(InterpolationError);
    expect(() => run('${MISSING:?set it please}')).toThrow('Required variable MISSING is missing a value: set it please');
    expect(() => run('${EMPTY:?}')).toThrow(/Required variable EMPTY/);
    expect(run('${EMPTY?x}')).toBe('');
  });

  it('interpolates nested defaults, and does not evaluate the branch not taken', () => {
    expect(run('${MISSING:-${PORT:-1}}')).toBe('8080');
    expect(run('${MISSING:-${ALSO_MISSING:-deep}}')).toBe('deep');
    // The default is not taken, so its required variable is not an error.
    expect(run('${NAME:-${MISSING:?never}}')).toBe('web');
  });

  it('keeps $$ as a literal $ and a lone $ as it is', () => {
    expect(run('echo $$HOME')).toBe('echo $HOME');
    expect(run('costs 5$')).toBe('costs 5$');
    expect(run('a $ b')).toBe('a $ b');
  });

  it('reports unset variables used without a default, as docker compose warns', () => {
    const result = interpolate('${MISSING} and $OTHER and ${NAME}', lookup);
    expect(result.value).toBe(' and  and web');
    expect(result.unset).toEqual(['MISSING', 'OTHER']);
  });

  it('refuses malformed expressions', () => {
    expect(() => run('${NAME')).toThrow(/not closed/);
    expect(() => run('${}')).toThrow(/variable name/);
    expect(() => run('${NAME!x}')).toThrow(/Invalid interpolation format/);
  });

  it('lists the variables a text uses, with their defaults', () => {
    expect(variablesIn('${IMAGE:-docker.io/ollama/ollama:latest} ${TOKEN:?need} $PLAIN ${A:-${B:-x}}')).toEqual([
      { name: 'IMAGE', default: 'docker.io/ollama/ollama:latest', required: false },
      { name: 'TOKEN', required: true },
      { name: 'PLAIN', required: false },
      { name: 'B', default: 'x', required: false },
      { name: 'A', default: '${B:-x}', required: false },
    ]);
  });
});
