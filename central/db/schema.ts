import { sql } from 'drizzle-orm';
import { DOCUMENT_KINDS, type DocumentKind } from '../../shared/vocabulary';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * The central store's tables as drizzle sees them: the typed mirror of the hand-written
 * migrations central/db/migrations/*.sql, which stay the migration (it holds what
 * drizzle cannot express: the btree_gist extension and the bookings exclusion constraint).
 * Names of tables, columns, keys and indexes are the migration's; tests/central/schema.test.ts
 * checks the two agree. Each table is queried by exactly one store module (central/store/).
 *
 * bigint columns are read as JS numbers: sequences, ids and minor units stay far below 2^53.
 */

const big = (name: string) => bigint(name, { mode: 'number' });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// central/store/lots.ts
export const lotCredentials = pgTable('lot_credentials', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  keyHash: text('key_hash').notNull().unique('lot_credentials_key_hash_key'),
  lotId: uuid('lot_id').unique('lot_credentials_lot_id_key'),
  createdAt: at('created_at').notNull().defaultNow(),
});

// central/store/lots.ts
export const lots = pgTable('lots', {
  lotId: uuid('lot_id').primaryKey(),
  credentialId: integer('credential_id')
    .notNull()
    .unique('lots_credential_id_key')
    .references(() => lotCredentials.id),
  name: text('name').notNull(),
  /** The highest sequence stored: the next push must start at lastSeq + 1. */
  lastSeq: big('last_seq').notNull().default(0),
  firstContactAt: at('first_contact_at').notNull().defaultNow(),
  lastContactAt: at('last_contact_at').notNull().defaultNow(),
  reportedBacklog: integer('reported_backlog').notNull().default(0),
  reportedOldestUnsentAt: at('reported_oldest_unsent_at'),
  ackedVersion: integer('acked_version').notNull().default(0),
});

const lotRef = () =>
  uuid('lot_id')
    .notNull()
    .references(() => lots.lotId);

// central/store/events.ts
export const events = pgTable(
  'events',
  {
    lotId: lotRef(),
    seq: big('seq').notNull(),
    eventId: uuid('event_id').notNull(),
    kind: text('kind').notNull(),
    entity: text('entity').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    occurredAt: at('occurred_at').notNull(),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'events_pkey', columns: [t.lotId, t.seq] }), unique('events_event_id').on(t.eventId)],
);

// central/store/lots.ts: the lots' own lots rows (a hub's database may hold more than one).
export const sites = pgTable(
  'sites',
  {
    lotId: lotRef(),
    localLotId: integer('local_lot_id').notNull(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    timeZone: text('time_zone').notNull(),
    settings: jsonb('settings').notNull(),
    lastSeq: big('last_seq').notNull(),
  },
  (t) => [primaryKey({ name: 'sites_pkey', columns: [t.lotId, t.localLotId] })],
);

// central/store/lots.ts
export const slots = pgTable(
  'slots',
  {
    lotId: lotRef(),
    slotId: big('slot_id').notNull(),
    localLotId: integer('local_lot_id').notNull(),
    label: text('label').notNull(),
    vehicleType: text('vehicle_type').notNull(),
    hourlyPrice: big('hourly_price').notNull(),
    enabled: boolean('enabled').notNull(),
    deleted: boolean('deleted').notNull().default(false),
    lastSeq: big('last_seq').notNull(),
  },
  (t) => [primaryKey({ name: 'slots_pkey', columns: [t.lotId, t.slotId] })],
);

// central/store/bookings.ts. The exclusion constraint bookings_no_double_booking (btree_gist over
// lot, slot and tstzrange(start_at, end_at) of active rows) lives in the migration only.
export const bookings = pgTable(
  'bookings',
  {
    lotId: lotRef(),
    bookingId: big('booking_id').notNull(),
    localLotId: integer('local_lot_id').notNull(),
    reference: text('reference').notNull(),
    slotId: big('slot_id').notNull(),
    vehicleNumber: text('vehicle_number').notNull(),
    vehicleType: text('vehicle_type').notNull(),
    bookingType: text('booking_type').notNull(),
    status: text('status').notNull(),
    startMs: big('start_ms').notNull(),
    endMs: big('end_ms').notNull(),
    startAt: at('start_at').notNull(),
    endAt: at('end_at').notNull(),
    price: big('price').notNull(),
    renewedFromId: big('renewed_from_id'),
    tariffVersion: integer('tariff_version'),
    createdAt: at('created_at').notNull(),
    cancelledAt: at('cancelled_at'),
    cancelledBy: text('cancelled_by'),
    cancelReason: text('cancel_reason'),
    snapshot: jsonb('snapshot').notNull(),
    lastSeq: big('last_seq').notNull(),
    /** Set when storing the row as active would have broken the exclusion constraint (an alarm). */
    inConflict: boolean('in_conflict').notNull().default(false),
  },
  (t) => [
    primaryKey({ name: 'bookings_pkey', columns: [t.lotId, t.bookingId] }),
    index('bookings_search').on(t.vehicleNumber),
    index('bookings_reference').on(t.reference),
    index('bookings_created').on(t.lotId, t.createdAt),
  ],
);

// central/store/bookings.ts
export const bookingAddOns = pgTable(
  'booking_add_ons',
  {
    lotId: lotRef(),
    addOnId: big('add_on_id').notNull(),
    bookingId: big('booking_id').notNull(),
    kind: text('kind').notNull(),
    price: big('price').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'booking_add_ons_pkey', columns: [t.lotId, t.addOnId] })],
);

