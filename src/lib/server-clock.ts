import { useEffect, useState } from 'react';

/**
 * The server's "now" on this kiosk, as one offset from the local monotonic clock.
 *
 * Every answer carries the server's clock (`serverTime`) as of when it was written; it reaches
 * the kiosk a little later. So `serverTime - localArrival` is a lower bound of the true offset,
 * and the best estimate is the largest one seen: a slow answer or a late push (which would pull
 * the time back) never lowers it. Consequences the driver can see:
 * - a booking that starts "now" on the server is never shown as in the future, because its
 *   own answer already moved the estimate to at least its startTime;
 * - the time shown never goes backwards because of how a tick and a push interleave.
 * Only a sample far below the estimate (the server's clock really went back, e.g. a restart on
 * a clock set back) replaces it. The local side is performance.now(), which a local wall-clock
 * change cannot move.
 */
const REAL_CHANGE_MS = 10_000;

let offset: number | null = null;

const localNow = () => performance.now();

export const serverClock = {
  /** Feed one `serverTime` as it arrives. */
  sample(serverTime: string | undefined): void {
    if (!serverTime) return;
    const parsed = Date.parse(serverTime);
    if (Number.isNaN(parsed)) return;
    const candidate = parsed - localNow();
    if (offset === null || candidate > offset || candidate < offset - REAL_CHANGE_MS) offset = candidate;
  },
  /** The server's time now (UTC ms); the local clock until the server has been heard. */
  now(): number {
    return offset === null ? Date.now() : Math.floor(localNow() + offset);
  },
};

/**
 * Picks the `serverTime` out of an answer as it arrives: a booking, lot or ping, a list of
 * them, a tracked push ({ id, data }) or a renewal ({ newBooking }).
 */
export function serverTimeOf(data: unknown, depth = 0): string | undefined {
  if (depth > 2) return undefined;
  const item: unknown = Array.isArray(data) ? data[0] : data;
  if (typeof item !== 'object' || item === null) return undefined;
  const { serverTime, data: inner, newBooking } = item as { serverTime?: unknown; data?: unknown; newBooking?: unknown };
  if (typeof serverTime === 'string') return serverTime;
  return serverTimeOf(inner, depth + 1) ?? serverTimeOf(newBooking, depth + 1);
}

/** Local time, re-read every `everyMs` so countdowns and clocks move. */
export function useNow(everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The server's time now (UTC ms), re-read every `everyMs`: the kiosk's countdowns and the
 * console's clocks alike. Read at render from the one estimate above, never from a tick's
 * stale copy of the local time.
 */
export function useServerNow(everyMs = 250): number {
  useNow(everyMs);
  return serverClock.now();
}
