import { asc, eq, sql } from 'drizzle-orm';
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
  return {
    insert: (row: Omit<typeof receipts.$inferInsert, 'id'>) => void insert.run(row),
    /** A booking's receipts, oldest first. */
    ofBooking: (bookingId: number) => ofBooking.all({ bookingId }),
  };
}

export type ReceiptStore = ReturnType<typeof createReceiptStore>;
