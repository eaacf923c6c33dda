import { and, desc, eq, gte, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { auditLog } from '../../../db/schema';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditQuery {
  /** Matches the action exactly or as a prefix before a dot: `slot` finds `slot.add`, `slot.disable`... */
  action?: string;
  staffId?: number;
  fromMs?: number;
  toMs?: number;
  /** Keyset: only ids below this (the log only grows, so pages never shift). */
  beforeId?: number;
}

/** JSON text in the `detail` column <-> the detail object: the one place that maps it. */
export const detailToJson = (detail: Record<string, unknown>): string => JSON.stringify(detail);
export const detailFromJson = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

const p = sql.placeholder;

/** The latest instant an audit entry proves time reached (boot guards the clock with it, before the core exists). */
export const newestAuditInstant = (orm: Orm): number =>
  orm
    .select({ at: sql<number>`coalesce(max(${auditLog.at}), 0)` })
    .from(auditLog)
    .get()?.at ?? 0;

/** The audit_log table's queries, prepared once per connection. */
export function createAuditStore(orm: Orm) {
  const insert = orm
    .insert(auditLog)
    .values({ at: p('at'), staffId: p('staffId'), actor: p('actor'), action: p('action'), detail: p('detail') })
    .prepare();
  const lastLogins = orm
    .select({ staffId: auditLog.staffId, at: sql<number>`max(${auditLog.at})` })
    .from(auditLog)
    .where(eq(auditLog.action, 'auth.login'))
    .groupBy(auditLog.staffId)
    .prepare();

  // The filter decides which conditions exist, so each shape is prepared once and kept.
  const filtered = new Map<string, ReturnType<typeof prepareFiltered>>();
  function prepareFiltered(shape: Required<Record<keyof AuditQuery, boolean>>, limit: number | 'param') {
    const where: SQL[] = [];
    if (shape.action) where.push(or(eq(auditLog.action, p('action')), like(auditLog.action, p('actionPrefix')))!);
    if (shape.staffId) where.push(eq(auditLog.staffId, p('staffId')));
    if (shape.fromMs) where.push(gte(auditLog.at, p('fromMs')));
    if (shape.toMs) where.push(lt(auditLog.at, p('toMs')));
    if (shape.beforeId) where.push(lt(auditLog.id, p('beforeId')));
    return orm
      .select()
      .from(auditLog)
      .where(and(...where))
      .orderBy(desc(auditLog.id))
      .limit(limit === 'param' ? p('limit') : limit)
      .prepare();
  }

  return {
    /** Appends one entry; call inside the transaction that makes the change it describes. */
    insert(entry: { at: number; staffId: number | null; actor: string; action: string; detail: Record<string, unknown> }): void {
      insert.run({ ...entry, detail: detailToJson(entry.detail) });
    },
    /** Newest first, at most `limit` rows matching `query`. */
    find(query: AuditQuery, limit: number): AuditRow[] {
      const shape = {
        action: query.action !== undefined,
        staffId: query.staffId !== undefined,
        fromMs: query.fromMs !== undefined,
        toMs: query.toMs !== undefined,
        beforeId: query.beforeId !== undefined,
      };
      const key = JSON.stringify(shape);
      let prepared = filtered.get(key);
      if (!prepared) filtered.set(key, (prepared = prepareFiltered(shape, 'param')));
      return prepared.all({
        action: query.action,
        actionPrefix: query.action === undefined ? undefined : `${query.action.replace(/[%_]/g, '')}.%`,
        staffId: query.staffId,
        fromMs: query.fromMs,
        toMs: query.toMs,
        beforeId: query.beforeId,
        limit,
      });
    },
    /** Each staff member's latest login, by staff id. */
    lastLogins(): Map<number, number> {
      return new Map(lastLogins.all().flatMap((row) => (row.staffId === null ? [] : [[row.staffId, row.at] as [number, number]])));
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;
