import { z } from 'zod';
import { ChangeWaiter } from '../../core/shared/events';
import { listSlots } from '../../core/slots/service';
import { id } from '../schemas';
import { publicProcedure, router } from '../trpc';

const HEARTBEAT_MS = 10_000;
const lotFilter = z.object({ lotId: id.optional() }).strict().default({});

export const slotRouter = router({
  list: publicProcedure.input(lotFilter).query(({ ctx, input }) => listSlots(ctx.core, input.lotId)),
  /** The live lot map: the slot list now, again on every change, and every 10 s. */
  watch: publicProcedure.input(lotFilter).subscription(async function* ({ ctx, input, signal }) {
    const waiter = new ChangeWaiter(ctx.core.events, (event) => input.lotId === undefined || event.lotId === input.lotId);
    try {
      while (!signal?.aborted) {
        yield listSlots(ctx.core, input.lotId);
        await waiter.next(HEARTBEAT_MS, signal);
      }
    } finally {
      waiter.close();
    }
  }),
});
