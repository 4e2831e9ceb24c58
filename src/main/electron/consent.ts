import { BrowserWindow, dialog } from 'electron';
import { AppError } from '../../shared/errors';
import { plainLine, type Consent } from '../consent';

/** Lines a message box shows before "and N more": enough to read, short enough to fit a screen. */
export const DIALOG_LINES = 15;

/**
 * Consent in the desktop app: a native message box, attached to PodDesk's window, that the page
 * can neither draw nor answer. Cancel is the default and what Escape does; only a click on Allow
 * (or Enter after moving to it) agrees. One question at a time: a page that asks again while the
 * box is open is refused rather than stacking boxes for the user to click through.
 */
export function dialogConsent(parent: () => BrowserWindow | null = focusedOrFirst): Consent {
  let open = false;
  return {
    how: 'dialog',
    async ask(request) {
      if (open) throw new AppError('CONFLICT', 'PodDesk is already asking you in a dialog: answer it first.');
      open = true;
      try {
        const shown = request.lines.slice(0, DIALOG_LINES).map((line) => `• ${plainLine(line)}`);
        const more = request.lines.length - shown.length;
        if (more > 0) shown.push(`… and ${more} more (listed in PodDesk under “This computer”)`);
        const options = {
          type: 'warning' as const,
          title: 'PodDesk',
          message: plainLine(request.title),
          detail: [plainLine(request.intro), '', ...shown].join('\n'),
          buttons: ['Cancel', plainLine(request.allowLabel, 40)],
          defaultId: 0,
          cancelId: 0,
          noLink: true,
        };
        const window = parent();
        const { response } = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
        return response === 1 ? { answer: 'allowed' } : { answer: 'refused', message: 'You chose Cancel: nothing was allowed.' };
      } finally {
        open = false;
      }
    },
  };
}

function focusedOrFirst(): BrowserWindow | null {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null;
}
