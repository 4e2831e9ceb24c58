import Store from 'electron-store';
import { readSettings, type SettingsStore } from '../store/settings';
import type { WindowState } from '../store/window-state';

interface Persisted {
  settings: unknown;
  window: WindowState | null;
}

/**
 * Settings in electron-store (a JSON file in the app's user-data folder). `cwd` lets the tests
 * put the file in a temporary folder.
 */
export function electronSettings(options: { cwd?: string } = {}) {
  const store = new Store<Persisted>({
    name: 'settings',
    ...(options.cwd ? { cwd: options.cwd } : {}),
    defaults: { settings: {}, window: null },
  });
  const settings: SettingsStore = {
    get: () => readSettings(store.get('settings')),
    async update(patch) {
      const next = readSettings({ ...readSettings(store.get('settings')), ...patch });
      store.set('settings', next);
      return next;
    },
  };
  return {
    settings,
    windowState: () => store.get('window'),
    saveWindowState: (state: WindowState) => store.set('window', state),
  };
}
