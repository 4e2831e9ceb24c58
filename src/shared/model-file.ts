/**
 * What a model file must look like, checked in the page (to say so at once) and in main (which
 * decides): GGUF files begin with the four bytes "GGUF" (llama.cpp's gguf.h, GGUF_MAGIC).
 */
export const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46] as const;

export function isGguf(head: Uint8Array): boolean {
  return head.length >= 4 && GGUF_MAGIC.every((byte, i) => head[i] === byte);
}

export function notGgufMessage(fileName: string): string {
  return `${fileName} is not a GGUF model file (it does not begin with "GGUF"). Ollama imports .gguf files, as found on Hugging Face under "GGUF"; other formats (safetensors, .bin, .pt) must be converted first.`;
}

/** What the `files` map of /api/create calls the file: its own name when it is a plain .gguf name, else model.gguf. */
export function ggufEntryName(fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}\.gguf$/i.test(base) ? base : 'model.gguf';
}

/** Parameters a Modelfile may set (Ollama's docs/modelfile.md, "Valid Parameters and Values"). */
export const MODEL_PARAMETERS = [
  'num_ctx',
  'repeat_last_n',
  'repeat_penalty',
  'temperature',
  'seed',
  'stop',
  'num_predict',
  'top_k',
  'top_p',
  'min_p',
  'num_keep',
  'typical_p',
  'presence_penalty',
  'frequency_penalty',
  'num_gpu',
  'num_thread',
  'num_batch',
] as const;

/**
 * Parameter rows as /api/create takes them: numbers as numbers, `stop` (which may repeat) as a
 * list of strings; a value that should be a number and is not is a mistake to name.
 */
export function parametersFrom(
  rows: readonly { key: string; value: string }[],
): { value: Record<string, unknown> } | { error: string } {
  const out: Record<string, unknown> = {};
  for (const { key, value } of rows) {
    const k = key.trim();
    const v = value.trim();
    if (k === '' && v === '') continue;
    if (!(MODEL_PARAMETERS as readonly string[]).includes(k)) {
      return { error: `"${k}" is not a parameter Ollama knows: use one of ${MODEL_PARAMETERS.join(', ')}` };
    }
    if (v === '') return { error: `${k} needs a value` };
    if (k === 'stop') {
      out.stop = [...((out.stop as string[] | undefined) ?? []), v];
      continue;
    }
    if (k in out) return { error: `${k} is set twice` };
    const n = Number(v);
    if (!Number.isFinite(n)) return { error: `${k} is a number (as in ${k === 'temperature' ? '0.7' : '4096'}), not "${v}"` };
    out[k] = n;
  }
  return { value: out };
}
