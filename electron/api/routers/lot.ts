import { z } from 'zod';
import { createLot } from '../../core/lots/create';
import { getLot, listLots } from '../../core/lots/service';
import { updateLotSettings } from '../../core/slots/lot-settings';
import { bookingMinutes, currencyCode, graceMinutes, lotName, plateCorrectionMinutes, slotHoldMinutes, timeZoneName } from '../../core/slots/fields';
import { auditActor } from '../actor';
import { inLot, liveQuery } from '../live';
import { id, money } from '../schemas';
import { ownerProcedure, publicProcedure, router } from '../trpc';

const HEARTBEAT_MS = 10_000;

// The fields of a lot as the owner types them (lot.create and slotAdmin.setLotSettings).
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
  changes: publicProcedure.input(z.object({ lotId: id.optional() }).strict().default({})).subscription(async function* ({ ctx, input, signal }) {
    yield* liveQuery(ctx, inLot(input.lotId), HEARTBEAT_MS, signal, (changed) => ({
      serverTime: new Date(ctx.core.clock.now()).toISOString(),
      changed,
    }));
  }),
});

/**
 * The owner's lot settings. On the wire this is `slotAdmin.setLotSettings` (the console's
 * setup screen calls it beside the slot procedures); router.ts mounts it there, so the name stays.
 */
export const lotSettingsProcedures = {
  setLotSettings: ownerProcedure
    .input(
      z
        .object({
          lotId: id,
          name: lotName.optional(),
          currency: currencyCode.optional(),
          timeZone: timeZoneName.optional(),
          bookingMinutes: bookingMinutes.optional(),
          carWashPrice: money.optional(),
          slotHoldMinutes: slotHoldMinutes.optional(),
          plateCorrectionMinutes: plateCorrectionMinutes.optional(),
          graceMinutes: graceMinutes.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      updateLotSettings(ctx.core, auditActor(ctx), input.lotId, {
        name: input.name,
        currency: input.currency,
        timeZone: input.timeZone,
        bookingMinutes: input.bookingMinutes,
        carWashPrice: input.carWashPrice,
        slotHoldMinutes: input.slotHoldMinutes,
        plateCorrectionMinutes: input.plateCorrectionMinutes,
        graceMinutes: input.graceMinutes,
      }),
    ),
};
