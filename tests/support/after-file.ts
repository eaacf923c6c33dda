import { afterAll } from 'vitest';
import { stopAllServers } from './server';

/**
 * Loaded before every test file (vitest `setupFiles`): a server a test started but did not stop
 * (a failed beforeAll, an assertion before its `finally`) is stopped, with its process group,
 * when the file ends, instead of living on after the run.
 */
afterAll(async () => {
  const stopped = await stopAllServers();
  if (stopped > 0) console.warn(`[cleanup] stopped ${stopped} server(s) the test file left running`);
});
