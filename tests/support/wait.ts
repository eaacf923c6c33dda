/**
 * Waiting on conditions instead of fixed sleeps, so tests hold on a busy machine: a check is
 * polled until it holds or a generous, bounded timeout passes, and a failure says what it
 * waited for.
 */
export interface WaitOptions {
  /** Give up after this long (ms). Default 30 s: generous on a loaded 2-core machine, still bounded. */
  timeout?: number;
  /** Poll interval (ms). */
  interval?: number;
  /** What is being waited for, for the error message. */
  what?: string;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` returns true (or a truthy value, which is returned); rejects after the timeout. */
export async function waitFor<T>(check: () => T | Promise<T>, options: WaitOptions = {}): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const { timeout = 30_000, interval = 50, what = 'a condition' } = options;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${cause}`);
    }
    await delay(interval);
  }
}

/** Like waitFor, but resolves to whether the condition held in time instead of rejecting. */
export async function holdsWithin(check: () => boolean | Promise<boolean>, timeout: number, interval = 50): Promise<boolean> {
  try {
    await waitFor(check, { timeout, interval });
    return true;
  } catch {
    return false;
  }
}

/** Runs `tasks` with at most `limit` in flight at once; results keep the input order. */
export async function withConcurrency<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  });
  await Promise.all(lanes);
  return results;
}
