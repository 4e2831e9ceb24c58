import { createTheme, Drawer, getPrimaryShade, Modal, Notification, Progress, type CSSVariablesResolver } from '@mantine/core';
import { firstReadable, mix } from './lib/contrast';

export const theme = createTheme({
  primaryColor: 'violet',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "Cascadia Code", "JetBrains Mono", Menlo, Consolas, monospace',
  components: {
    // Mantine's close buttons are an icon alone: a screen reader would announce "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // A progress bar is announced by its name; pages give a better one where they can.
    Progress: Progress.extend({ defaultProps: { 'aria-label': 'Progress' } }),
  },
});

/**
 * WCAG AA asks 4.5:1 for text below 24 px (19 px bold); a little above it, so rounding in a
 * browser's colour maths never lands a colour just under.
 */
export const MIN_CONTRAST = 4.6;
const BLACK = '#000000';
const WHITE = '#ffffff';

/**
 * Mantine's own colour variables, with every text colour checked against the backgrounds it is
 * drawn on, in both schemes. Mantine's defaults miss AA in places: dimmed text (gray 6 on white,
 * 3.3:1; dark 2 on dark cards, 3.5:1), light badges (teal 9 on teal 1, 4.3:1), white on filled
 * red, teal or orange, violet links on dark cards. Where a default does not read, the next shade
 * is taken, or the last one moved toward black (light) or white (dark) until it does.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const { gray, dark } = t.colors;
  const primary = t.colors[t.primaryColor]!;
  const lightShade = getPrimaryShade(t, 'light');
  const darkShade = getPrimaryShade(t, 'dark');
  // Where text sits: the page, hovered and striped rows, cards and inputs.
  const lightSurfaces = [WHITE, gray[0], gray[1]];
  const darkSurfaces = [dark[7], dark[6], dark[5]];
  const darkLightBg = (shades: readonly string[]) => mix(shades[9]!, BLACK, 0.5);

  const light: Record<string, string> = {};
  const darkVars: Record<string, string> = {};
  for (const [name, shades] of Object.entries(t.colors)) {
    const filled = firstReadable(shades.slice(lightShade), [WHITE], MIN_CONTRAST, BLACK);
    const text = firstReadable(shades.slice(lightShade), lightSurfaces, MIN_CONTRAST, BLACK);
    Object.assign(light, {
      [`--mantine-color-${name}-filled`]: filled,
      [`--mantine-color-${name}-filled-hover`]: mix(filled, BLACK, 0.12),
      [`--mantine-color-${name}-text`]: text,
      [`--mantine-color-${name}-outline`]: text,
      [`--mantine-color-${name}-light-color`]: firstReadable([shades[9]!], [shades[1]!, shades[2]!], MIN_CONTRAST, BLACK),
    });
    const darkFilled = firstReadable(shades.slice(darkShade), [WHITE], MIN_CONTRAST, BLACK);
    const darkText = firstReadable(
      [4, 3, 2, 1, 0].map((i) => shades[i]!),
      darkSurfaces,
      MIN_CONTRAST,
      WHITE,
    );
    Object.assign(darkVars, {
      [`--mantine-color-${name}-filled`]: darkFilled,
      [`--mantine-color-${name}-filled-hover`]: mix(darkFilled, BLACK, 0.12),
      [`--mantine-color-${name}-text`]: darkText,
      [`--mantine-color-${name}-outline`]: darkText,
      [`--mantine-color-${name}-light`]: darkLightBg(shades),
      [`--mantine-color-${name}-light-hover`]: mix(shades[9]!, BLACK, 0.3),
      [`--mantine-color-${name}-light-color`]: firstReadable(
        [shades[0]!],
        [darkLightBg(shades), mix(shades[9]!, BLACK, 0.3)],
        MIN_CONTRAST,
        WHITE,
      ),
    });
  }
  return {
    variables: {},
    light: {
      ...light,
      '--mantine-color-dimmed': firstReadable([gray[6]], [...lightSurfaces, primary[1]], MIN_CONTRAST, BLACK),
      '--mantine-color-anchor': `var(--mantine-color-${t.primaryColor}-text)`,
      '--mantine-color-error': 'var(--mantine-color-red-text)',
      '--mantine-color-success': 'var(--mantine-color-teal-text)',
    },
    dark: {
      ...darkVars,
      '--mantine-color-dimmed': firstReadable([dark[2]], [...darkSurfaces, darkLightBg(primary)], MIN_CONTRAST, WHITE),
      '--mantine-color-anchor': `var(--mantine-color-${t.primaryColor}-text)`,
      '--mantine-color-error': 'var(--mantine-color-red-text)',
      '--mantine-color-success': 'var(--mantine-color-teal-text)',
    },
  };
};
