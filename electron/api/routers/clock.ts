import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

/** Mounted only when the server runs with KIOSK_TEST_CLOCK=1, so tests can move time. */
export const clockRouter = router({
  now: publicProcedure.query(({ ctx }) => ({ now: new Date(ctx.core.clock.now()).toISOString() })),
  advance: publicProcedure
    .input(
      z
        .object({
          ms: z
            .number()
            .int()
            .min(0)
            .max(30 * 24 * 3600 * 1000, 'Advance at most 30 days at a time.'),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      if (!ctx.testClock) throw new TRPCError({ code: 'NOT_FOUND', message: 'This server has no test clock.' });
      ctx.testClock.advance(input.ms);
      ctx.core.expiry.fire();
      return { now: new Date(ctx.core.clock.now()).toISOString() };
    }),
});
