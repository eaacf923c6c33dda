import { afterAll } from 'vitest';
import { closeAllBrowsers } from './browser';

/** Browser tests (vitest.e2e.config.ts `setupFiles`): a browser a file left open is closed when the file ends. */
afterAll(async () => {
  const closed = await closeAllBrowsers();
  if (closed > 0) console.warn(`[cleanup] closed ${closed} browser(s) the test file left open`);
});
