import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const AXE = readFileSync(join(import.meta.dirname, '..', '..', 'node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
  /** The first offending element's markup and axe's explanation, so a failure can be understood from the log. */
  html: string;
  summary: string;
}

/**
 * Waits until the screen is still enough to audit: web fonts loaded, no loading placeholder or
 * aria-busy region, no CSS transition or animation running, and no element added, removed or
 * re-attributed for a few frames (text changes, such as a ticking countdown, do not count).
 * On a loaded machine a screen can sit mid-transition for a long moment; auditing then judges
 * a half-drawn frame (a button mid-press, a placeholder about to be replaced), not the screen.
 */
export async function settle(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.evaluate(async (timeout) => {
    const deadline = performance.now() + timeout;
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    await document.fonts.ready;
    let lastChange = performance.now();
    const observer = new MutationObserver(() => (lastChange = performance.now()));
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    try {
      while (performance.now() < deadline) {
        const moving = document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
        const loading = document.querySelector('[aria-busy="true"], .loading') !== null;
        if (!moving && !loading && performance.now() - lastChange >= 150) return;
        await frame();
      }
    } finally {
      observer.disconnect();
    }
  }, timeoutMs);
}

/** axe-core on what is on screen once it has settled; returns the serious and critical violations. */
export async function blockingViolations(page: Page): Promise<AxeViolation[]> {
  await settle(page);
  // The app's CSP forbids inline scripts (rightly), so axe goes in through the debugger protocol.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; help: string; nodes: { target: string[]; html: string; failureSummary?: string }[] }[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<Result> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      html: v.nodes[0]?.html.slice(0, 300) ?? '',
      summary: v.nodes[0]?.failureSummary?.slice(0, 300) ?? '',
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
