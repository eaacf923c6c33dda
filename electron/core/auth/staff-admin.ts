import { recordAudit, type AuditActor } from '../audit/service';
import { runInTransaction, statement, type KioskCore } from '../shared/core';
import { DomainError, fail } from '../shared/errors';
import { addStaff, type StaffIdentity, type StaffRole } from './staff';

export interface StaffMember extends StaffIdentity {
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

interface StaffRow {
  id: number;
  name: string;
  role: StaffRole;
  active: number;
  createdAt: number;
  lastLoginAt: number | null;
}

export function listStaff(core: KioskCore): StaffMember[] {
  const rows = statement(
    core,
    `SELECT s.id, s.name, s.role, s.active, s.created_at AS createdAt,
            (SELECT max(at) FROM audit_log a WHERE a.staff_id = s.id AND a.action = 'auth.login') AS lastLoginAt
       FROM staff s ORDER BY s.active DESC, s.role = 'owner' DESC, s.name`,
  ).all() as StaffRow[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role,
    active: row.active === 1,
    createdAt: new Date(row.createdAt).toISOString(),
    lastLoginAt: row.lastLoginAt === null ? null : new Date(row.lastLoginAt).toISOString(),
  }));
}

/** Adds a staff member or owner; the PIN must be unique among active staff (it is the login). */
export function addStaffMember(core: KioskCore, actor: AuditActor, name: string, role: StaffRole, pin: string): StaffIdentity {
  const added = addStaff(core, name, role, pin);
  runInTransaction(core, (tx) => recordAudit(core, tx.now, actor, 'staff.add', { staffId: added.id, name, role }));
  return added;
}

/**
 * Deactivates a staff member and ends their sessions at once. The lot always keeps an active
 * owner, and nobody deactivates themselves (so nobody locks the lot out by a slip).
 */
export function deactivateStaff(core: KioskCore, actor: AuditActor & { staffId: number }, staffId: number): StaffIdentity {
  return runInTransaction(core, (tx) => {
    const target = statement(core, 'SELECT id, name, role, active FROM staff WHERE id = ?').get(staffId) as
      | (StaffIdentity & { active: number })
      | undefined;
    if (!target) throw new DomainError('NOT_FOUND', `There is no staff member number ${staffId}.`);
    if (target.active === 0) fail('PRECONDITION_FAILED', `${target.name} is already deactivated.`);
    if (target.id === actor.staffId) fail('PRECONDITION_FAILED', 'You cannot deactivate your own account. Ask another owner.');
    if (target.role === 'owner') {
      const owners = (statement(core, "SELECT count(*) AS n FROM staff WHERE role = 'owner' AND active = 1").get() as { n: number }).n;
      if (owners <= 1) fail('PRECONDITION_FAILED', 'The lot must keep at least one active owner.');
    }
    statement(core, 'UPDATE staff SET active = 0 WHERE id = ?').run(staffId);
    statement(core, 'DELETE FROM staff_sessions WHERE staff_id = ?').run(staffId);
    recordAudit(core, tx.now, actor, 'staff.deactivate', { staffId, name: target.name, role: target.role });
    return { id: target.id, name: target.name, role: target.role };
  });
}
