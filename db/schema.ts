import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ADD_ON_KINDS, BOOKING_STATUSES, BOOKING_TYPES, STAFF_ROLES, VEHICLE_TYPES } from '../shared/vocabulary';

/** `'car','bike',…`: a vocabulary list as the SQL of a CHECK constraint (the same text as before). */
const sqlList = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(','));

// Times are UTC instants stored as integer milliseconds since the epoch (cheap to
// compare and index); money is integer minor units (paise/cents).

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const lots = sqliteTable(
  'lots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    currency: text('currency').notNull().default('INR'),
    bookingMinutes: integer('booking_minutes').notNull().default(60),
    carWashPrice: integer('car_wash_price').notNull().default(15000),
    /** IANA time zone of the lot's wall clock (reports' days and hours, the console's clock). */
    timeZone: text('time_zone').notNull().default('Asia/Kolkata'),
    /** How long choosing a slot at the kiosk holds it for the driver (renewed while they type); 1–10, checked at the router. */
    slotHoldMinutes: integer('slot_hold_minutes').notNull().default(2),
    /** How long after booking the driver may correct a mistyped plate once (0 = never; staff always can).
     * Its range (0-60) is checked at the router and in the core: a CHECK here would make drizzle-kit
     * rebuild the lots table, which other tables reference. */
    plateCorrectionMinutes: integer('plate_correction_minutes').notNull().default(5),
    /** Issue 12's grace: how long after a flat-rate stay ends its slot stays held for that driver
     * (renew always succeeds there, nobody else books it). A saved tariff's graceMinutes wins.
     * 0-120, checked at the router and in the core (no CHECK: it would rebuild the lots table). */
    graceMinutes: integer('grace_minutes').notNull().default(10),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [check('lots_booking_minutes_range', sql`${t.bookingMinutes} BETWEEN 5 AND 1440`), check('lots_car_wash_price_nonneg', sql`${t.carWashPrice} >= 0`)],
);

export const slots = sqliteTable(
  'slots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    lotId: integer('lot_id')
      .notNull()
      .references(() => lots.id),
    label: text('label').notNull(),
    vehicleType: text('vehicle_type', { enum: VEHICLE_TYPES }).notNull(),
    hourlyPrice: integer('hourly_price').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    position: integer('position').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('slots_lot_label').on(t.lotId, t.label),
    check('slots_hourly_price_nonneg', sql`${t.hourlyPrice} >= 0`),
    check('slots_vehicle_type', sql`${t.vehicleType} IN (${sqlList(VEHICLE_TYPES)})`),
  ],
);

