import { z } from 'zod';
import { admitNetworkHold, NETWORK_HOLD_LIMITS } from '../../core/holds/limits';
import { placeHold, releaseHold, renewHold } from '../../core/holds/service';
import { listSlots } from '../../core/slots/service';
import { liveFeed } from '../live';
import { slotsSource } from '../live-sources';
import { holdToken, id } from '../schemas';
import { publicProcedure, router } from '../trpc';
import { isUnlimitedBooker } from './booking';

const HEARTBEAT_MS = 10_000;
/** `holdToken`: the caller's own hold, shown to it as its choice rather than "being booked". */
const lotFilter = z.object({ lotId: id.optional(), holdToken: holdToken.optional() }).strict().default({});
const byHold = z.object({ holdToken }).strict();

export const slotRouter = router({
  list: publicProcedure.input(lotFilter).query(({ ctx, input }) => listSlots(ctx.core, input.lotId, input.holdToken)),
  /** The live lot map: the slot list now, again on every change, and every 10 s. */
  watch: publicProcedure
    .input(lotFilter)
    .subscription(({ ctx, input, signal }) => liveFeed(ctx, slotsSource(ctx.core, input.lotId, HEARTBEAT_MS, input.holdToken), signal)),

  /** Choosing a slot holds it for the lot's hold time (issue 13); the token is the only proof of holding. */
  hold: publicProcedure.input(z.object({ slotId: id }).strict()).mutation(({ ctx, input }) => {
    if (isUnlimitedBooker(ctx)) return placeHold(ctx.core, { slotId: input.slotId, clientKey: ctx.clientKey });
    admitNetworkHold(ctx.core, ctx.clientKey);
    return placeHold(ctx.core, { slotId: input.slotId, clientKey: ctx.clientKey, maxLiveForClient: NETWORK_HOLD_LIMITS.liveAtOnce });
  }),
  /** The driver is still at it: the hold runs on (within its 10-minute lifetime). */
  renewHold: publicProcedure.input(byHold).mutation(({ ctx, input }) => renewHold(ctx.core, input.holdToken)),
  /** Back, idle reset: the slot is free for others at once. */
  releaseHold: publicProcedure.input(byHold).mutation(({ ctx, input }) => releaseHold(ctx.core, input.holdToken)),
});
