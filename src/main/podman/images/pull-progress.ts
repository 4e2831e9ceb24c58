import type { ImagePullProgress } from '../../../shared/contract/images';

/**
 * One line of the compat pull stream (`POST /images/create`), as Podman 4 and Docker write it:
 *   {"status":"Pulling fs layer","progressDetail":{},"id":"3c8779ccd65b"}
 *   {"status":"Downloading","progressDetail":{"current":2978816,"total":4001489},"id":"3c8779ccd65b"}
 *   {"status":"Download complete","progressDetail":{},"id":"3c8779ccd65b"}
 *   {"status":"Already exists","progressDetail":{},"id":"bf37557d6bc3"}
 *   {"error":"…","errorDetail":{"message":"…"}}
 * Measured on Podman 4.3: "Downloading" lines come at most once a second per layer (a layer that
 * arrives faster reports no size at all), the image's config blob shows up as one more "layer",
 * and no final "Digest:"/"Status:" line is written (Docker writes both).
 */
export interface PullLine {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

interface Layer {
  current: number;
  total: number | null;
  done: boolean;
}

const SPEED_WINDOW_MS = 3_000;

export interface PullProgressTracker {
  /** Folds one line in; returns the new totals, or null when the line changed nothing. */
  add(line: PullLine): ImagePullProgress | null;
  /** The pull finished: everything seen is complete. */
  finish(): ImagePullProgress;
  current(): ImagePullProgress;
}

export function createPullProgress(reference: string, now: () => number = () => Date.now()): PullProgressTracker {
  const layers = new Map<string, Layer>();
  const samples: { at: number; bytes: number }[] = [];
  let status = 'Resolving';
  let done = false;

  const bytes = () => {
    let doneBytes = 0;
    let total = 0;
    for (const layer of layers.values()) {
      if (layer.total === null) continue;
      total += layer.total;
      doneBytes += layer.done ? layer.total : Math.min(layer.current, layer.total);
    }
    return { doneBytes, total };
  };

  const snapshot = (): ImagePullProgress => {
    const { doneBytes, total } = bytes();
    const at = now();
    samples.push({ at, bytes: doneBytes });
    while (samples.length > 2 && samples[0]!.at < at - SPEED_WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const elapsed = (at - first.at) / 1000;
    const bytesPerSecond = elapsed > 0 ? Math.max(0, (doneBytes - first.bytes) / elapsed) : 0;
    const all = [...layers.values()];
    const layersDone = all.filter((l) => l.done).length;
    // Layers of unknown size weigh as much as an average known one, so a fast small layer
    // that never reported a size still moves the bar.
    const known = all.filter((l) => l.total !== null && l.total > 0);
    const average = known.length > 0 ? known.reduce((sum, l) => sum + l.total!, 0) / known.length : 1;
    let weighted = 0;
    let weight = 0;
    for (const layer of all) {
      const w = layer.total && layer.total > 0 ? layer.total : average;
      weight += w;
      weighted += layer.done ? w : layer.total ? (Math.min(layer.current, layer.total) / layer.total) * w : 0;
    }
    return {
      reference,
      status,
      layers: all.length,
      layersDone,
      bytesDone: doneBytes,
      bytesTotal: total,
      bytesPerSecond: done ? 0 : Math.round(bytesPerSecond),
      fraction: done ? 1 : weight > 0 ? weighted / weight : null,
      done,
    };
  };

  const layer = (id: string): Layer => {
    let found = layers.get(id);
    if (!found) {
      found = { current: 0, total: null, done: false };
      layers.set(id, found);
    }
    return found;
  };

  return {
    add(line) {
      if (!line.status) return null;
      if (!line.id) {
        status = line.status;
        return snapshot();
      }
      const l = layer(line.id);
      const detail = line.progressDetail ?? {};
      switch (line.status) {
        case 'Downloading':
          if (typeof detail.total === 'number' && detail.total > 0) l.total = detail.total;
          if (typeof detail.current === 'number') l.current = Math.max(l.current, detail.current);
          break;
        case 'Download complete':
        case 'Pull complete':
        case 'Already exists':
          l.done = true;
          if (l.total !== null) l.current = l.total;
          break;
        default:
          break; // "Pulling fs layer", "Waiting", "Verifying Checksum", "Extracting" …
      }
      status = `${line.status} ${line.id}`;
      return snapshot();
    },
    finish() {
      for (const l of layers.values()) {
        l.done = true;
        if (l.total !== null) l.current = l.total;
      }
      done = true;
      status = 'Pulled';
      return snapshot();
    },
    current: snapshot,
  };
}
