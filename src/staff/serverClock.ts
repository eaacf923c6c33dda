import { useSyncExternalStore } from 'react';

/**
 * The console's idea of the server's "now": the offset between the server clock (from each
 * live ping) and this PC's clock, plus a one-second tick so countdowns move without refetching.
 */
let offsetMs = 0;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

const notify = () => {
  now = Date.now() + offsetMs;
  for (const listener of listeners) listener();
};

export function syncServerTime(serverTimeIso: string): void {
  offsetMs = Date.parse(serverTimeIso) - Date.now();
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) timer = setInterval(notify, 1_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** Server time in ms, re-rendering every second. */
export const useServerNow = () => useSyncExternalStore(subscribe, () => now);
