import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { LIBPOD, type Engine } from '../engine';
import { HELPER_LABEL } from '../../../shared/labels';

/** Where the helper container mounts the volume it opens. */
export const VOLUME_ROOT = '/poddesk-volume';
export const VOLUME_LABEL = 'io.poddesk.volume';

/**
 * Helper containers: one per volume that cannot be read from this computer, created from a small
 * image (a setting; pulled once, with the user's consent, and kept). A helper is created when a
 * volume is first opened, started only when a job needs a shell (a listing, a rename), and removed
 * after a quiet minute, when its volume is removed, and when the app closes.
 */
export interface Helpers {
  /** The helper's container name for this volume, created (and started, when asked) if needed. */
  acquire(volume: string, running: boolean): Promise<string>;
  /** The job that acquired it is done; the helper goes once nobody has used it for a while. */
  release(volume: string): void;
  /** The helper was found gone or stopped: check again next time. */
  invalidate(volume: string): void;
  /** Removes every helper of this volume (so the volume can be removed). */
  removeFor(volume: string): Promise<void>;
  image(): string;
  imagePresent(): Promise<boolean>;
  pullImage(signal?: AbortSignal): Promise<void>;
  /** Removes helpers a previous run left behind (stopped ones). */
  cleanupLeftovers(): Promise<void>;
  close(): Promise<void>;
}

export interface HelperDeps {
  engine(): Engine;
  image(): string;
  idleMs?: number;
  log?: (message: string, error?: unknown) => void;
}

interface Slot {
  name: string;
  users: number;
  running: boolean;
  /** Known to exist (and, with `running`, to run) since the last check. */
  prepared: boolean;
  timer?: ReturnType<typeof setTimeout>;
  ready?: Promise<void>;
}

export function helperName(volume: string): string {
  return `poddesk-helper-${createHash('sha256').update(volume).digest('hex').slice(0, 12)}`;
}

export function missingImageError(image: string): AppError {
  return new AppError(
    'NOT_FOUND',
    `This volume is opened through a helper container, and its image ${image} is not on this machine yet`,
    { helperImage: image },
  );
}

export function createHelpers(deps: HelperDeps): Helpers {
  const slots = new Map<string, Slot>();
  const idleMs = deps.idleMs ?? 60_000;
  const log = deps.log ?? (() => undefined);
  const containerPath = (name: string) => `${LIBPOD}/containers/${encodeURIComponent(name)}`;

  const imagePresent = async () => {
    try {
      await deps.engine().json('GET', `${LIBPOD}/images/${encodeURIComponent(deps.image())}/exists`);
      return true;
    } catch (error) {
      if ((error as AppError).code === 'NOT_FOUND') return false;
      throw error;
    }
  };

  const remove = async (name: string) => {
    try {
      await deps.engine().json('DELETE', containerPath(name), { query: { force: true, timeout: 0 } });
    } catch (error) {
      if ((error as AppError).code !== 'NOT_FOUND') throw error;
    }
  };

  const state = async (name: string): Promise<string | null> => {
    try {
      const info = await deps.engine().json<{ State?: { Status?: string } }>('GET', `${containerPath(name)}/json`);
      return info.State?.Status ?? 'unknown';
    } catch (error) {
      if ((error as AppError).code === 'NOT_FOUND') return null;
      throw error;
    }
  };

  const prepare = async (volume: string, slot: Slot, running: boolean) => {
    const current = await state(slot.name);
    if (current === null) {
      if (!(await imagePresent())) throw missingImageError(deps.image());
      await deps.engine().json('POST', `${LIBPOD}/containers/create`, {
        body: {
          name: slot.name,
          image: deps.image(),
          // `sleep` ends by itself: a helper left behind by a crash does not run for ever.
          entrypoint: ['sleep'],
          command: ['3600'],
          labels: { [HELPER_LABEL]: 'volume-browser', [VOLUME_LABEL]: volume },
          volumes: [{ Name: volume, Dest: VOLUME_ROOT }],
          netns: { nsmode: 'none' },
          stop_timeout: 0,
        },
      });
      slot.running = false;
    } else {
      slot.running = current === 'running';
    }
    if (running && !slot.running) {
      await deps.engine().json('POST', `${containerPath(slot.name)}/start`, { accept: [304] });
      slot.running = true;
    }
  };

  return {
    async acquire(volume, running) {
      let slot = slots.get(volume);
      if (!slot) {
        slot = { name: helperName(volume), users: 0, running: false, prepared: false };
        slots.set(volume, slot);
      }
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.users++;
      try {
        // One preparation at a time per volume; whoever waited looks again (it may need it running).
        while (slot.ready) await slot.ready.catch(() => undefined);
        if (!slot.prepared || (running && !slot.running)) {
          const s = slot;
          s.ready = prepare(volume, s, running).finally(() => (s.ready = undefined));
          await s.ready;
          s.prepared = true;
        }
        return slot.name;
      } catch (error) {
        slot.users--;
        throw error;
      }
    },

    invalidate(volume) {
      const slot = slots.get(volume);
      if (slot) slot.prepared = false;
    },

    release(volume) {
      const slot = slots.get(volume);
      if (!slot) return;
      slot.users = Math.max(0, slot.users - 1);
      if (slot.users > 0) return;
      slot.timer = setTimeout(() => {
        if (slot.users > 0) return;
        slots.delete(volume);
        remove(slot.name).catch((error: unknown) => log('helper removal failed', error));
      }, idleMs);
      slot.timer.unref?.();
    },

    async removeFor(volume) {
      const slot = slots.get(volume);
      if (slot?.timer) clearTimeout(slot.timer);
      slots.delete(volume);
      const found = await deps.engine().json<{ Id: string }[]>('GET', `${LIBPOD}/containers/json`, {
        query: { all: true, filters: { label: [`${VOLUME_LABEL}=${volume}`] } },
      });
      await Promise.all((found ?? []).map((c) => remove(c.Id)));
    },

    image: () => deps.image(),
    imagePresent,

    async pullImage(signal) {
      const response = await deps.engine().stream('POST', `${LIBPOD}/images/pull`, {
        query: { reference: deps.image(), quiet: true },
        signal,
      });
      let text = '';
      response.setEncoding('utf8');
      for await (const chunk of response) text += chunk as string;
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        let parsed: { error?: string };
        try {
          parsed = JSON.parse(line) as { error?: string };
        } catch {
          continue;
        }
        if (parsed.error) throw new AppError('ENGINE_ERROR', `Could not pull ${deps.image()}: ${parsed.error}`);
      }
      if (!(await imagePresent())) throw new AppError('ENGINE_ERROR', `Podman did not keep ${deps.image()} after pulling it`);
    },

    async cleanupLeftovers() {
      const found = await deps
        .engine()
        .json<{ Id: string; State?: string; Created?: string }[]>('GET', `${LIBPOD}/containers/json`, {
          query: { all: true, filters: { label: [HELPER_LABEL] } },
        });
      const hourAgo = Date.now() - 3_600_000;
      const stale = (found ?? []).filter(
        (c) => c.State === 'exited' || (c.State === 'created' && Date.parse(c.Created ?? '') < hourAgo),
      );
      await Promise.all(stale.map((c) => remove(c.Id)));
    },

    async close() {
      const names = [...slots.values()];
      slots.clear();
      for (const slot of names) if (slot.timer) clearTimeout(slot.timer);
      await Promise.all(names.map((s) => remove(s.name).catch(() => undefined)));
    },
  };
}
