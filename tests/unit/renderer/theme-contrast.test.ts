import { DEFAULT_THEME, defaultCssVariablesResolver, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast, firstReadable, mix } from '../../../src/renderer/src/lib/contrast';
import { cssVariablesResolver, MIN_CONTRAST, theme } from '../../../src/renderer/src/theme';

const full = mergeMantineTheme(DEFAULT_THEME, theme);
// As Mantine applies them: its defaults, then the theme's own on top.
const defaults = defaultCssVariablesResolver(full);
const own = cssVariablesResolver(full);
const vars: Record<'variables' | 'light' | 'dark', Record<string, string>> = {
  variables: { ...defaults.variables, ...own.variables },
  light: { ...defaults.light, ...own.light },
  dark: { ...defaults.dark, ...own.dark },
};
const { gray, dark } = full.colors;
/** A variable's value, following `var(--x)` to what it names. */
function value(scheme: 'light' | 'dark', name: string): string {
  const raw = vars[scheme][name] ?? vars.variables[name];
  if (!raw) throw new Error(`no ${name} in ${scheme}`);
  const ref = /^var\((--[\w-]+)\)$/.exec(raw);
  return ref ? value(scheme, ref[1]!) : raw;
}
const colours = Object.keys(full.colors);

describe('WCAG 2.x contrast', () => {
  it('measures as the WCAG formula does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#868e96', '#ffffff')).toBeCloseTo(3.32, 2); // Mantine's dimmed on white
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });

  it('takes the first colour that reads, or moves the last one until it does', () => {
    expect(firstReadable(['#eeeeee', '#333333'], ['#ffffff'], 4.5, '#000000')).toBe('#333333');
    const moved = firstReadable(['#999999'], ['#ffffff'], 4.5, '#000000');
    expect(contrast(moved, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrast(moved, '#ffffff')).toBeLessThan(5.2);
  });
});

describe('the theme’s colours read in both schemes', () => {
  const lightSurfaces = ['#ffffff', gray[0], gray[1]];
  const darkSurfaces = [dark[7], dark[6], dark[5]];

  it('dimmed text, links, errors and success on the page, cards and hovered rows', () => {
    for (const name of ['--mantine-color-dimmed', '--mantine-color-anchor', '--mantine-color-error', '--mantine-color-success']) {
      for (const bg of lightSurfaces)
        expect(contrast(value('light', name), bg), `${name} on ${bg}`).toBeGreaterThanOrEqual(MIN_CONTRAST);
      for (const bg of darkSurfaces)
        expect(contrast(value('dark', name), bg), `${name} on ${bg}`).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
    // Dimmed text in the selected navigation item (the primary colour's light background).
    expect(
      contrast(value('light', '--mantine-color-dimmed'), value('light', '--mantine-color-violet-light')),
    ).toBeGreaterThanOrEqual(MIN_CONTRAST);
    expect(
      contrast(value('dark', '--mantine-color-dimmed'), value('dark', '--mantine-color-violet-light')),
    ).toBeGreaterThanOrEqual(MIN_CONTRAST);
  });

  it('every colour: white on filled, light badges, coloured text and outlines', () => {
    for (const c of colours) {
      for (const scheme of ['light', 'dark'] as const) {
        const v = (suffix: string) => value(scheme, `--mantine-color-${c}-${suffix}`);
        expect(contrast('#ffffff', v('filled')), `${scheme} ${c} filled`).toBeGreaterThanOrEqual(MIN_CONTRAST);
        expect(contrast(v('light-color'), v('light')), `${scheme} ${c} light`).toBeGreaterThanOrEqual(MIN_CONTRAST);
        expect(contrast(v('light-color'), v('light-hover')), `${scheme} ${c} light hover`).toBeGreaterThanOrEqual(MIN_CONTRAST);
        for (const bg of scheme === 'light' ? lightSurfaces : darkSurfaces) {
          expect(contrast(v('text'), bg), `${scheme} ${c} text on ${bg}`).toBeGreaterThanOrEqual(MIN_CONTRAST);
          expect(contrast(v('outline'), bg), `${scheme} ${c} outline on ${bg}`).toBeGreaterThanOrEqual(MIN_CONTRAST);
        }
      }
    }
  });

  it('keeps Mantine’s own shades where they already read', () => {
    // Violet (the primary colour) on white was fine: the same shade, not a darker one.
    expect(value('light', '--mantine-color-violet-filled')).toBe(full.colors.violet[6]);
    expect(value('dark', '--mantine-color-blue-light-color')).toBe(full.colors.blue[0]);
  });
});
