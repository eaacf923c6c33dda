import { eq, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { settings } from '../../../db/schema';

/**
 * Every key of the `settings` table, in one list so two domains never pick the same one.
 * Values are text; a domain that keeps JSON parses (and checks) it itself.
 */
export type SettingKey =
  /** HMAC secret of booking tokens (auth/booking-tokens.ts), base64. */
  | 'booking_token_secret'
  /** This kiosk's id on its receipts (receipts/service.ts). */
  | 'kiosk_id'
  /** The printer set-up, JSON (printing/service.ts). */
  | 'printer'
  /** What the last start-up recovery did, JSON (backup/service.ts). */
  | 'last_recovery'
  /** The lot's lease setting for satellites, JSON (leases/settings.ts). */
  | 'lease_settings'
  /** The installation's global id, made by the outbox migration (sync/outbox.ts). */
  | 'sync.lot_id'
  /** The central server and this lot's key there (sync/start.ts). */
  | 'sync.central_url'
  | 'sync.central_key'
  /** After a renumbering (a restore from an older backup): the first renumbered sequence, until the lost bookings were brought back; '0' when none waits (sync/worker.ts). */
  | 'sync.bring_back_from';

const p = sql.placeholder;

/** The settings table's queries, prepared once per connection. */
export function createSettingsStore(orm: Orm) {
  const read = orm
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, p('key')))
    .prepare();
  const write = orm
    .insert(settings)
    .values({ key: p('key'), value: p('value') })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value` } })
    .prepare();
  const writeOnce = orm
    .insert(settings)
    .values({ key: p('key'), value: p('value') })
    .onConflictDoNothing()
    .prepare();
  return {
    get: (key: SettingKey): string | undefined => read.get({ key })?.value,
    set: (key: SettingKey, value: string) => void write.run({ key, value }),
    /** Writes the value only when the key has none yet (two first uses at once keep the first). */
    setIfAbsent: (key: SettingKey, value: string) => void writeOnce.run({ key, value }),
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
