import { TRPCError } from '@trpc/server';
import { testClockAdvance } from '../schemas';
import { publicProcedure, router } from '../trpc';

/** Mounted only when the server runs with KIOSK_TEST_CLOCK=1, so tests can move time. */
export const clockRouter = router({
  now: publicProcedure.query(({ ctx }) => ({ now: new Date(ctx.core.clock.now()).toISOString() })),
  advance: publicProcedure.input(testClockAdvance).mutation(({ ctx, input }) => {
    if (!ctx.testClock) throw new TRPCError({ code: 'NOT_FOUND', message: 'This server has no test clock.' });
    ctx.testClock.advance(input.ms);
    ctx.core.expiry.fire();
    return { now: new Date(ctx.core.clock.now()).toISOString() };
  }),
});
