import type { PullProgress } from '../../shared/contract';

/**
 * Ollama reports a pull one layer at a time ({status, digest, total, completed}); the user wants
 * one bar. The tracker sums every layer seen so far and measures speed over a sliding window,
 * counting only bytes downloaded in this pull (a resumed pull starts from what was there).
 */
export interface PullLine {
  status?: string;
  digest?: string;
  total?: number;
  completed?: number;
}

export function createPullTracker(now: () => number = () => Date.now(), windowMs = 3_000) {
  const layers = new Map<string, { total: number; completed: number }>();
  const samples: { at: number; bytes: number }[] = [];
  let status = '';

  const sum = () => {
    let completed = 0;
    let total = 0;
    for (const l of layers.values()) {
      completed += Math.min(l.completed, l.total || l.completed);
      total += l.total;
    }
    return { completed, total };
  };

  return {
    update(line: PullLine): PullProgress {
      if (line.status) status = line.status;
      if (line.digest) {
        const layer = layers.get(line.digest) ?? { total: 0, completed: 0 };
        if (typeof line.total === 'number' && line.total > 0) layer.total = line.total;
        if (typeof line.completed === 'number') layer.completed = Math.max(layer.completed, line.completed);
        layers.set(line.digest, layer);
      }
      const { completed, total } = sum();
      const at = now();
      // Speed counts from the first layer line: bytes already there (a resumed pull) are no speed.
      if (line.digest) samples.push({ at, bytes: completed });
      while (samples.length > 2 && samples[0]!.at < at - windowMs) samples.shift();
      const first = samples[0];
      const seconds = first ? (at - first.at) / 1000 : 0;
      const bytesPerSecond = first && seconds > 0.2 ? Math.max(0, (completed - first.bytes) / seconds) : 0;
      const done = status === 'success';
      return { status, completed: done ? total : completed, total, bytesPerSecond, layers: layers.size, done };
    },
  };
}
