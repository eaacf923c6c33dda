import { z } from 'zod';
import { auditNow } from '../../core/audit/service';
import { login, logout, setupFirstOwner, staffCount } from '../../core/auth/staff';
import { DomainError } from '../../core/shared/errors';
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
    .mutation(({ ctx, input }) => {
      const client = { clientKey: ctx.clientKey, origin: ctx.origin };
      const owner = setupFirstOwner(ctx.core, input.name, input.pin, { ...client, setupCode: input.setupCode });
      auditNow(ctx.core, { staffId: owner.id, name: owner.name }, 'auth.setup', { client: ctx.clientKey, origin: ctx.origin });
      return login(ctx.core, input.pin, client, input.name);
    }),

  /** PIN login; the name is needed only when two staff members share a PIN. */
  login: publicProcedure
    .input(z.object({ pin: z.string().max(32, 'That PIN is too long.'), name: staffName.optional() }).strict())
    .mutation(async ({ ctx, input }) => {
    let result: Awaited<ReturnType<typeof login>>;
    try {
      result = await login(ctx.core, input.pin, { clientKey: ctx.clientKey, origin: ctx.origin }, input.name);
    } catch (error) {
      // Wrong PINs belong in the audit log too: they are how a guesser shows up.
      if (error instanceof DomainError && error.code === 'UNAUTHORIZED') {
        auditNow(ctx.core, { staffId: null, name: 'unknown' }, 'auth.login_failed', { client: ctx.clientKey, origin: ctx.origin });
      }
      throw error;
    }
    auditNow(ctx.core, { staffId: result.staff.id, name: result.staff.name }, 'auth.login', { client: ctx.clientKey });
    return result;
    }),

  logout: staffProcedure.mutation(({ ctx }) => {
    logout(ctx.core, ctx.actor.token);
    return { ok: true as const };
  }),

  me: staffProcedure.query(({ ctx }) => ctx.actor.staff),
});

