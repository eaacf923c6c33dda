/**
 * A ReceiptKeyStore in the kiosk's database (`receipt_keys`), so the keys travel with its
 * backups. RECEIPT_KEYS_DDL is the table's text for tests that build a bare database.
 */
import type Database from 'better-sqlite3';
import { asc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { receiptKeys } from '../../../db/schema';
import { putInto, type ReceiptKeyStore, type StoredReceiptKey } from './keys';

export const RECEIPT_KEYS_DDL = `CREATE TABLE receipt_keys (
  key_id TEXT PRIMARY KEY NOT NULL,
  public_key TEXT NOT NULL,
  private_key_pem TEXT,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
)`;

type Row = typeof receiptKeys.$inferSelect;

/** A row <-> a stored key: absent optional fields are NULL in the table. */
const toKey = (r: Row): StoredReceiptKey => ({
  keyId: r.keyId,
  publicKey: r.publicKey,
  ...(r.privateKeyPem === null ? {} : { privateKeyPem: r.privateKeyPem }),
  label: r.label,
  createdAtMs: r.createdAt,
  ...(r.retiredAt === null ? {} : { retiredAtMs: r.retiredAt }),
});

const toRow = (k: StoredReceiptKey): Row => ({
  keyId: k.keyId,
  publicKey: k.publicKey,
  privateKeyPem: k.privateKeyPem ?? null,
  label: k.label,
  createdAt: k.createdAtMs,
  retiredAt: k.retiredAtMs ?? null,
});

const p = sql.placeholder;

function prepareKeyQueries(sqlite: Database.Database) {
  const orm = drizzle(sqlite);
  return {
    list: orm
      .select()
      .from(receiptKeys)
      .orderBy(asc(receiptKeys.createdAt), sql`rowid`)
      .prepare(),
    byId: orm
      .select()
      .from(receiptKeys)
      .where(eq(receiptKeys.keyId, p('keyId')))
      .prepare(),
    retire: orm
      .update(receiptKeys)
      .set({ retiredAt: sql`${p('retiredAt')}` })
      .where(eq(receiptKeys.keyId, p('keyId')))
      .prepare(),
    insert: orm
      .insert(receiptKeys)
      .values({
        keyId: p('keyId'),
        publicKey: p('publicKey'),
        privateKeyPem: p('privateKeyPem'),
        label: p('label'),
        createdAt: p('createdAt'),
        retiredAt: p('retiredAt'),
      })
      .prepare(),
  };
}

export class SqliteReceiptKeyStore implements ReceiptKeyStore {
  private readonly queries: ReturnType<typeof prepareKeyQueries>;

  constructor(private readonly sqlite: Database.Database) {
    this.queries = prepareKeyQueries(sqlite);
  }

  list(): StoredReceiptKey[] {
    return this.queries.list.all().map(toKey);
  }

  put(key: StoredReceiptKey): void {
    // Same rule as every store (add or retire, never replace), checked and written in one transaction.
    this.sqlite
      .transaction(() => {
        const row = this.queries.byId.get({ keyId: key.keyId });
        const keys = row ? [toKey(row)] : [];
        putInto(keys, key);
        const k = toRow(keys[0]!);
        if (row) this.queries.retire.run({ retiredAt: k.retiredAt, keyId: k.keyId });
        else this.queries.insert.run(k);
      })
      .immediate();
  }
}
