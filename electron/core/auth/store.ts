import { and, asc, count, desc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { staff, staffSessions } from '../../../db/schema';

export type StaffRow = typeof staff.$inferSelect;
export type NewStaffRow = Omit<typeof staff.$inferInsert, 'id'>;

const p = sql.placeholder;
const identity = { id: staff.id, name: staff.name, role: staff.role };

/**
 * The staff and staff_sessions tables' queries, prepared once per connection. `active` is a
 * boolean column in the schema, so drizzle maps 0/1 here and nowhere else.
 */
export function createStaffStore(orm: Orm) {
  const activeCount = orm.select({ n: count() }).from(staff).where(eq(staff.active, true)).prepare();
  const ownerCount = orm
    .select({ n: count() })
    .from(staff)
    .where(and(eq(staff.role, 'owner'), eq(staff.active, true)))
    .prepare();
  const insert = orm
    .insert(staff)
    .values({ name: p('name'), role: p('role'), pinHash: p('pinHash'), active: true, createdAt: p('createdAt') })
    .returning({ id: staff.id })
    .prepare();
  const byId = orm
    .select()
    .from(staff)
    .where(eq(staff.id, p('id')))
    .prepare();
  const active = orm.select().from(staff).where(eq(staff.active, true)).prepare();
  const all = orm
    .select()
    .from(staff)
    .orderBy(desc(staff.active), desc(sql`${staff.role} = 'owner'`), asc(staff.name))
    .prepare();
  const deactivate = orm
    .update(staff)
    .set({ active: false })
    .where(eq(staff.id, p('id')))
    .prepare();
  const replaceHash = orm
    .update(staff)
    .set({ pinHash: sql`${p('pinHash')}` })
    .where(and(eq(staff.id, p('id')), eq(staff.pinHash, p('oldHash'))))
    .prepare();

  const insertSession = orm
    .insert(staffSessions)
    .values({ tokenHash: p('tokenHash'), staffId: p('staffId'), createdAt: p('createdAt'), expiresAt: p('expiresAt') })
    .prepare();
  const deleteExpired = orm
    .delete(staffSessions)
    .where(lte(staffSessions.expiresAt, p('now')))
    .prepare();
  const deleteAll = orm.delete(staffSessions).prepare();
  const deleteByToken = orm
    .delete(staffSessions)
    .where(eq(staffSessions.tokenHash, p('tokenHash')))
    .prepare();
  const deleteOfStaff = orm
    .delete(staffSessions)
    .where(eq(staffSessions.staffId, p('staffId')))
    .prepare();
  const byToken = orm
    .select(identity)
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(and(eq(staffSessions.tokenHash, p('tokenHash')), gt(staffSessions.expiresAt, p('now')), eq(staff.active, true)))
    .prepare();

  return {
    activeCount: () => activeCount.get()!.n,
    activeOwnerCount: () => ownerCount.get()!.n,
    insert: (row: NewStaffRow): number => insert.get(row)!.id,
    byId: (id: number): StaffRow | undefined => byId.get({ id }),
    active: (): StaffRow[] => active.all(),
    /** Everyone, active first, owners first, then by name. */
    all: (): StaffRow[] => all.all(),
    deactivate: (id: number) => void deactivate.run({ id }),
    /** Replaces a PIN hash unless it changed meanwhile. */
    replaceHash: (id: number, oldHash: string, pinHash: string) => void replaceHash.run({ id, oldHash, pinHash }),

    insertSession: (row: typeof staffSessions.$inferInsert) => void insertSession.run(row),
    deleteExpiredSessions: (now: number) => void deleteExpired.run({ now }),
    deleteAllSessions: () => void deleteAll.run(),
    deleteSession: (tokenHash: string) => void deleteByToken.run({ tokenHash }),
    deleteSessionsOf: (staffId: number) => void deleteOfStaff.run({ staffId }),
    /** The active staff member holding an unexpired session with this token hash. */
    staffForSession: (tokenHash: string, now: number) => byToken.get({ tokenHash, now }),
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;
