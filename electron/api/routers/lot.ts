import { z } from 'zod';
import { createLot } from '../../core/lots/create';
import { getLot, listLots } from '../../core/lots/service';
import { inLot, liveQuery } from '../live';
import { id } from '../schemas';
import { ownerProcedure, publicProcedure, router } from '../trpc';
import { bookingMinutes, currencyCode, lotName, timeZoneName } from './lotFields';
import { auditActor, money } from './staffShared';

const HEARTBEAT_MS = 10_000;

export const lotRouter = router({
  list: publicProcedure.query(({ ctx }) => listLots(ctx.core)),
  /** First run without the demo: the owner creates the kiosk's one lot. */
  create: ownerProcedure
    .input(z.object({ name: lotName, currency: currencyCode, timeZone: timeZoneName, bookingMinutes, carWashPrice: money }).strict())
    .mutation(({ ctx, input }) => createLot(ctx.core, auditActor(ctx), input)),
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
