import { z } from 'zod';
import { login, logout, setupFirstOwner, staffCount } from '../../core/auth/staff';
import { pin } from '../schemas';
import { publicProcedure, router, staffProcedure } from '../trpc';

const staffName = z.string().trim().min(1, 'Enter a name.').max(40, 'Keep the name under 40 characters.');

export const authRouter = router({
  status: publicProcedure.query(({ ctx }) => ({
    setupRequired: staffCount(ctx.core) === 0,
    signedIn: ctx.actor.kind === 'staff' ? ctx.actor.staff : null,
  })),

  /** First run only: creates the owner account when the kiosk has no staff yet. */
  setup: publicProcedure
    .input(z.object({ name: staffName, pin, setupCode: z.string().max(32, 'That setup code is too long.').optional() }).strict())
    .mutation(({ ctx, input }) =>
      setupFirstOwner(ctx.core, input.name, input.pin, { clientKey: ctx.clientKey, origin: ctx.origin, setupCode: input.setupCode }),
    ),

  /** PIN login; the name is needed only when two staff members share a PIN. */
  login: publicProcedure
    .input(z.object({ pin: z.string().max(32, 'That PIN is too long.'), name: staffName.optional() }).strict())
    .mutation(({ ctx, input }) => login(ctx.core, input.pin, { clientKey: ctx.clientKey, origin: ctx.origin }, input.name)),

  logout: staffProcedure.mutation(({ ctx }) => {
    logout(ctx.core, ctx.actor.token);
    return { ok: true as const };
  }),

  me: staffProcedure.query(({ ctx }) => ctx.actor.staff),
});
