import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { receipts } from '../../../db/schema';

export type ReceiptRow = typeof receipts.$inferSelect;

const p = sql.placeholder;

/** The receipts table's queries, prepared once per connection (keys: sqlite-key-store.ts). */
export function createReceiptStore(orm: Orm) {
  const insert = orm
    .insert(receipts)
    .values({ bookingId: p('bookingId'), kind: p('kind'), keyId: p('keyId'), text: p('text'), issuedAt: p('issuedAt') })
    .prepare();
  const ofBooking = orm
    .select({ kind: receipts.kind, text: receipts.text, issuedAt: receipts.issuedAt })
    .from(receipts)
    .where(eq(receipts.bookingId, p('bookingId')))
    .orderBy(asc(receipts.id))
    .prepare();
  const newestId = orm
    .select({ id: receipts.id })
    .from(receipts)
    .where(eq(receipts.bookingId, p('bookingId')))
    .orderBy(desc(receipts.id))
    .limit(1)
    .prepare();
  const supersedeOlder = orm
    .update(receipts)
    .set({ supersededAt: sql`${p('at')}`, supersededBy: sql`${p('by')}` })
    .where(and(eq(receipts.bookingId, p('bookingId')), lt(receipts.id, p('by')), isNull(receipts.supersededAt)))
    .prepare();
  const supersededOf = orm
    .select({ at: receipts.supersededAt })
    .from(receipts)
    .where(and(eq(receipts.bookingId, p('bookingId')), eq(receipts.text, p('text')), isNotNull(receipts.supersededAt)))
    .limit(1)
    .prepare();
  return {
    insert: (row: Omit<typeof receipts.$inferInsert, 'id'>) => void insert.run(row),
    /** The booking's newest receipt id (just issued, in a reissue). */
    newestId: (bookingId: number): number | null => newestId.get({ bookingId })?.id ?? null,
    /** Marks the booking's receipts older than `by` replaced by it at `at` (receipts/reissue.ts). */
    supersedeOlder: (bookingId: number, by: number, at: number) => void supersedeOlder.run({ bookingId, by, at }),
    /** When this receipt text of the booking was replaced, or null if it still counts. */
    supersededAt: (bookingId: number, text: string): number | null => supersededOf.get({ bookingId, text })?.at ?? null,
    /** A booking's receipts, oldest first. */
    ofBooking: (bookingId: number) => ofBooking.all({ bookingId }),
  };
}

export type ReceiptStore = ReturnType<typeof createReceiptStore>;
