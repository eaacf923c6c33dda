import { z } from 'zod';
import { addStaffMember, deactivateStaff, listStaff } from '../../core/auth/staff-admin';
import { id, pin, staffRole as role } from '../schemas';
import { ownerProcedure, router } from '../trpc';
import { auditActor } from '../actor';

const name = z.string({ error: 'Enter a name.' }).trim().min(1, 'Enter a name.').max(40, 'Keep the name under 40 characters.');

/** The owner manages who may use the console. */
export const staffAdminRouter = router({
  list: ownerProcedure.query(({ ctx }) => listStaff(ctx.core)),
  add: ownerProcedure
    .input(z.object({ name, role, pin }).strict())
    .mutation(({ ctx, input }) => addStaffMember(ctx.core, auditActor(ctx), input.name, input.role, input.pin)),
  deactivate: ownerProcedure.input(z.object({ staffId: id }).strict()).mutation(({ ctx, input }) => deactivateStaff(ctx.core, auditActor(ctx), input.staffId)),
});
