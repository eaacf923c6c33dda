import { z } from 'zod';
import { getLot, listLots } from '../../core/lots/service';
import { inLot, liveQuery } from '../live';
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
      yield* liveQuery(ctx, inLot(input.lotId), HEARTBEAT_MS, signal, (changed) => ({
        serverTime: new Date(ctx.core.clock.now()).toISOString(),
        changed,
      }));
    }),
});
