import { z } from 'zod';
import { admitNetworkHold, NETWORK_HOLD_LIMITS } from '../../core/holds/limits';
import { placeHold, releaseHold, renewHold } from '../../core/holds/service';
import { addSlot, addSlots, deleteSlot, disableSlot, enableSlot, listAdminSlots, updateSlot } from '../../core/slots/admin';
import { slotLabel as label } from '../../core/slots/fields';
import { lotMap } from '../../core/slots/lot-map';
import { listSlots } from '../../core/slots/service';
import { auditActor } from '../actor';
import { liveFeed } from '../live';
import { slotsSource } from '../live-sources';
import { holdToken, id, money, vehicleType } from '../schemas';
import { ownerProcedure, publicProcedure, router, staffProcedure } from '../trpc';
import { isUnlimitedBooker } from './booking';

const HEARTBEAT_MS = 10_000;
/** `holdToken`: the caller's own hold, shown to it as its choice rather than "being booked". */
const lotFilter = z.object({ lotId: id.optional(), holdToken: holdToken.optional() }).strict().default({});
const byHold = z.object({ holdToken }).strict();
const byLot = z.object({ lotId: id }).strict();
const bySlot = z.object({ slotId: id }).strict();

/** The driver's view of the slots: what is free, and holding one while booking it. */
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

/**
 * Slots for the console (mounted as `slotAdmin`, beside lot.ts's setLotSettings): staff keep
 * the lot running, the owner sets prices.
 */
export const slotAdminProcedures = {
  list: staffProcedure.input(byLot).query(({ ctx, input }) => listAdminSlots(ctx.core, input.lotId)),

  /** Who is in every slot and when it frees; staff only, as it names vehicles. */
  lotMap: staffProcedure.input(byLot).query(({ ctx, input }) => lotMap(ctx.core, input.lotId)),

  add: ownerProcedure
    .input(z.object({ lotId: id, label, vehicleType, hourlyPrice: money }).strict())
    .mutation(({ ctx, input }) => addSlot(ctx.core, auditActor(ctx), input)),

  /** A row of slots at once ("A1–A12" or "A1, A2, B7"), all with one type and price. */
  addMany: ownerProcedure
    .input(
      z
        .object({
          lotId: id,
          labels: z
            .string({ error: 'Type the slot labels.' })
            .trim()
            .min(1, 'Type the slot labels, e.g. A1–A12.')
            .max(4000, 'That is too many labels for one row.'),
          vehicleType,
          hourlyPrice: money,
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => addSlots(ctx.core, auditActor(ctx), input)),

  update: staffProcedure
    .input(z.object({ slotId: id, label: label.optional(), vehicleType: vehicleType.optional() }).strict())
    .mutation(({ ctx, input }) => updateSlot(ctx.core, auditActor(ctx), input.slotId, { label: input.label, vehicleType: input.vehicleType })),

  setPrice: ownerProcedure
    .input(z.object({ slotId: id, hourlyPrice: money }).strict())
    .mutation(({ ctx, input }) => updateSlot(ctx.core, auditActor(ctx), input.slotId, { hourlyPrice: input.hourlyPrice })),

  /** Closing a slot that has bookings still to run needs `activeBookings`: keep them or cancel them. */
  disable: staffProcedure
    .input(
      z
        .object({
          slotId: id,
          activeBookings: z.enum(['keep', 'cancel'], { error: 'Say whether to keep or cancel the active bookings.' }).optional(),
          reason: z.string().trim().max(200, 'Keep the reason under 200 characters.').optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => disableSlot(ctx.core, auditActor(ctx), input.slotId, input.activeBookings, input.reason || null)),

  enable: staffProcedure.input(bySlot).mutation(({ ctx, input }) => enableSlot(ctx.core, auditActor(ctx), input.slotId)),

  remove: ownerProcedure.input(bySlot).mutation(({ ctx, input }) => deleteSlot(ctx.core, auditActor(ctx), input.slotId)),
};
