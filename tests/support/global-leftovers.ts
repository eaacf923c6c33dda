import { killLeftovers, markRun } from '../../scripts/leftovers.mjs';

/**
 * vitest `globalSetup`: marks this run (every process it starts inherits KIOSK_TEST_RUN), and at
 * the end kills whatever carries the mark and is still running — then fails the run, because a
 * test that leaves a server or browser behind is a bug even when the backstop caught it.
 */
export default function setup() {
  const runId = markRun();
  return () => {
    const left = killLeftovers(runId, [process.pid]);
    if (left.length > 0) {
      // vitest only logs an error thrown from a global teardown; the exit code is what CI reads.
      process.exitCode = 1;
      throw new Error(`the tests left ${left.length} process(es) running (now killed):\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`);
    }
  };
}
