import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { useState, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { Streamdown } from 'streamdown';
import { Markdown } from '../../src/renderer/src/markdown/Markdown';

/**
 * The benchmark page: one reply streamed into one renderer, `perUpdate` tokens per update,
 * each update committed synchronously and laid out (what the user waits for) in its own task.
 */
const renderers: Record<string, ComponentType<{ text: string }>> = {
  poddesk: ({ text }) => <Markdown text={text} streaming />,
  streamdown: ({ text }) => <Streamdown>{text}</Streamdown>,
  'react-markdown': ({ text }) => <ReactMarkdown remarkPlugins={[remarkGfm]}>{text}</ReactMarkdown>,
};

let setText: (text: string) => void = () => undefined;
const current = 'poddesk';
let setRenderer: (name: string) => void = () => undefined;

function Host() {
  const [text, set] = useState('');
  const [name, setName] = useState(current);
  setText = set;
  setRenderer = setName;
  const R = renderers[name]!;
  return <R key={name} text={text} />;
}

const channel = new MessageChannel();
const nextTask = () =>
  new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: false });

declare global {
  interface Window {
    bench: {
      run(
        name: string,
        tokens: string[],
        perUpdate: number,
        measureOnly?: [number, number][],
      ): Promise<{ durations: (number | null)[]; commit: number[]; longTasks: number[]; finalLength: number }>;
    };
  }
}

window.bench = {
  async run(name, tokens, perUpdate, measureOnly) {
    flushSync(() => setRenderer(name));
    flushSync(() => setText(''));
    await nextTask();
    longTasks.length = 0;
    const root = document.getElementById('root')!;
    const durations: (number | null)[] = [];
    const commit: number[] = [];
    let text = '';
    const updates = Math.ceil(tokens.length / perUpdate);
    for (let u = 0; u < updates; u++) {
      text += tokens.slice(u * perUpdate, (u + 1) * perUpdate).join('');
      // Re-rendering the whole message has no memory: updates outside the measured windows can be skipped.
      if (measureOnly && !measureOnly.some(([a, b]) => u >= a && u < b)) {
        durations.push(null);
        continue;
      }
      const t0 = performance.now();
      flushSync(() => setText(text));
      const t1 = performance.now();
      root.getBoundingClientRect();
      void root.offsetHeight;
      const t2 = performance.now();
      durations.push(t2 - t0);
      commit.push(t1 - t0);
      await nextTask();
    }
    return { durations, commit, longTasks: [...longTasks], finalLength: root.textContent?.length ?? 0 };
  },
};

createRoot(document.getElementById('root')!).render(
  <MantineProvider>
    <Host />
  </MantineProvider>,
);
