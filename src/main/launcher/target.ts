import type { Env } from '../system/types';

/** What the desktop shortcut starts inside the distro: a program and its arguments, chosen by main. */
export interface LaunchTarget {
  starts: 'desktop' | 'browser';
  argv: string[];
}

/** WSLg gives every process the distro starts a Wayland and an X display. */
export const hasWslg = (env: Env) => Boolean(env.WAYLAND_DISPLAY || env.DISPLAY);

/**
 * The desktop app where WSLg can show its window; otherwise the browser host, which opens the
 * Windows browser itself. Either may be unknown to the process asking (the browser host does not
 * always know where an Electron binary is; the Electron app has no Node to run the host with).
 */
export function chooseLaunchTarget(options: { env: Env; desktop?: string[]; browser?: string[] }): LaunchTarget | null {
  const { env, desktop, browser } = options;
  if (desktop && (hasWslg(env) || !browser)) return { starts: 'desktop', argv: desktop };
  if (browser) return { starts: 'browser', argv: browser };
  return null;
}

/**
 * How the Electron app starts itself again. An AppImage runs from a mount that is gone once it
 * quits, so the AppImage file itself (APPIMAGE) is what to start; from source, Electron needs
 * the app's folder.
 */
export function electronArgv(options: { execPath: string; isPackaged: boolean; appPath: string; env: Env }): string[] {
  if (options.env.APPIMAGE) return [options.env.APPIMAGE];
  return options.isPackaged ? [options.execPath] : [options.execPath, options.appPath];
}
