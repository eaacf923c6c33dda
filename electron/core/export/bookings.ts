import { auditNow, type AuditActor } from '../audit/service';
import type { KioskCore } from '../kiosk-core';
import { exportBookingsCsv, type BookingsCsv } from '../reports/bookings-export';

/**
 * The console's bookings export, audited (`export.bookings`: the request as given plus the
 * row count). The export is a read, so its entry follows in a short transaction of its own
 * rather than holding the write lock while up to EXPORT_MAX_ROWS bookings are read.
 */
export function exportBookingsCsvAudited(
  core: KioskCore,
  actor: AuditActor,
  request: Record<string, unknown>,
  filter: Parameters<typeof exportBookingsCsv>[1],
): BookingsCsv {
  const result = exportBookingsCsv(core, filter);
  auditNow(core, actor, 'export.bookings', { ...request, rows: result.rows });
  return result;
}
