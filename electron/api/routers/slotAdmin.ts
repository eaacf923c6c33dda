import { timeZone } from '../../core/tariffs/model';
import { z } from 'zod';
import { addSlot, addSlots, deleteSlot, disableSlot, enableSlot, listAdminSlots, updateSlot } from '../../core/slots/admin';
import { lotMap } from '../../core/slots/lot-map';
import { updateLotSettings } from '../../core/slots/lot-settings';
import { id, vehicleType } from '../schemas';
import { ownerProcedure, router, staffProcedure } from '../trpc';
import { auditActor, money } from './staffShared';
import { bookingMinutes, currencyCode, lotName, plateCorrectionMinutes, slotHoldMinutes, timeZoneName } from './lotFields';

const label = z
  .string({ error: 'Enter a slot label.' })
  .trim()
  .min(1, 'Enter a slot label.')
  .max(12, 'Keep a slot label to 12 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 \-]*$/, 'A slot label has letters, digits, spaces and hyphens.');
const byLot = z.object({ lotId: id }).strict();
const bySlot = z.object({ slotId: id }).strict();

/** Slots and prices for the console: staff keep the lot running, the owner sets prices. */
export const slotAdminRouter = router({
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
          labels: z.string({ error: 'Type the slot labels.' }).trim().min(1, 'Type the slot labels, e.g. A1–A12.').max(4000, 'That is too many labels for one row.'),
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
      }),
    ),
});
