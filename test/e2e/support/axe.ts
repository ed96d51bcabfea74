import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { z } from 'zod';

const Violations = z.array(
  z.object({
    id: z.string(),
    impact: z.string().nullish(),
    help: z.string(),
    nodes: z.array(z.object({ html: z.string() })),
  }),
);

/** WCAG 2.x A and AA rules; the product promises no serious or critical violation of them. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core on the page as it is now (or on the element `within` selects, e.g. a screen's
 * `main`; rules in `except` left out) and returns the serious and critical violations, one line
 * each with the elements concerned. The script goes in through the DevTools protocol, which the
 * page's Content-Security-Policy does not govern, so the app is checked with its real headers.
 */
export async function seriousViolations(
  page: Page,
  { within = 'html', except = [] }: { within?: string; except?: string[] } = {},
): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) {
    await page.evaluate(axe.source);
  }
  const json = await page.evaluate(
    `axe.run(${JSON.stringify(within)}, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ${JSON.stringify(TAGS)} }, rules: ${JSON.stringify(Object.fromEntries(except.map((id) => [id, { enabled: false }])))} }).then((r) => JSON.stringify(r.violations))`,
  );
  return Violations.parse(JSON.parse(String(json)))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 5)
          .map((n) => n.html.slice(0, 160))
          .join(' | ')}`,
    );
}
