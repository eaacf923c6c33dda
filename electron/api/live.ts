import type { ChangeBus, ChangeEvent } from '../core/shared/events';
import { ChangeWaiter } from '../core/shared/events';

/**
 * The shape of every live subscription: yield `read()` now, again after every matching
 * committed change, and at least once per heartbeat (so time-driven changes such as expiry
 * show up even on a quiet lot). `changed` says whether a change, not the heartbeat, woke it.
 */
export async function* liveQuery<T>(
  bus: ChangeBus,
  matches: (event: ChangeEvent) => boolean,
  heartbeatMs: number,
  signal: AbortSignal | undefined,
  read: (changed: boolean) => T,
): AsyncGenerator<T> {
  const waiter = new ChangeWaiter(bus, matches);
  try {
    let changed = false;
    while (!signal?.aborted) {
      yield read(changed);
      changed = await waiter.next(heartbeatMs, signal);
    }
  } finally {
    waiter.close();
  }
}

export const inLot = (lotId: number | undefined) => (event: ChangeEvent) => lotId === undefined || event.lotId === lotId;