export const bookings = sqliteTable(
  'bookings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reference: text('reference').notNull(),
    lotId: integer('lot_id')
      .notNull()
      .references(() => lots.id),
    slotId: integer('slot_id')
      .notNull()
      .references(() => slots.id),
    vehicleNumber: text('vehicle_number').notNull(),
    vehicleType: text('vehicle_type').notNull(),
    bookingType: text('booking_type', { enum: BOOKING_TYPES }).notNull(),
    status: text('status', { enum: BOOKING_STATUSES }).notNull().default('booked'),
    startMs: integer('start_ms').notNull(),
    endMs: integer('end_ms').notNull(),
    price: integer('price').notNull(),
    renewedFromId: integer('renewed_from_id'),
    // NULL: priced by defaultTariffFromFlatRate of the slot (the lot had no saved tariff).
    tariffVersionId: integer('tariff_version_id').references(() => tariffVersions.id),
    // JSON: the price lines the booking was sold under (PriceLine[]), kept as sold.
    priceBreakdown: text('price_breakdown'),
    // The first start of the renewal chain: the maximum stay counts from here.
    chainStartMs: integer('chain_start_ms'),
    // end + grace: until then the slot is held for this booking (the overlap rule uses it).
    graceUntilMs: integer('grace_until_ms'),
    createdAt: integer('created_at').notNull(),
    cancelledAt: integer('cancelled_at'),
    cancelledBy: text('cancelled_by'),
    cancelReason: text('cancel_reason'),
    // Several kiosks at one lot (issue 14): the globally unique id a satellite gave a booking it
    // sold on a lease while the hub was out of reach, and that satellite. NULL for the hub's own.
    globalId: text('global_id'),
    satelliteId: text('satellite_id'),
  },
  (t) => [
    uniqueIndex('bookings_global_id').on(t.globalId),
    uniqueIndex('bookings_reference').on(t.reference),
    // A booking can be renewed at most once: the renewal chain is a line, never a tree.
    uniqueIndex('bookings_renewed_from').on(t.renewedFromId),
    // Lazy expiry touches only active rows whose end has passed; a partial index keeps it
    // independent of how many finished bookings the table holds.
    index('bookings_active_end')
      .on(t.endMs)
      .where(sql`status = 'booked'`),
    index('bookings_active_slot')
      .on(t.slotId, t.startMs)
      .where(sql`status = 'booked'`),
    index('bookings_status_id').on(t.status, t.id),
    index('bookings_vehicle').on(t.vehicleNumber),
    // One vehicle, one active booking at a time: this keeps that check to the vehicle's active rows.
    index('bookings_active_vehicle')
      .on(t.vehicleNumber, t.startMs)
      .where(sql`status = 'booked'`),
    index('bookings_slot_id').on(t.slotId, t.id),
    index('bookings_lot_id').on(t.lotId, t.id),
    // The overlap rule probes a slot's holding (not cancelled) rows by hold end.
    index('bookings_held_slot')
      .on(t.slotId, t.graceUntilMs)
      .where(sql`status <> 'cancelled'`),
    check('bookings_time_order', sql`${t.endMs} > ${t.startMs}`),
    check('bookings_price_nonneg', sql`${t.price} >= 0`),
    check('bookings_status', sql`${t.status} IN (${sqlList(BOOKING_STATUSES)})`),
    check('bookings_type', sql`${t.bookingType} IN (${sqlList(BOOKING_TYPES)})`),
  ],
);

/** One row per saved tariff; append-only (a trigger refuses UPDATE and DELETE). */
export const tariffVersions = sqliteTable(
  'tariff_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    lotId: integer('lot_id')
      .notNull()
      .references(() => lots.id),
    version: integer('version').notNull(),
    // JSON, valid under the tariffDocument zod schema when written.
    document: text('document').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [uniqueIndex('tariff_versions_lot_version').on(t.lotId, t.version)],
);

export const bookingAddOns = sqliteTable(
  'booking_add_ons',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bookingId: integer('booking_id')
      .notNull()
      .references(() => bookings.id),
    kind: text('kind', { enum: ADD_ON_KINDS }).notNull(),
    price: integer('price').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('booking_add_ons_once').on(t.bookingId, t.kind)],
);

/**
 * Every change of a booking's plate after it was made: the driver's one correction inside the
 * lot's window, or staff's (with a reason, also in the audit log). The booking row holds the
 * plate now; this is its story.
 */
export const plateCorrections = sqliteTable(
  'plate_corrections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bookingId: integer('booking_id')
      .notNull()
      .references(() => bookings.id),
    fromPlate: text('from_plate').notNull(),
    toPlate: text('to_plate').notNull(),
    /** 'driver' or 'staff:<name>', like bookings.cancelled_by. */
    by: text('by').notNull(),
    staffId: integer('staff_id'),
    reason: text('reason'),
    at: integer('at').notNull(),
  },
  (t) => [index('plate_corrections_booking').on(t.bookingId, t.at), check('plate_corrections_changed', sql`${t.fromPlate} <> ${t.toPlate}`)],
);

export const staff = sqliteTable(
  'staff',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
    pinHash: text('pin_hash').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('staff_name').on(t.name)],
);

export const staffSessions = sqliteTable('staff_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  staffId: integer('staff_id')
    .notNull()
    .references(() => staff.id),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

export const throttles = sqliteTable('throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStart: integer('window_start').notNull(),
  lockedUntil: integer('locked_until').notNull().default(0),
});

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    staffId: integer('staff_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [index('audit_log_at').on(t.at)],
);

