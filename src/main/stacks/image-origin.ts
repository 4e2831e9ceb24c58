import { isMap, isScalar, parseDocument, LineCounter } from 'yaml';

/** Where a service's image is named in its Compose file: the line, and the variable it comes from. */
export interface ImageOrigin {
  /** 1-based line of the `image:` key. */
  line?: number;
  /** The variable that sets it (`image: ${OLLAMA_IMAGE:-ollama/ollama}`), when it comes from one. */
  variable?: string;
}

/** Finds the `image:` of `service` in the file's text; empty when the file says it some other way. */
export function imageOrigin(yaml: string, service: string): ImageOrigin {
  const lines = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lines });
  const services = doc.get('services', true);
  if (!isMap(services)) return {};
  const spec = services.get(service, true);
  if (!isMap(spec)) return {};
  const pair = spec.items.find((p) => isScalar(p.key) && p.key.value === 'image');
  if (!pair || !isScalar(pair.key)) return {};
  const line = pair.key.range ? lines.linePos(pair.key.range[0]).line : undefined;
  const raw = isScalar(pair.value) ? String(pair.value.value) : '';
  const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(raw)?.[1] ?? /\$([A-Za-z_][A-Za-z0-9_]*)/.exec(raw)?.[1];
  return { ...(line !== undefined ? { line } : {}), ...(variable ? { variable } : {}) };
}
