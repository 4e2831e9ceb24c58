import { BrowserWindow, dialog } from 'electron';
import type { HostFiles } from '../host-files';

/** Native open and save dialogs, attached to the focused window. */
export function dialogHostFiles(): HostFiles {
  return {
    async chooseSavePath({ suggestedName, title }) {
      const window = BrowserWindow.getFocusedWindow();
      const options = { defaultPath: suggestedName, ...(title ? { title } : {}) };
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOpenPaths({ title, directories, multiple, filters }) {
      const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] = [directories ? 'openDirectory' : 'openFile'];
      if (multiple) properties.push('multiSelections');
      const options = { properties, ...(title ? { title } : {}), ...(filters ? { filters } : {}) };
      const window = BrowserWindow.getFocusedWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
  };
}
