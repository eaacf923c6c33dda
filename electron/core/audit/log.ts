import { toCsv } from '../export/csv';
import type { KioskCore } from '../kiosk-core';
import { auditNow, type AuditActor } from './service';
import { detailFromJson, type AuditRow } from './store';

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

const toEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  at: new Date(row.at).toISOString(),
  staffId: row.staffId,
  actor: row.actor,
  action: row.action,
  detail: detailFromJson(row.detail),
});

/** Newest first, keyset-paginated by id (the log only grows, so pages never shift). */
export function listAudit(core: KioskCore, filter: AuditFilter, cursor: number | undefined, limit: number): { items: AuditEntry[]; nextCursor: number | null } {
  const rows = core.audit.find({ ...filter, beforeId: cursor }, limit + 1);
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map(toEntry);
  return { items: page, nextCursor: more ? page[page.length - 1]!.id : null };
}

export const AUDIT_EXPORT_MAX_ROWS = 200_000;

export function exportAuditCsv(core: KioskCore, filter: AuditFilter): { filename: string; rows: number; csv: string } {
  const rows = core.audit
    .find(filter, AUDIT_EXPORT_MAX_ROWS)
    .map((row) => [row.id, new Date(row.at).toISOString(), row.actor, row.staffId, row.action, row.detail]);
  const stamp = new Date(core.clock.now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { filename: `audit-log-${stamp}.csv`, rows: rows.length, csv: toCsv(['id', 'at_utc', 'who', 'staff_id', 'action', 'detail'], rows) };
}

/**
 * The console's audit export, audited (`export.audit`, the request as given plus the row
 * count). The export is a read, so the entry follows it in its own short transaction rather
 * than holding the write lock while up to AUDIT_EXPORT_MAX_ROWS rows are read.
 */
export function exportAuditCsvAudited(
  core: KioskCore,
  actor: AuditActor,
  request: { action?: string; staffId?: number; from?: string; to?: string },
  filter: AuditFilter,
): { filename: string; rows: number; csv: string } {
  const result = exportAuditCsv(core, filter);
  auditNow(core, actor, 'export.audit', { ...request, rows: result.rows });
  return result;
}
