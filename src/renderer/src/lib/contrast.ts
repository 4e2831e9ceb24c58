/**
 * WCAG 2.x contrast, used to choose the theme's text colours once, where they are defined: a
 * colour that does not read on its backgrounds is moved toward black or white until it does.
 */
export type Rgb = readonly [number, number, number];

/** `#rgb` or `#rrggbb` (the theme's palettes are written so). */
export function parseHex(color: string): Rgb {
  const hex = color.replace('#', '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) throw new Error(`Not a hex colour: ${color}`);
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

export function toHex(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** `color` moved `amount` (0–1) of the way toward `target`. */
export function mix(color: string, target: string, amount: number): string {
  const [a, b] = [parseHex(color), parseHex(target)];
  return toHex([0, 1, 2].map((i) => a[i]! + (b[i]! - a[i]!) * amount) as unknown as Rgb);
}

/** Relative luminance as WCAG 2.x defines it. */
export function luminance(color: string): number {
  const [r, g, b] = parseHex(color).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const readsOnAll = (color: string, backgrounds: readonly string[], min: number) =>
  backgrounds.every((bg) => contrast(color, bg) >= min);

/**
 * The first candidate that reads on every background; failing all, the last one moved toward
 * `toward` (black on light backgrounds, white on dark ones) in small steps until it does.
 */
export function firstReadable(
  candidates: readonly string[],
  backgrounds: readonly string[],
  min: number,
  toward: '#000000' | '#ffffff',
): string {
  const found = candidates.find((c) => readsOnAll(c, backgrounds, min));
  if (found) return found;
  const last = candidates.at(-1)!;
  for (let step = 1; step <= 40; step++) {
    const moved = mix(last, toward, step / 40);
    if (readsOnAll(moved, backgrounds, min)) return moved;
  }
  return toward;
}