/**
 * The lot's receipt signing keys (electron/core/receipts/sqlite-key-store.ts). In the database
 * so they travel with its backups; keys are only added or retired, never replaced.
 */
export const receiptKeys = sqliteTable('receipt_keys', {
  keyId: text('key_id').primaryKey(),
  publicKey: text('public_key').notNull(),
  privateKeyPem: text('private_key_pem'),
  label: text('label').notNull(),
  createdAt: integer('created_at').notNull(),
  retiredAt: integer('retired_at'),
});

/**
 * Every receipt issued, as the signed text the driver saw. Written once, inside the
 * transaction that made the booking, renewal or extension, so the QR on screen, the paper and
 * a later reprint are the same bytes. A car wash adds an 'extension' receipt (the booking's
 * receipt stays as it was issued); ids order a booking's receipts.
 */
export const receipts = sqliteTable(
  'receipts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bookingId: integer('booking_id')
      .notNull()
      .references(() => bookings.id),
    kind: text('kind', { enum: ['booking', 'extension', 'renewal'] }).notNull(),
    keyId: text('key_id')
      .notNull()
      .references(() => receiptKeys.keyId),
    text: text('text').notNull(),
    issuedAt: integer('issued_at').notNull(),
    /** Set when a later receipt replaced this one (a plate correction): it no longer counts. */
    supersededAt: integer('superseded_at'),
    /** The receipt that replaced it. */
    supersededBy: integer('superseded_by'),
  },
  (t) => [index('receipts_booking').on(t.bookingId, t.id), check('receipts_kind', sql`${t.kind} IN ('booking','extension','renewal')`)],
);

/**
 * A short hold on a slot while a driver types their plate (issue 13). Live while
 * `expires_ms > now`: an expired row is simply ignored (no sweep needed for correctness) and
 * write transactions delete old ones. Triggers (migration slot_holds) make a live hold refuse
 * other bookings and other holds on the slot; the token is kept only as a SHA-256 hash.
 */
export const slotHolds = sqliteTable(
  'slot_holds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slotId: integer('slot_id')
      .notNull()
      .references(() => slots.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /** Who placed it (the caller's client key), for the per-client limit on network callers. */
    clientKey: text('client_key').notNull(),
    createdMs: integer('created_ms').notNull(),
    /** When it was last placed or renewed: the "now" the triggers judge a renewal by. */
    renewedMs: integer('renewed_ms').notNull(),
    expiresMs: integer('expires_ms').notNull(),
  },
  (t) => [
    uniqueIndex('slot_holds_token').on(t.tokenHash),
    index('slot_holds_slot').on(t.slotId, t.expiresMs),
    index('slot_holds_expires').on(t.expiresMs),
    index('slot_holds_client').on(t.clientKey, t.expiresMs),
    check('slot_holds_time_order', sql`${t.expiresMs} > ${t.renewedMs} AND ${t.renewedMs} >= ${t.createdMs}`),
    // The bounded total lifetime: however often it is renewed, a hold ends 10 minutes after it was placed.
    check('slot_holds_max_life', sql`${t.expiresMs} <= ${t.createdMs} + 600000`),
  ],
);

/**
 * Satellites paired with this hub (issue 14). The credential is kept only as its SHA-256
 * hash; a revoked satellite keeps its row (history, audit) and is refused at once.
 * `last_report` is the satellite's own account of itself at its last contact (JSON:
 * state, journal backlog, leased slots), shown on the console.
 */
export const satellites = sqliteTable('satellites', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  credentialHash: text('credential_hash').notNull().unique(),
  pairedAt: integer('paired_at').notNull(),
  revokedAt: integer('revoked_at'),
  lastContactAt: integer('last_contact_at'),
  /** JSON: the satellite's last own report (state, journal backlog, leased slots). */
  lastReport: text('last_report'),
});

