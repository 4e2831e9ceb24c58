import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOllamaServer } from '../tests/fixtures/ollama-server/server';
import { crashRounds } from '../tests/support/chat-crash';

/**
 * `npm run soak [rounds]`: the chat history's crash test at length (not part of CI: about a
 * second a round). A child chats against the Ollama test server and is SIGKILLed at a random
 * moment, a hundred times by default; after each kill the history must reopen with every reply
 * the child reported saved. Prints a JSON report and exits 1 on any lost or corrupt conversation.
 */
const rounds = Number(process.argv[2] ?? 100);
const server = await startOllamaServer({ tokensPerSecond: 3_000 });
const dir = await mkdtemp(join(tmpdir(), 'poddesk-soak-'));
const started = Date.now();
try {
  const report = await crashRounds({ dir, ollamaUrl: server.url, rounds });
  const failed = report.lost + report.corrupt + report.unlisted + report.leftStreaming > 0;
  console.log(
    JSON.stringify({ soak: 'chat-store-sigkill', ...report, seconds: (Date.now() - started) / 1000, ok: !failed }, null, 2),
  );
  process.exitCode = failed ? 1 : 0;
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
