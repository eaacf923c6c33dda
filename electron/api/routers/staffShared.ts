import { z } from 'zod';
import type { AuditActor } from '../../core/audit/service';
import type { StaffIdentity } from '../../core/auth/staff';
import { id, isoInstant } from '../schemas';

/** The audit log's "who" for a staff caller (staffProcedure has already checked there is one). */
export const auditActor = (ctx: { actor: { staff: StaffIdentity } }): AuditActor & { staffId: number } => ({
  staffId: ctx.actor.staff.id,
  name: ctx.actor.staff.name,
});

export const money = z
  .number({ error: 'Enter an amount in minor units (paise).' })
  .int('Money is a whole number of minor units (paise).')
  .min(0, 'A price cannot be negative.')
  .max(100_000_000, 'That price is too high.');

/**
 * A reporting window. Hours and days are the lot's local ones (its IANA zone); an older
 * client's `utcOffsetMinutes` still asks for a fixed offset instead.
 */
export const reportPeriod = z
  .object({
    lotId: id,
    from: isoInstant,
    to: isoInstant,
    utcOffsetMinutes: z.number().int('The UTC offset is whole minutes.').min(-840).max(840).optional(),
  })
  .strict();