// central/store/audit.ts
export const audit = pgTable(
  'audit',
  {
    lotId: lotRef(),
    auditId: big('audit_id').notNull(),
    at: at('at').notNull(),
    staffId: big('staff_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    detail: jsonb('detail').notNull(),
  },
  (t) => [primaryKey({ name: 'audit_pkey', columns: [t.lotId, t.auditId] })],
);

// central/store/documents.ts: every tariff version a lot saved (its own and the central ones it applied).
export const lotTariffs = pgTable(
  'lot_tariffs',
  {
    lotId: lotRef(),
    localLotId: integer('local_lot_id').notNull(),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    createdAt: at('created_at').notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [primaryKey({ name: 'lot_tariffs_pkey', columns: [t.lotId, t.localLotId, t.version] })],
);

// central/store/events.ts: what the store noticed about a lot's stream (double bookings, reused ids, diverged sequences).
export const alarms = pgTable('alarms', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  lotId: lotRef(),
  seq: big('seq'),
  kind: text('kind').notNull(),
  detail: jsonb('detail').notNull(),
  at: at('at').notNull().defaultNow(),
});

// central/store/documents.ts: documents authored centrally, numbered per lot.
export const documents = pgTable(
  'documents',
  {
    lotId: lotRef(),
    version: integer('version').notNull(),
    kind: text('kind').$type<DocumentKind>().notNull(),
    localLotId: integer('local_lot_id').notNull(),
    document: jsonb('document').notNull(),
    effectiveFrom: at('effective_from').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    /** When the lot applied it (its document.applied event), and what that made or why it refused. */
    appliedAt: at('applied_at'),
    outcome: jsonb('outcome'),
  },
  (t) => [
    primaryKey({ name: 'documents_pkey', columns: [t.lotId, t.version] }),
    check('documents_kind_check', sql`${t.kind} IN (${sql.raw(DOCUMENT_KINDS.map((kind) => `'${kind}'`).join(', '))})`),
  ],
);

// central/store/staff.ts
export const staffAccounts = pgTable('staff_accounts', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique('staff_accounts_name_key'),
  passwordHash: text('password_hash').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
});

// central/store/staff.ts
export const staffSessions = pgTable('staff_sessions', {
  tokenHash: text('token_hash').primaryKey(),
  staffId: integer('staff_id')
    .notNull()
    .references(() => staffAccounts.id),
  expiresAt: at('expires_at').notNull(),
});
