import type { ApiChatRequest } from './chat-request';

/**
 * "Call this model from your code": the chat's own `/api/chat` request written as code a learner
 * can paste — curl, Python (`requests`, the `ollama` package) and JavaScript `fetch`, each
 * streaming the reply as it is written.
 */
export type SnippetLanguage = 'curl' | 'python-requests' | 'python-ollama' | 'javascript';
export type SnippetPlace = 'computer' | 'stack' | 'container';

export const SNIPPET_LANGUAGES: { value: SnippetLanguage; label: string }[] = [
  { value: 'curl', label: 'curl' },
  { value: 'python-requests', label: 'Python (requests)' },
  { value: 'python-ollama', label: 'Python (ollama)' },
  { value: 'javascript', label: 'JavaScript (fetch)' },
];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

/**
 * Where the code runs decides the address: on this computer Ollama is at the configured address
 * (localhost and its port when it is on this computer); a container on the Ollama stack's network
 * reaches it by its service name; any other container reaches this computer as
 * host.containers.internal (Podman's name for the host), on the published port.
 */
export function ollamaBaseUrl(configured: string, place: SnippetPlace): string {
  if (place === 'stack') return 'http://ollama:11434';
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    url = new URL('http://127.0.0.1:11434');
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const onThisComputer = LOOPBACK.has(url.hostname);
  if (!onThisComputer) return `${url.protocol}//${url.host}`;
  const host = place === 'computer' ? 'localhost' : 'host.containers.internal';
  return `${url.protocol}//${host}:${port}`;
}

/** A JSON value as a Python literal (True/False/None), strings escaped as JSON does, which Python reads the same. */
export function pythonLiteral(value: unknown, indent = 0): string {
  const pad = '    '.repeat(indent + 1);
  const end = '    '.repeat(indent);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad + pythonLiteral(v, indent + 1)).join(',\n')},\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(v, indent + 1)}`).join(',\n')},\n${end}}`;
}

/** Single quotes keep everything literal in bash, zsh and sh; a quote inside is closed, escaped and reopened. */
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function curlSnippet(request: ApiChatRequest, base: string): string {
  return [
    '# Each line of the answer is one JSON object; -N prints them as they arrive.',
    `curl -N ${base}/api/chat \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(request, null, 2))}`,
  ].join('\n');
}

export function pythonRequestsSnippet(request: ApiChatRequest, base: string): string {
  return `import json

import requests

OLLAMA_URL = ${JSON.stringify(base)}

request = ${pythonLiteral(request)}

# stream=True: read the answer line by line as the model writes it.
with requests.post(f"{OLLAMA_URL}/api/chat", json=request, stream=True, timeout=(5, 300)) as reply:
    if reply.status_code != 200:
        raise SystemExit(f"Ollama answered {reply.status_code}: {reply.text}")
    for line in reply.iter_lines():
        if not line:
            continue
        chunk = json.loads(line)
        if "error" in chunk:
            raise SystemExit(chunk["error"])
        print(chunk.get("message", {}).get("content", ""), end="", flush=True)
        if chunk.get("done"):
            print()
`;
}

export function pythonOllamaSnippet(request: ApiChatRequest, base: string): string {
  return `# pip install ollama
from ollama import Client

client = Client(host=${JSON.stringify(base)})

request = ${pythonLiteral(request)}

# With stream=True (in the request), chat() gives the answer piece by piece.
for chunk in client.chat(**request):
    print(chunk["message"]["content"], end="", flush=True)
print()
`;
}

export function javascriptSnippet(request: ApiChatRequest, base: string): string {
  return `// Node.js 18 or newer: save as chat.mjs and run \`node chat.mjs\`.
// In a web page, add the text to an element instead of process.stdout.write.
const OLLAMA_URL = ${JSON.stringify(base)};

const request = ${JSON.stringify(request, null, 2)};

const response = await fetch(\`\${OLLAMA_URL}/api/chat\`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(request),
});
if (!response.ok) throw new Error(\`Ollama answered \${response.status}: \${await response.text()}\`);

// The answer streams as lines of JSON: read them as they arrive.
const reader = response.body.getReader();
const decoder = new TextDecoder();
let pending = '';
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  pending += decoder.decode(value, { stream: true });
  const lines = pending.split('\\n');
  pending = lines.pop();
  for (const line of lines) {
    if (!line.trim()) continue;
    const chunk = JSON.parse(line);
    if (chunk.error) throw new Error(chunk.error);
    process.stdout.write(chunk.message?.content ?? '');
    if (chunk.done) process.stdout.write('\\n');
  }
}
`;
}

export function snippet(language: SnippetLanguage, request: ApiChatRequest, base: string): string {
  switch (language) {
    case 'curl':
      return curlSnippet(request, base);
    case 'python-requests':
      return pythonRequestsSnippet(request, base);
    case 'python-ollama':
      return pythonOllamaSnippet(request, base);
    case 'javascript':
      return javascriptSnippet(request, base);
  }
}

/** The request the Models page shows for a model: one question, streamed, the model's own defaults. */
export function sampleRequest(model: string): ApiChatRequest {
  return { model, messages: [{ role: 'user', content: 'Why is the sky blue? Answer in one sentence.' }], stream: true };
}
