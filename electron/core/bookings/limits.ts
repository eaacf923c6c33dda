import type { KioskCore } from '../kiosk-core';
import { fail } from '../shared/errors';

/**
 * Per-client limits for anonymous bookings from the network (origin 'network', not staff).
 * The kiosk's own screen books for every driver and is never limited (nor, later, a paired
 * kiosk of the lot: see isUnlimitedBooker in electron/api/routers/booking.ts).
 *
 * - attemptsPerMinute: booking.create / renew calls a client may make in any 60 s;
 * - activeAtOnce: its bookings that are still running or yet to start;
 * - vehicleBusyPerHour: "that vehicle already has a booking" answers a client gets in an
 *   hour; after that it gets TOO_MANY_REQUESTS instead, so nobody can probe plates at speed.
 *
 * Counted in memory (a restart forgets them, which only ever helps a driver).
 */
export const NETWORK_BOOKING_LIMITS = { attemptsPerMinute: 6, activeAtOnce: 3, vehicleBusyPerHour: 3 } as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Clients remembered at most; the quietest are forgotten first. */
const MAX_CLIENTS = 10_000;

interface ClientRecord {
  attempts: number[];
  busyAnswers: number[];
  bookingIds: number[];
  lastSeen: number;
}

const states = new WeakMap<KioskCore, Map<string, ClientRecord>>();

function recordFor(core: KioskCore, clientKey: string, now: number): ClientRecord {
  let clients = states.get(core);
  if (!clients) states.set(core, (clients = new Map()));
  let record = clients.get(clientKey);
  if (!record) {
    if (clients.size >= MAX_CLIENTS) {
      const oldest = [...clients.entries()].sort((a, b) => a[1].lastSeen - b[1].lastSeen).slice(0, MAX_CLIENTS / 10);
      for (const [key] of oldest) clients.delete(key);
    }
    record = { attempts: [], busyAnswers: [], bookingIds: [], lastSeen: now };
  }
  clients.delete(clientKey);
  clients.set(clientKey, record);
  record.lastSeen = now;
  record.attempts = record.attempts.filter((at) => at > now - MINUTE);
  record.busyAnswers = record.busyAnswers.filter((at) => at > now - HOUR);
  return record;
}

function activeCount(core: KioskCore, ids: number[], now: number): number {
  return core.bookings.activeAmong(ids, now);
}

/** Before a network client's booking attempt: refuses with TOO_MANY_REQUESTS and a reason, or counts the attempt. */
export function admitNetworkBooking(core: KioskCore, clientKey: string): void {
  const now = core.clock.now();
  const record = recordFor(core, clientKey, now);
  const limits = NETWORK_BOOKING_LIMITS;
  if (record.busyAnswers.length >= limits.vehicleBusyPerHour) {
    const minutes = Math.max(1, Math.ceil((record.busyAnswers[0]! + HOUR - now) / MINUTE));
    fail(
      'TOO_MANY_REQUESTS',
      `Too many checks of vehicles that already hold a booking from this device. Please try again in ${minutes} minutes, or use the kiosk's own screen.`,
      { reason: 'VEHICLE_CHECK_LIMIT', retryAfterMinutes: minutes },
    );
  }
  if (record.attempts.length >= limits.attemptsPerMinute) {
    fail('TOO_MANY_REQUESTS', `Too many bookings from this device in a minute (at most ${limits.attemptsPerMinute}). Please wait a minute.`, {
      reason: 'BOOKING_RATE_LIMIT',
      perMinute: limits.attemptsPerMinute,
    });
  }
  record.bookingIds = record.bookingIds.slice(-50);
  const active = activeCount(core, record.bookingIds, now);
  if (active >= limits.activeAtOnce) {
    fail('TOO_MANY_REQUESTS', `This device already holds ${active} active bookings (at most ${limits.activeAtOnce}). Use the kiosk's own screen for more.`, {
      reason: 'BOOKING_ACTIVE_LIMIT',
      maxActive: limits.activeAtOnce,
    });
  }
  record.attempts.push(now);
}

/**
 * Before a network client's plate correction: the one limit that applies is the vehicle-busy
 * one, so a booking token cannot be used to probe which plates are parked (a correction that
 * fails with VEHICLE_BUSY does not use up the driver's one correction).
 */
export function admitNetworkVehicleCheck(core: KioskCore, clientKey: string): void {
  const now = core.clock.now();
  const record = recordFor(core, clientKey, now);
  if (record.busyAnswers.length >= NETWORK_BOOKING_LIMITS.vehicleBusyPerHour) {
    const minutes = Math.max(1, Math.ceil((record.busyAnswers[0]! + HOUR - now) / MINUTE));
    fail(
      'TOO_MANY_REQUESTS',
      `Too many checks of vehicles that already hold a booking from this device. Please try again in ${minutes} minutes, or use the kiosk's own screen.`,
      { reason: 'VEHICLE_CHECK_LIMIT', retryAfterMinutes: minutes },
    );
  }
}

/** After the attempt: remembers the booking made, or a VEHICLE_BUSY answer given. */
export function noteNetworkBooking(core: KioskCore, clientKey: string, outcome: { bookingId: number } | { vehicleBusy: true }): void {
  const now = core.clock.now();
  const record = recordFor(core, clientKey, now);
  if ('bookingId' in outcome) record.bookingIds.push(outcome.bookingId);
  else record.busyAnswers.push(now);
}
