import type { SettingsStore } from '../store/settings';
import type { CallHandlers } from '../rpc/handlers';

export function settingsHandlers(settings: SettingsStore) {
  const calls = {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
  } satisfies Partial<CallHandlers>;
  return { calls, streams: {} };
}
