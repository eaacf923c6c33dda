/**
 * A ReceiptKeyStore in the kiosk's database, so the keys travel with its backups. Ready for
 * the integrator: the table comes from a migration they add (RECEIPT_KEYS_DDL is its text),
 * this wave adds none so as not to collide with other branches' migrations.
 */
import type Database from 'better-sqlite3';
import { putInto, type ReceiptKeyStore, type StoredReceiptKey } from './keys';

export const RECEIPT_KEYS_DDL = `CREATE TABLE receipt_keys (
  key_id TEXT PRIMARY KEY NOT NULL,
  public_key TEXT NOT NULL,
  private_key_pem TEXT,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
)`;

interface Row {
  key_id: string;
  public_key: string;
  private_key_pem: string | null;
  label: string;
  created_at: number;
  retired_at: number | null;
}

const toKey = (r: Row): StoredReceiptKey => ({
  keyId: r.key_id,
  publicKey: r.public_key,
  ...(r.private_key_pem === null ? {} : { privateKeyPem: r.private_key_pem }),
  label: r.label,
  createdAtMs: r.created_at,
  ...(r.retired_at === null ? {} : { retiredAtMs: r.retired_at }),
});

export class SqliteReceiptKeyStore implements ReceiptKeyStore {
  constructor(private readonly sqlite: Database.Database) {}

  list(): StoredReceiptKey[] {
    return (this.sqlite.prepare('SELECT * FROM receipt_keys ORDER BY created_at, rowid').all() as Row[]).map(toKey);
  }

  put(key: StoredReceiptKey): void {
    // Same rule as every store (add or retire, never replace), checked and written in one transaction.
    this.sqlite.transaction(() => {
      const row = this.sqlite.prepare('SELECT * FROM receipt_keys WHERE key_id = ?').get(key.keyId) as Row | undefined;
      const keys = row ? [toKey(row)] : [];
      putInto(keys, key);
      const k = keys[0]!;
      if (row) {
        this.sqlite.prepare('UPDATE receipt_keys SET retired_at = ? WHERE key_id = ?').run(k.retiredAtMs ?? null, k.keyId);
      } else {
        this.sqlite
          .prepare('INSERT INTO receipt_keys (key_id, public_key, private_key_pem, label, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(k.keyId, k.publicKey, k.privateKeyPem ?? null, k.label, k.createdAtMs, k.retiredAtMs ?? null);
      }
    }).immediate();
  }
}