/**
 * A satellite's lease on a slot: it may sell the slot on its own while the hub is out of reach,
 * until `expires_at` by its clock. The hub sells none of it before `blocked_until` (expires_at +
 * clock-skew allowance + the longest stay a satellite sells offline): a trigger (migration
 * slot_leases) refuses every booking but that satellite's. One row per slot: never two leases.
 */
export const slotLeases = sqliteTable(
  'slot_leases',
  {
    slotId: integer('slot_id')
      .primaryKey()
      .references(() => slots.id, { onDelete: 'cascade' }),
    satelliteId: text('satellite_id')
      .notNull()
      .references(() => satellites.id),
    grantedAt: integer('granted_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    blockedUntil: integer('blocked_until').notNull(),
  },
  (t) => [
    index('slot_leases_satellite').on(t.satelliteId),
    check('slot_leases_time_order', sql`${t.expiresAt} > ${t.grantedAt} AND ${t.blockedUntil} >= ${t.expiresAt}`),
  ],
);

/** Every journal event a satellite replayed, by its id: replaying it again changes nothing. */
export const satelliteReplays = sqliteTable('satellite_replays', {
  eventId: text('event_id').primaryKey(),
  satelliteId: text('satellite_id')
    .notNull()
    .references(() => satellites.id),
  kind: text('kind').notNull(),
  appliedAt: integer('applied_at').notNull(),
  /** JSON: what applying it did (booking id, or why it was refused), answered again on a repeat. */
  outcome: text('outcome').notNull(),
});

/**
 * The lot's outbox (issue 15): one row per change, written by triggers (migration outbox_triggers)
 * in the very transaction that made the change, so no rule can forget to announce one.
 * `seq` is the lot's gap-free sequence. Deliberately a plain INTEGER PRIMARY KEY (max + 1), not
 * AUTOINCREMENT: the id floor (backup/id-floor.ts) lifts every AUTOINCREMENT counter by a block
 * after an unclean stop, which would open a gap the central server refuses. Rows are never deleted.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey(),
    /** Globally unique (random 128 bits, uuid-formatted): the central server's idempotency key. */
    eventId: text('event_id').notNull(),
    /** The installation's global id (settings 'sync.lot_id'), not lots.id. */
    lotId: text('lot_id').notNull(),
    /** e.g. booking.created, booking.extended, tariff.saved, audit.recorded */
    kind: text('kind').notNull(),
    /** The entity and its local id, e.g. booking:42. */
    entity: text('entity').notNull(),
    /** JSON snapshot of the row after the change. */
    payload: text('payload').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_event_id').on(t.eventId),
    index('outbox_unsent')
      .on(t.seq)
      .where(sql`sent_at IS NULL`),
  ],
);

/**
 * Documents authored centrally (tariffs) as received by the lot: applied once their
 * effective_from has come, then acknowledged. Version is the central server's per-lot number.
 */
export const centralDocuments = sqliteTable(
  'central_documents',
  {
    version: integer('version').primaryKey(),
    kind: text('kind').notNull(),
    /** lots.id the document is for. */
    localLotId: integer('local_lot_id').notNull(),
    document: text('document').notNull(),
    effectiveFrom: integer('effective_from').notNull(),
    receivedAt: integer('received_at').notNull(),
    appliedAt: integer('applied_at'),
    /** What applying made locally (e.g. the tariff version number), JSON. */
    appliedAs: text('applied_as'),
  },
  (t) => [
    index('central_documents_pending')
      .on(t.effectiveFrom)
      .where(sql`applied_at IS NULL`),
  ],
);

/**
 * One-time pairing codes shown on the hub's console. The hub must know the code itself (it
 * checks an HMAC keyed by it), so it is stored as typed; it lives 10 minutes and is used once.
 */
export const pairingCodes = sqliteTable(
  'pairing_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdBy: integer('created_by'),
    usedAt: integer('used_at'),
    satelliteId: text('satellite_id').references(() => satellites.id),
  },
  (t) => [
    index('pairing_codes_expires').on(t.expiresAt),
    check('pairing_codes_life', sql`${t.expiresAt} > ${t.createdAt} AND ${t.expiresAt} <= ${t.createdAt} + 600000`),
  ],
);
