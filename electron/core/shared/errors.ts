/**
 * Failures a person can act on. The codes are tRPC's names so the router maps them one to
 * one, but nothing here depends on tRPC: the core stays transport-free.
 */
export type DomainErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

/** A finer, stable reason for screens that must tell two failures of one code apart. */
export type DomainErrorReason =
  | 'SLOT_TAKEN'
  | 'VEHICLE_BUSY'
  // Slot holds (issue 13): another driver is booking the slot; the caller's own hold ran out;
  // a network client holds as many slots as it may.
  | 'SLOT_HELD'
  | 'HOLD_EXPIRED'
  | 'HOLD_LIMIT'
  // Tariffs: a stay longer than the lot's maximum stay; a booking length the lot does not offer.
  | 'MAX_STAY_EXCEEDED'
  | 'DURATION_NOT_OFFERED'
  // Extend: the slot's next booking leaves no room for the longer stay (and its grace).
  | 'SLOT_BOOKED_NEXT'
  /** A new PIN is the wrong length or too easy to guess. */
  | 'PIN_WEAK'
  | 'WRONG_PIN'
  /** Two staff share the PIN: log in with name + PIN. */
  | 'NAME_NEEDED'
  /** First-run setup from another device without the printed setup code. */
  | 'SETUP_CODE_NEEDED'
  /** Growing delay after wrong PINs, setup codes or references. */
  | 'TOO_MANY_ATTEMPTS'
  /** Per-client limits for anonymous bookings from the network (electron/core/bookings/limits.ts). */
  | 'BOOKING_RATE_LIMIT'
  | 'BOOKING_ACTIVE_LIMIT'
  | 'VEHICLE_CHECK_LIMIT'
  // Setting up a lot and its slots (console first run and settings).
  | 'LOT_EXISTS'
  | 'TIME_ZONE_UNKNOWN'
  | 'CURRENCY_UNSUPPORTED'
  | 'LABELS_INVALID'
  | 'LABEL_TAKEN'
  // Correcting a booking's plate (electron/core/bookings/plate-correction.ts).
  /** The driver's few minutes to correct the plate have passed (or the booking is no longer running): staff can still. */
  | 'CORRECTION_WINDOW_CLOSED'
  /** The driver already corrected this plate once. */
  | 'ALREADY_CORRECTED'
  /** The "corrected" plate is the plate the booking already has. */
  | 'PLATE_UNCHANGED'
  /** Staff must say why they change a plate (it goes into the audit log). */
  | 'REASON_NEEDED'
  // Pairing satellites with a hub (issue 14, electron/core/pairing).
  /** Wrong, expired or used pairing code, or a connection that does not reach the hub directly. */
  | 'PAIRING_REFUSED'
  /** Pairing needs the hub to serve TLS (start it as a hub). */
  | 'PAIRING_NEEDS_TLS'
  /** The satellite credential is unknown or was revoked. */
  | 'SATELLITE_REVOKED';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly reason?: DomainErrorReason,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const fail = (code: DomainErrorCode, message: string, reason?: DomainErrorReason): never => {
  throw new DomainError(code, message, reason);
};
