/**
 * A model name as Ollama accepts it: [host[:port]/][namespace/]model[:tag]. Letters, digits and
 * `_ . -` in each part; no spaces, no `..`, nothing that could escape into a path or URL. The
 * contract checks it in main; the page checks the same way to say what is wrong as one types.
 */
export const MODEL_NAME_PATTERN =
  /^(?:[a-zA-Z0-9][a-zA-Z0-9_.-]*(?::[0-9]{1,5})?\/)?(?:[a-zA-Z0-9][a-zA-Z0-9_.-]*\/){0,2}[a-zA-Z0-9][a-zA-Z0-9_.-]*(?::[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})?$/;

export const MODEL_NAME_HINT = 'use letters, digits, "_", "." and "-", as in llama3.2:3b or namespace/model:tag';

/** What is wrong with a model name, or null when Ollama takes it. */
export function modelNameProblem(raw: string): string | null {
  const name = raw.trim();
  if (name === '') return 'A model name is required';
  if (name.length > 350) return 'A model name is at most 350 characters';
  if (/\s/.test(name)) return `Not a model name: no spaces — ${MODEL_NAME_HINT}`;
  if (!MODEL_NAME_PATTERN.test(name)) return `Not a model name: ${MODEL_NAME_HINT}`;
  if (name.includes('..')) return 'Not a model name: ".." is not allowed';
  return null;
}
