import { readFileSync } from 'node:fs';
import { settingsSchema, type Settings } from '../../shared/contract';
import { writeFileAtomic } from './atomic-file';

/**
 * Settings as the services see them. The Electron app keeps them in electron-store
 * (electron-settings.ts); the browser host and the tests keep them in a JSON file.
 */
export interface SettingsStore {
  get(): Settings;
  /** Main may set any setting; the page's patches (settings.update) cannot name the connection. */
  update(patch: Partial<Settings>): Promise<Settings>;
}

/** Whatever was saved, read leniently: a bad or missing value falls back to its default. */
export function readSettings(raw: unknown): Settings {
  const parsed = settingsSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const defaults = settingsSchema.parse({});
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) {
    const one = settingsSchema.shape[key as keyof Settings].safeParse(record[key]);
    if (one.success) kept[key] = one.data;
  }
  return settingsSchema.parse(kept);
}

export function memorySettings(initial: Partial<Settings> = {}): SettingsStore {
  let current = readSettings(initial);
  return {
    get: () => current,
    async update(patch) {
      current = readSettings({ ...current, ...patch });
      return current;
    },
  };
}

export function fileSettings(path: string): SettingsStore {
  let current: Settings;
  try {
    current = readSettings(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    current = readSettings({});
  }
  let writing = Promise.resolve();
  return {
    get: () => current,
    update(patch) {
      current = readSettings({ ...current, ...patch });
      const snapshot = JSON.stringify(current, null, 2);
      writing = writing.then(() => writeFileAtomic(path, snapshot));
      return writing.then(() => current);
    },
  };
}
