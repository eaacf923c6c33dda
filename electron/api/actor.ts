import type { AuditActor } from '../core/audit/service';
import type { StaffIdentity } from '../core/auth/staff';

/** The audit log's "who" for a staff caller (staffProcedure has already checked there is one). */
export const auditActor = (ctx: { actor: { staff: StaffIdentity } }): AuditActor & { staffId: number } => ({
  staffId: ctx.actor.staff.id,
  name: ctx.actor.staff.name,
});
