import { z } from 'zod';
import { listSlots } from '../../core/slots/service';
import { liveFeed } from '../live';
import { slotsSource } from '../live-sources';
import { id } from '../schemas';
import { publicProcedure, router } from '../trpc';

const HEARTBEAT_MS = 10_000;
const lotFilter = z.object({ lotId: id.optional() }).strict().default({});

export const slotRouter = router({
  list: publicProcedure.input(lotFilter).query(({ ctx, input }) => listSlots(ctx.core, input.lotId)),
  /** The live lot map: the slot list now, again on every change, and every 10 s. */
  watch: publicProcedure
    .input(lotFilter)
    .subscription(({ ctx, input, signal }) => liveFeed(ctx, slotsSource(ctx.core, input.lotId, HEARTBEAT_MS), signal)),
});
