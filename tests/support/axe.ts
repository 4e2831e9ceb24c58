import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, NodeResult, Result } from 'axe-core';

/**
 * axe-core in the page under test, limited to the WCAG 2.1 A and AA rules. Its source is
 * evaluated through the DevTools protocol (the app's CSP allows no script the page did not
 * load itself), once per document.
 */
export const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let source: Promise<string> | undefined;
function axeSource(): Promise<string> {
  source ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

export async function runAxe(page: Page): Promise<Result[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource());
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG21_AA,
  );
  return results.violations;
}

interface ContrastData {
  fgColor?: string;
  bgColor?: string;
  contrastRatio?: number;
  expectedContrastRatio?: string;
  fontSize?: string;
  fontWeight?: string;
}

/** What a check measured, when it measured colours: the numbers a fix needs. */
function contrast(node: NodeResult): string {
  const data = [...node.any, ...node.all, ...node.none].map((c) => c.data as ContrastData | null).find((d) => d?.contrastRatio);
  if (!data) return '';
  return ` — ${data.contrastRatio}:1 (needs ${data.expectedContrastRatio}), ${data.fgColor} on ${data.bgColor}, ${data.fontSize} ${data.fontWeight}`;
}

/** One line per element: where, which rule, how bad, and the contrast numbers if any. */
export function describeViolations(where: string, violations: Result[]): string[] {
  return violations.flatMap((v) =>
    v.nodes.map(
      (node) =>
        `${where}: ${v.id} (${v.impact ?? 'unknown'}) at ${node.target.join(' ')}${contrast(node)} — ${v.help}` +
        (node.html.length < 100 ? ` — ${node.html}` : ` — ${node.html.slice(0, 97)}…`),
    ),
  );
}
