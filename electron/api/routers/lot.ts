import { z } from 'zod';
import { getLot, listLots } from '../../core/lots/service';
import { ChangeWaiter } from '../../core/shared/events';
import { id } from '../schemas';
import { publicProcedure, router } from '../trpc';

const HEARTBEAT_MS = 10_000;

export const lotRouter = router({
  list: publicProcedure.query(({ ctx }) => listLots(ctx.core)),
  get: publicProcedure.input(z.object({ lotId: id }).strict()).query(({ ctx, input }) => getLot(ctx.core, input.lotId)),
  /**
   * Pings on every committed change in a lot (and every 10 s), so screens refetch what they
   * show instead of polling.
   */
  changes: publicProcedure
    .input(z.object({ lotId: id.optional() }).strict().default({}))
    .subscription(async function* ({ ctx, input, signal }) {
      const waiter = new ChangeWaiter(ctx.core.events, (event) => input.lotId === undefined || event.lotId === input.lotId);
      try {
        yield { serverTime: new Date(ctx.core.clock.now()).toISOString(), changed: false };
        while (!signal?.aborted) {
          const changed = await waiter.next(HEARTBEAT_MS, signal);
          if (signal?.aborted) break;
          yield { serverTime: new Date(ctx.core.clock.now()).toISOString(), changed };
        }
      } finally {
        waiter.close();
      }
    }),
});
