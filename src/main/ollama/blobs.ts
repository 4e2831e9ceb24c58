import { AppError } from '../../shared/errors';
import { ollamaError } from './errors';

/**
 * The three requests of an import, as Ollama's API defines them (docs/api.md "Check if a Blob
 * Exists", "Push a Blob", "Create a Model"). The `ollama` package has no streaming blob upload
 * and no `files` in its create request, so these speak HTTP themselves.
 */
export interface OllamaHttp {
  host: string;
  fetch?: typeof fetch;
}

async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: the text itself (a proxy's page) is not worth showing.
  }
  return `HTTP ${response.status}`;
}

const failed = (error: unknown, host: string, what: string) => ollamaError(error, host, what);

/** HEAD /api/blobs/<digest>: true on 200, false on 404. */
export async function blobExists(http: OllamaHttp, digest: string, signal: AbortSignal): Promise<boolean> {
  const response = await (http.fetch ?? fetch)(`${http.host}/api/blobs/${digest}`, { method: 'HEAD', signal }).catch(
    (error: unknown) => {
      throw failed(error, http.host, 'Could not ask Ollama whether it has the file');
    },
  );
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw new AppError('OLLAMA_ERROR', `Ollama answered HTTP ${response.status} when asked whether it has the file`, {
    status: response.status,
  });
}

/**
 * POST /api/blobs/<digest> with the file's bytes as they are read (nothing is held in memory).
 * Ollama answers 201 (or 200 when it had it), or 400 when what arrived is not what the digest names.
 */
export async function pushBlob(
  http: OllamaHttp,
  digest: string,
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): Promise<void> {
  const response = await (http.fetch ?? fetch)(`${http.host}/api/blobs/${digest}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: body as unknown as BodyInit,
    signal,
    duplex: 'half',
  } as RequestInit).catch((error: unknown) => {
    throw failed(error, http.host, 'Could not send the file to Ollama');
  });
  if (response.status === 200 || response.status === 201) {
    await response.body?.cancel();
    return;
  }
  const text = await errorText(response);
  if (response.status === 400 && /digest mismatch/i.test(text)) {
    throw new AppError(
      'OLLAMA_ERROR',
      'The file changed while it was being imported: Ollama received bytes with another checksum than PodDesk computed. Nothing was imported; try again once the file is complete.',
      { status: 400, ollama: text },
    );
  }
  throw new AppError('OLLAMA_ERROR', `Ollama did not take the file: ${text}`, { status: response.status, ollama: text });
}

export interface CreateFromFiles {
  model: string;
  files: Record<string, string>;
  template?: string;
  system?: string;
  parameters?: Record<string, unknown>;
}

/** POST /api/create, streaming: each status line to `onStatus`; resolves on "success". */
export async function createFromFiles(
  http: OllamaHttp,
  request: CreateFromFiles,
  onStatus: (status: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const what = `Ollama could not create ${request.model}`;
  try {
    const response = await (http.fetch ?? fetch)(`${http.host}/api/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...request, stream: true }),
      signal,
    });
    if (!response.ok || !response.body) {
      const text = await errorText(response);
      throw new AppError('OLLAMA_ERROR', `${what}: ${text}`, { status: response.status, ollama: text });
    }
    const decoder = new TextDecoder();
    let pending = '';
    const handleLine = (line: string): boolean => {
      if (line.trim() === '') return false;
      let parsed: { status?: unknown; error?: unknown };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        throw new AppError('OLLAMA_ERROR', `${what}: it answered something that is not a status line`);
      }
      if (typeof parsed.error === 'string')
        throw new AppError('OLLAMA_ERROR', `${what}: ${parsed.error}`, { ollama: parsed.error });
      if (typeof parsed.status === 'string') {
        onStatus(parsed.status);
        return parsed.status === 'success';
      }
      return false;
    };
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (handleLine(line)) return;
    }
    if (handleLine(pending + decoder.decode())) return;
    throw new AppError('OLLAMA_UNAVAILABLE', `The connection to Ollama at ${http.host} ended before the model was created`);
  } catch (error) {
    throw failed(error, http.host, what);
  }
}
