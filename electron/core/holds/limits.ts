import type { KioskCore } from '../kiosk-core';
import { fail } from '../shared/errors';

/**
 * Per-client limits on slot holds for callers from the network (origin 'network', not staff),
 * in the manner of bookings/limits.ts, so that nobody can hold the whole lot:
 * - liveAtOnce: holds a client may have live at once (counted in the database, by client key);
 * - attemptsPerMinute: slot.hold calls in any 60 s, so holding, letting go and holding again
 *   cannot walk over the lot either.
 * The kiosk's own screen is never limited.
 */
export const NETWORK_HOLD_LIMITS = { liveAtOnce: 1, attemptsPerMinute: 10 } as const;

const MINUTE = 60_000;
const MAX_CLIENTS = 10_000;

/** Counts a network client's hold attempt, or refuses it with TOO_MANY_REQUESTS. */
export function admitNetworkHold(core: KioskCore, clientKey: string): void {
  const now = core.clock.now();
  const clients = core.holdAttempts;
  const recent = (clients.get(clientKey) ?? []).filter((at) => at > now - MINUTE);
  if (recent.length >= NETWORK_HOLD_LIMITS.attemptsPerMinute) {
    fail(
      'TOO_MANY_REQUESTS',
      `Too many slot choices from this device in a minute (at most ${NETWORK_HOLD_LIMITS.attemptsPerMinute}). Please wait a minute.`,
      'HOLD_LIMIT',
    );
  }
  recent.push(now);
  clients.delete(clientKey);
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
  clients.set(clientKey, recent);
}
