import { asc, eq, min, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { lots } from '../../../db/schema';

const p = sql.placeholder;

/**
 * The few facts about lots that receipts, printing, backups and the tariff console read: a
 * lot's name and zone, the kiosk's first lot. Read-only; it belongs beside the lots domain's
 * own store (electron/core/lots/) once that exists, so that one module queries `lots`.
 */
export function createLotInfoStore(orm: Orm) {
  const byId = orm
    .select({ id: lots.id, name: lots.name, timeZone: lots.timeZone })
    .from(lots)
    .where(eq(lots.id, p('id')))
    .prepare();
  const first = orm.select({ id: lots.id, name: lots.name, timeZone: lots.timeZone }).from(lots).orderBy(asc(lots.id)).limit(1).prepare();
  const firstId = orm
    .select({ id: min(lots.id) })
    .from(lots)
    .prepare();
  const ids = orm.select({ id: lots.id }).from(lots).prepare();
  return {
    byId: (id: number) => byId.get({ id }),
    /** The kiosk's first lot (a kiosk runs one lot; the lowest id when a database holds several). */
    first: () => first.get(),
    firstId: (): number | null => firstId.get()?.id ?? null,
    ids: (): number[] => ids.all().map((row) => row.id),
  };
}

export type LotInfoStore = ReturnType<typeof createLotInfoStore>;
