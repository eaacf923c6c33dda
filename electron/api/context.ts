import { bookingIdOfToken, verifyBookingToken } from '../core/auth/booking-tokens';
import { staffForToken, type StaffIdentity } from '../core/auth/staff';
import type { AdjustableClock } from '../core/shared/clock';
import type { KioskCore } from '../core/kiosk-core';
import { verifySatelliteCredential } from '../core/pairing/satellites';

/** Who is calling, resolved once per request from the bearer token. */
export type Actor =
  { kind: 'anonymous'; presentedToken: boolean } | { kind: 'booking'; bookingId: number } | { kind: 'staff'; staff: StaffIdentity; token: string };

export interface ApiContext {
  core: KioskCore;
  actor: Actor;
  /** The token as presented, so a long-lived stream can check before each value that it still holds. */
  credential: string | undefined;
  /** Identifies the caller for throttling (remote address, or "ipc" in Electron). */
  clientKey: string;
  /**
   * Where the call comes from. `screen` is the kiosk's own screen (IPC in Electron, or a
   * loopback socket with a loopback Host in server mode) and in-process callers: it books for
   * every driver and is never throttled. `network` is every other caller.
   */
  origin: ClientOrigin;
  /** Present only when the server runs with KIOSK_TEST_CLOCK=1. */
  testClock: AdjustableClock | undefined;
  /** The paired satellite kiosk calling (header `x-kiosk-satellite`), null for everyone else or a revoked one. */
  satellite: { id: string; name: string } | null;
  /** The satellite credential as presented, so satelliteProcedure can re-check it on every call (revocation is immediate). */
  satelliteCredential: string | undefined;
  /**
   * A screen's call a satellite relayed (header `x-kiosk-relayed`, set by the satellite itself):
   * it carries the satellite's credential for the screen's booking limits, never for the
   * satellite's own procedures (hub.lease, hub.replay, hub.release; satelliteProcedure).
   */
  relayed: boolean;
}

/** The header a satellite kiosk sends its credential in. */
export const SATELLITE_HEADER = 'x-kiosk-satellite';
/** The header a satellite adds to every screen call it relays (electron/satellite/hub-client.ts). */
export const RELAY_HEADER = 'x-kiosk-relayed';

export type ClientOrigin = 'screen' | 'network';

export interface ApiEnvironment {
  core: KioskCore;
  testClock?: AdjustableClock;
}

export function resolveActor(core: KioskCore, token: string | undefined): Actor {
  if (!token) return { kind: 'anonymous', presentedToken: false };
  if (token.startsWith('bk_')) {
    const claimed = bookingIdOfToken(token);
    const booking = claimed === null ? undefined : core.bookings.forToken(claimed);
    const bookingId = verifyBookingToken(core.tokenSecret, token, booking, core.clock.now());
    if (bookingId !== null) return { kind: 'booking', bookingId };
  } else if (token.startsWith('st_')) {
    const staff = staffForToken(core, token);
    if (staff) return { kind: 'staff', staff, token };
  }
  return { kind: 'anonymous', presentedToken: true };
}

export function createApiContext(
  env: ApiEnvironment,
  token: string | undefined,
  clientKey: string,
  origin: ClientOrigin = 'screen',
  satelliteCredential?: string,
  relayed = false,
): ApiContext {
  const satellite = satelliteCredential ? verifySatelliteCredential(env.core, satelliteCredential) : null;
  return {
    core: env.core,
    actor: resolveActor(env.core, token),
    credential: token,
    clientKey,
    origin,
    testClock: env.testClock,
    satellite,
    satelliteCredential,
    relayed,
  };
}

/** Reads `x-kiosk-satellite: <credential>`. */
export function satelliteCredentialOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? value.trim() || undefined : undefined;
}

/** Reads `Authorization: Bearer <token>`. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value && /^Bearer\s+(\S+)$/i.exec(value);
  return match ? match[1] : undefined;
}
