import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { App } from '../../src/main/app';
import { memorySettings } from '../../src/main/store/settings';
import { openUi } from '../support/browser';
import { connectedApp } from '../support/app';
import { NO_OLLAMA_HOST } from '../support/ollama';
import { buildOllamaServerImage } from '../support/ollama-image';
import { podman } from '../support/podman';
import { freePort } from '../support/registry';
import { describeViolations, runAxe } from '../support/axe';

/**
 * No Ollama answers; the Chat page offers "Launch the Ollama stack" and launches it right there:
 * the steps show in the page, and once the stack is up the chat is usable without going anywhere
 * else. The built-in Ollama stack runs, through its own variables, an image with the project's
 * API-faithful Ollama server on a free port (no registry, no real Ollama here): the app finds it
 * as it finds the real one, among the running containers, and chats with it.
 */
const info = inject('podman');
let app: App;
let port: number;

beforeAll(async () => {
  const image = await buildOllamaServerImage(info);
  port = await freePort();
  app = await connectedApp(info, {
    settings: memorySettings({ connection: { endpoint: { kind: 'unix', path: info.socketPath }, label: 'test podman' } }),
    // An Ollama (or an Ollama stack) on this machine's usual port must not answer for the test.
    ollamaDefaultHost: NO_OLLAMA_HOST,
  });
  const set = await app.dispatcher.call('stacks.setVariables', {
    id: 'ollama',
    values: { OLLAMA_IMAGE: image, OLLAMA_PORT: String(port) },
  });
  if (!set.ok) throw new Error(set.error.message);
});
afterAll(async () => {
  await app?.dispatcher.call('stacks.remove', { id: 'ollama', deleteVolumes: true });
  await app?.close();
});

describe('the Chat page without Ollama', () => {
  it.each(['light', 'dark'] as const)(
    'launches the Ollama stack in place, then starts a chat with one of its models (%s)',
    async (colorScheme) => {
      const ui = await openUi(app, { path: '/chat', colorScheme });
      const focused = () => ui.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? 'body');
      try {
        const page = ui.page;
        const panel = page.getByTestId('ollama-panel');
        await expect.poll(() => panel.getAttribute('data-state'), { timeout: 15_000 }).toBe('unreachable');
        expect(describeViolations(`ollama unreachable (${colorScheme})`, await runAxe(page))).toEqual([]);
        // With the mouse in one theme, from the keyboard in the other.
        if (colorScheme === 'light') await page.getByTestId('launch-ollama-stack').click();
        else await page.getByTestId('launch-ollama-stack').press('Enter');

        // The launch's steps, in the Chat page; focus on them while the Launch button is busy.
        const launch = panel.getByTestId('launch-panel');
        await launch.waitFor();
        await launch.locator('[data-testid="launch-step"]').first().waitFor();
        expect(await page.evaluate(() => window.location.hash)).toBe('#/chat');
        await expect.poll(focused).toBe('launch-panel');
        await ui.screenshot(`chat-launch-progress-${colorScheme}`);

        // Up and found: the panel gives way to the chat, still on the Chat page, focus on New chat.
        await page.getByTestId('start-chat').waitFor({ timeout: 90_000 });
        expect(await page.evaluate(() => window.location.hash)).toBe('#/chat');
        await expect.poll(focused).toBe('start-chat');
        expect(await podman(info, 'inspect', '--format', '{{.State.Running}}', 'ollama-ollama-1')).toBe('true');
        await page.getByTestId('start-chat').click();
        await page.getByTestId('conversation').waitFor();
        await page.getByTestId('model-select').click();
        const models = await page.getByRole('option').allTextContents();
        expect(models).toEqual(expect.arrayContaining(['llama3.2:latest', 'qwen3:0.6b']));
        await page.getByRole('option', { name: 'qwen3:0.6b' }).click();
        await page.getByTestId('message-input').fill('Hello from the launched stack');
        await page.getByTestId('send').click();
        const reply = page.locator('[data-testid="message"][data-role="assistant"]').last();
        await expect.poll(() => reply.getAttribute('data-status'), { timeout: 30_000 }).toBe('complete');
        expect(((await reply.getByTestId('markdown').textContent()) ?? '').length).toBeGreaterThan(0);
        await ui.screenshot(`chat-launch-usable-${colorScheme}`);
        expect(describeViolations(`chat after the launch (${colorScheme})`, await runAxe(page))).toEqual([]);
        expect(ui.errors).toEqual([]);
      } finally {
        await ui.close();
        // Stopped again, so the next run finds no Ollama and launches it once more (the container exists).
        await app.dispatcher.call('stacks.stop', { id: 'ollama', timeoutSeconds: 0 });
      }
    },
  );
});
