/** Where the main window opens: where the user left it, unless that place is off every screen now. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export const defaultSize = { width: 1280, height: 820 };
export const minimumSize = { width: 900, height: 600 };

function overlap(a: Bounds, b: Bounds): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * A saved state is kept when at least a quarter of the window would be on a screen (a monitor
 * may have been unplugged since); sizes are clamped to the minimum.
 */
export function restoreWindowState(
  saved: unknown,
  workAreas: Bounds[],
): { bounds: Partial<Bounds> & { width: number; height: number }; maximized: boolean } {
  const fallback = { bounds: { ...defaultSize }, maximized: false };
  if (typeof saved !== 'object' || saved === null) return fallback;
  const s = saved as Partial<WindowState>;
  const b = s.bounds;
  if (!b || ![b.x, b.y, b.width, b.height].every((n) => typeof n === 'number' && Number.isFinite(n))) return fallback;
  const bounds = { x: b.x, y: b.y, width: Math.max(b.width, minimumSize.width), height: Math.max(b.height, minimumSize.height) };
  const visible = workAreas.some((area) => overlap(bounds, area) >= (bounds.width * bounds.height) / 4);
  if (!visible) return { bounds: { width: bounds.width, height: bounds.height }, maximized: Boolean(s.maximized) };
  return { bounds, maximized: Boolean(s.maximized) };
}
