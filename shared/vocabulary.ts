/**
 * The kiosk's vocabulary, written once for every layer: the database schema (db/schema.ts),
 * the router's zod enums (electron/api), the core and the renderer (src/) all import these
 * lists and types, so a new vehicle type or error reason is added here and nowhere else
 * (the compiler then points at every table, catalog and switch that must learn it).
 *
 * This folder is shared by both processes: it imports nothing from electron/ or src/ and
 * uses no Node or DOM API.
 */

/** What a slot is for. Stored order; screens keep their own display order (typed against this). */
export const VEHICLE_TYPES = ['car', 'bike', 'suv', 'ev', 'truck'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

/** A booking's stored status; "completed" is also derived at read time once its end has come. */
export const BOOKING_STATUSES = ['booked', 'completed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Instant (starts now, on the kiosk) or advance (a chosen later start). */
export const BOOKING_TYPES = ['instant', 'advance'] as const;
export type BookingType = (typeof BOOKING_TYPES)[number];

/** Extras a driver can add to a booking. */
export const ADD_ON_KINDS = ['car_wash'] as const;
export type AddOnKind = (typeof ADD_ON_KINDS)[number];

/** A staff member's role: the owner also sets up the lot, prices, staff and backups. */
export const STAFF_ROLES = ['staff', 'owner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * What a central document sets at a lot (issue 15): its tariff, its slot map, its settings.
 * Central stores them (central/db/schema.ts), the lot applies them (electron/sync/documents.ts).
 */
export const DOCUMENT_KINDS = ['tariff', 'slot_map', 'lot_settings'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Sentence-ready "car, bike, suv, ev or truck" for validation messages. */
export const oneOf = (values: readonly string[]): string =>
  values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;

/**
 * Failures a person can act on. The codes are tRPC's names so the router maps them one to one,
 * but nothing here depends on tRPC: the core stays transport-free.
 */
export type DomainErrorCode =
  'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'TOO_MANY_REQUESTS' | 'SERVICE_UNAVAILABLE';

/**
 * The closed set of stable reasons the core gives, for screens that must tell two failures of
 * one code apart, with the facts the core knows about each. On the wire (tRPC error
 * `data.reason`) only the `reason` name travels, as it always has; the parameters stay on the
 * server's DomainError (`error.detail`) for logs and tests.
 */
export type ErrorReason =
  | { reason: 'SLOT_TAKEN' }
  | { reason: 'VEHICLE_BUSY' }
  // Slot holds (issue 13): another driver is booking the slot; the caller's own hold ran out;
  // a network client holds as many slots (or chose as often) as it may.
  | { reason: 'SLOT_HELD' }
  | { reason: 'HOLD_EXPIRED' }
  | { reason: 'HOLD_LIMIT' }
  // Tariffs: a stay longer than the lot's maximum stay; a booking length the lot does not offer.
  | { reason: 'MAX_STAY_EXCEEDED'; maxMinutes: number }
  | { reason: 'DURATION_NOT_OFFERED'; maxMinutes: number; stepMinutes: number }
  // Extend: the slot's next booking leaves no room for the longer stay (and its grace).
  | { reason: 'SLOT_BOOKED_NEXT' }
  /** A new PIN is the wrong length or too easy to guess. */
  | { reason: 'PIN_WEAK' }
  | { reason: 'WRONG_PIN' }
  /** Two staff share the PIN: log in with name + PIN. */
  | { reason: 'NAME_NEEDED' }
  /** First-run setup from another device without the printed setup code. */
  | { reason: 'SETUP_CODE_NEEDED' }
  /** Growing delay after wrong PINs, setup codes or references. */
  | { reason: 'TOO_MANY_ATTEMPTS'; retryAfterSeconds: number }
  /** Per-client limits for anonymous bookings from the network (electron/core/bookings/limits.ts). */
  | { reason: 'BOOKING_RATE_LIMIT'; perMinute: number }
  | { reason: 'BOOKING_ACTIVE_LIMIT'; maxActive: number }
  | { reason: 'VEHICLE_CHECK_LIMIT'; retryAfterMinutes: number }
  // Setting up a lot and its slots (console first run and settings).
  | { reason: 'LOT_EXISTS' }
  | { reason: 'TIME_ZONE_UNKNOWN' }
  | { reason: 'CURRENCY_UNSUPPORTED' }
  | { reason: 'LABELS_INVALID' }
  | { reason: 'LABEL_TAKEN' }
  // Correcting a booking's plate (electron/core/bookings/plate-correction.ts).
  /** The driver's few minutes to correct the plate have passed (or the booking is no longer running): staff can still. */
  | { reason: 'CORRECTION_WINDOW_CLOSED' }
  /** The driver already corrected this plate once. */
  | { reason: 'ALREADY_CORRECTED' }
  /** The "corrected" plate is the plate the booking already has. */
  | { reason: 'PLATE_UNCHANGED' }
  /** Staff must say why they change a plate (it goes into the audit log). */
  | { reason: 'REASON_NEEDED' }
  // Several kiosks at one lot (issue 14, docs/multi-kiosk.md).
  /** A satellite kiosk holds a lease on this slot: only that kiosk may sell it for now. */
  | { reason: 'SLOT_LEASED' }
  /** A satellite without its hub: this slot is not one it holds a lease on. */
  | { reason: 'NOT_AT_THIS_KIOSK' }
  /** A satellite without its hub whose leases ran out: nothing can be sold here until the hub is back. */
  | { reason: 'KIOSK_OUT_OF_SERVICE' }
  /** A satellite without its hub: this needs the hub (staff, reports, other kiosks' bookings). */
  | { reason: 'HUB_UNREACHABLE' }
  // Pairing satellites with a hub (issue 14, electron/core/pairing).
  /** Wrong, expired or used pairing code, or a connection that does not reach the hub directly. */
  | { reason: 'PAIRING_REFUSED' }
  /** Pairing needs the hub to serve TLS (start it as a hub). */
  | { reason: 'PAIRING_NEEDS_TLS' }
  /** The satellite credential is unknown or was revoked. */
  | { reason: 'SATELLITE_REVOKED' };

/** A reason's name, as it travels on the wire. */
export type ErrorReasonCode = ErrorReason['reason'];

/** The reason with that name, parameters and all. */
export type ErrorReasonOf<C extends ErrorReasonCode> = Extract<ErrorReason, { reason: C }>;

/** Names of the reasons that carry no parameters (these may be given by name alone). */
export type BareReasonCode = {
  [C in ErrorReasonCode]: keyof Omit<ErrorReasonOf<C>, 'reason'> extends never ? C : never;
}[ErrorReasonCode];

// A record, so the compiler refuses a reason missing from (or unknown to) the list.
const REASON_NAMES: Record<ErrorReasonCode, true> = {
  SLOT_TAKEN: true,
  VEHICLE_BUSY: true,
  SLOT_HELD: true,
  HOLD_EXPIRED: true,
  HOLD_LIMIT: true,
  MAX_STAY_EXCEEDED: true,
  DURATION_NOT_OFFERED: true,
  SLOT_BOOKED_NEXT: true,
  PIN_WEAK: true,
  WRONG_PIN: true,
  NAME_NEEDED: true,
  SETUP_CODE_NEEDED: true,
  TOO_MANY_ATTEMPTS: true,
  BOOKING_RATE_LIMIT: true,
  BOOKING_ACTIVE_LIMIT: true,
  VEHICLE_CHECK_LIMIT: true,
  LOT_EXISTS: true,
  TIME_ZONE_UNKNOWN: true,
  CURRENCY_UNSUPPORTED: true,
  LABELS_INVALID: true,
  LABEL_TAKEN: true,
  CORRECTION_WINDOW_CLOSED: true,
  ALREADY_CORRECTED: true,
  PLATE_UNCHANGED: true,
  REASON_NEEDED: true,
  SLOT_LEASED: true,
  NOT_AT_THIS_KIOSK: true,
  KIOSK_OUT_OF_SERVICE: true,
  HUB_UNREACHABLE: true,
  PAIRING_REFUSED: true,
  PAIRING_NEEDS_TLS: true,
  SATELLITE_REVOKED: true,
};

/** Every reason name, for checks (catalog coverage) and for reading a reason off the wire. */
export const ERROR_REASON_CODES = Object.keys(REASON_NAMES) as readonly ErrorReasonCode[];

/** A reason name from the wire, or undefined for anything this build does not know. */
export const asErrorReasonCode = (value: unknown): ErrorReasonCode | undefined =>
  typeof value === 'string' && Object.hasOwn(REASON_NAMES, value) ? (value as ErrorReasonCode) : undefined;
