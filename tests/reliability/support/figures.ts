import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

/**
 * Appends one line of measured figures to .tmp/reliability-figures.jsonl and prints it, so the
 * numbers in docs/reliability.md come from a run, not from memory.
 */
export function recordFigures(test: string, figures: Record<string, number | string>): void {
  const line = { test, at: new Date().toISOString(), ...figures };
  console.log(`[figures] ${JSON.stringify(line)}`);
  try {
    mkdirSync(join(root, '.tmp'), { recursive: true });
    appendFileSync(join(root, '.tmp', 'reliability-figures.jsonl'), `${JSON.stringify(line)}\n`);
  } catch {
    // Figures are a report, not a result: a read-only checkout must not fail the test.
  }
}
