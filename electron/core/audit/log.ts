import { toCsv } from '../reports/csv';
import { statement, type KioskCore } from '../shared/core';

export interface AuditEntry {
  id: number;
  at: string;
  staffId: number | null;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  /** Matches the action exactly or as a prefix before a dot: `slot` finds `slot.add`, `slot.disable`... */
  action?: string;
  staffId?: number;
  fromMs?: number;
  toMs?: number;
}

interface AuditRow {
  id: number;
  at: number;
  staffId: number | null;
  actor: string;
  action: string;
  detail: string;
}

function whereClause(filter: AuditFilter): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.action !== undefined) {
    where.push('(action = @action OR action LIKE @actionPrefix)');
    params.action = filter.action;
    params.actionPrefix = `${filter.action.replace(/[%_]/g, '')}.%`;
  }
  if (filter.staffId !== undefined) {
    where.push('staff_id = @staffId');
    params.staffId = filter.staffId;
  }
  if (filter.fromMs !== undefined) {
    where.push('at >= @fromMs');
    params.fromMs = filter.fromMs;
  }
  if (filter.toMs !== undefined) {
    where.push('at < @toMs');
    params.toMs = filter.toMs;
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: new Date(row.at).toISOString(),
  staffId: row.staffId,
  actor: row.actor,
  action: row.action,
  detail: JSON.parse(row.detail) as Record<string, unknown>,
});

const SELECT = 'SELECT id, at, staff_id AS staffId, actor, action, detail FROM audit_log';

/** Newest first, keyset-paginated by id (the log only grows, so pages never shift). */
export function listAudit(core: KioskCore, filter: AuditFilter, cursor: number | undefined, limit: number): { items: AuditEntry[]; nextCursor: number | null } {
  const { sql, params } = whereClause(filter);
  const keyset = cursor === undefined ? '' : `${sql ? ' AND' : 'WHERE'} id < @cursor`;
  const rows = statement(core, `${SELECT} ${sql}${keyset} ORDER BY id DESC LIMIT @limit`).all({
    ...params,
    ...(cursor === undefined ? {} : { cursor }),
    limit: limit + 1,
  }) as AuditRow[];
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map(toEntry);
  return { items: page, nextCursor: more ? page[page.length - 1]!.id : null };
}

export const AUDIT_EXPORT_MAX_ROWS = 200_000;

export function exportAuditCsv(core: KioskCore, filter: AuditFilter): { filename: string; rows: number; csv: string } {
  const { sql, params } = whereClause(filter);
  const rows = (statement(core, `${SELECT} ${sql} ORDER BY id DESC LIMIT ${AUDIT_EXPORT_MAX_ROWS}`).all(params) as AuditRow[]).map((row) => [
    row.id,
    new Date(row.at).toISOString(),
    row.actor,
    row.staffId,
    row.action,
    row.detail,
  ]);
  const stamp = new Date(core.clock.now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { filename: `audit-log-${stamp}.csv`, rows: rows.length, csv: toCsv(['id', 'at_utc', 'who', 'staff_id', 'action', 'detail'], rows) };
}
