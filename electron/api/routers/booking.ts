import { z } from 'zod';
import { addCarWash, cancelBooking, createBooking, findBooking, getBooking, listBookings, renewBooking } from '../../core/bookings/service';
import { extendBooking, extendOptions } from '../../core/bookings/extend';
import { bookingDurations, quoteBooking } from '../../core/bookings/quote';
import { admitNetworkBooking, admitNetworkVehicleCheck, noteNetworkBooking } from '../../core/bookings/limits';
import { bookingHistory } from '../../core/bookings/history';
import { checkPlate } from '../../core/bookings/plate-check';
import { correctPlate } from '../../core/bookings/plate-correction';
import { DomainError } from '../../core/shared/errors';
import type { ApiContext } from '../context';
import { liveFeed } from '../live';
import { bookingSource } from '../live-sources';
import { bookingStatus, bookingType, durationMinutes, holdToken, id, isoInstant, reference, toMs, vehicleNumber } from '../schemas';
import { actorName, assertBookingAccess, publicProcedure, router, staffProcedure } from '../trpc';

// Inputs of the booking procedures.
const createBookingInput = z
  .object({
    slotId: id,
    vehicleNumber,
    bookingType,
    startTime: isoInstant.optional(),
    durationMinutes: durationMinutes.optional(),
    /** The driver's hold on this slot, turned into the booking (issue 13). */
    holdToken: holdToken.optional(),
  })
  .strict();

const quoteInput = z.object({ slotId: id, bookingType, startTime: isoInstant.optional(), durationMinutes: durationMinutes.optional() }).strict();
const durationsInput = z.object({ slotId: id, bookingType, startTime: isoInstant.optional() }).strict();

const listBookingsInput = z
  .object({
    status: bookingStatus.optional(),
    lotId: id.optional(),
    slotId: id.optional(),
    search: z.string().max(32, 'Search text is too long.').optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
    order: z.enum(['newest', 'oldest']).default('newest'),
    cursor: id.nullish(),
    limit: z.number().int().min(1, 'Ask for at least 1 row.').max(200, 'Ask for at most 200 rows.').default(50),
  })
  .strict()
  .default({ order: 'newest', limit: 50 });

const byId = z.object({ id }).strict();

/** A watcher hears every change at once; this heartbeat only bounds how stale a quiet screen gets. */
const WATCH_HEARTBEAT_MS = 5_000;

/**
 * Who books without the per-client limits: the kiosk's own screen (it books for every
 * driver) and staff. The hook for a paired kiosk of the lot goes here.
 */
export const isUnlimitedBooker = (ctx: ApiContext): boolean => ctx.origin === 'screen' || ctx.actor.kind === 'staff' || ctx.satellite !== null;

/** Runs a booking-making call under the network limits (limits.ts) unless the caller is unlimited. */
function underBookingLimits<T extends { id: number }>(ctx: ApiContext, make: () => T): T {
  if (isUnlimitedBooker(ctx)) return make();
  admitNetworkBooking(ctx.core, ctx.clientKey);
  try {
    const made = make();
    noteNetworkBooking(ctx.core, ctx.clientKey, { bookingId: made.id });
    return made;
  } catch (error) {
    if (error instanceof DomainError && error.reason === 'VEHICLE_BUSY') noteNetworkBooking(ctx.core, ctx.clientKey, { vehicleBusy: true });
    throw error;
  }
}

export const bookingRouter = router({
  create: publicProcedure.input(createBookingInput).mutation(({ ctx, input }) =>
    underBookingLimits(ctx, () => {
      const { booking, accessToken } = createBooking(ctx.core, {
        slotId: input.slotId,
        vehicleNumber: input.vehicleNumber,
        bookingType: input.bookingType,
        startMs: toMs(input.startTime),
        durationMinutes: input.durationMinutes,
        holdToken: input.holdToken,
      });
      return { ...booking, accessToken };
    }),
  ),

  /** What create would charge for the same input now (the same core function). */
  quote: publicProcedure.input(quoteInput).query(({ ctx, input }) =>
    quoteBooking(ctx.core, {
      slotId: input.slotId,
      bookingType: input.bookingType,
      startMs: toMs(input.startTime),
      durationMinutes: input.durationMinutes,
    }),
  ),

  /** The stays the kiosk offers on a slot, each priced. */
  durations: publicProcedure
    .input(durationsInput)
    .query(({ ctx, input }) => bookingDurations(ctx.core, { slotId: input.slotId, bookingType: input.bookingType, startMs: toMs(input.startTime) })),

  extendOptions: publicProcedure.input(byId).query(({ ctx, input }) => {
    assertBookingAccess(ctx, input.id);
    return extendOptions(ctx.core, input.id);
  }),

  extend: publicProcedure.input(z.object({ id, minutes: durationMinutes }).strict()).mutation(({ ctx, input }) => {
    assertBookingAccess(ctx, input.id);
    return extendBooking(ctx.core, input.id, input.minutes);
  }),

  get: publicProcedure.input(byId).query(({ ctx, input }) => {
    assertBookingAccess(ctx, input.id);
    return getBooking(ctx.core, input.id);
  }),

  list: staffProcedure.input(listBookingsInput).query(({ ctx, input }) =>
    listBookings(ctx.core, {
      status: input.status,
      lotId: input.lotId,
      slotId: input.slotId,
      search: input.search,
      fromMs: toMs(input.from),
      toMs: toMs(input.to),
      cursor: input.cursor ?? undefined,
      limit: input.limit,
      order: input.order,
    }),
  ),

  cancel: publicProcedure
    .input(z.object({ id, reason: z.string().trim().max(200, 'Keep the reason under 200 characters.').optional() }).strict())
    .mutation(({ ctx, input }) => {
      assertBookingAccess(ctx, input.id);
      const staff = ctx.actor.kind === 'staff' ? { staffId: ctx.actor.staff.id, name: ctx.actor.staff.name } : undefined;
      return cancelBooking(ctx.core, input.id, actorName(ctx), input.reason || null, staff);
    }),

  renew: publicProcedure.input(byId).mutation(({ ctx, input }) => {
    assertBookingAccess(ctx, input.id);
    const renewed = underBookingLimits(ctx, () => {
      const result = renewBooking(ctx.core, input.id);
      return { ...result, id: result.newBooking.id };
    });
    const { id: _newId, ...result } = renewed;
    return result;
  }),

  addCarWash: publicProcedure.input(byId).mutation(({ ctx, input }) => {
    assertBookingAccess(ctx, input.id);
    return addCarWash(ctx.core, input.id);
  }),

  /**
   * Reads a typed plate back grouped, with a look-alike warning. `seenLookAlike` (a plate booked
   * here recently, one look-alike character away) only for the kiosk's own screen and staff: a
   * network caller could otherwise probe which plates park here.
   */
  plateCheck: publicProcedure
    .input(z.object({ vehicleNumber, lotId: id.optional() }).strict())
    .query(({ ctx, input }) => checkPlate(ctx.core, input.vehicleNumber, { seen: isUnlimitedBooker(ctx), lotId: input.lotId })),

  /**
   * The driver (booking token) corrects the plate once, within the lot's minutes after booking;
   * staff any time, with a reason (audited).
   */
  correctPlate: publicProcedure
    .input(z.object({ id, vehicleNumber, reason: z.string().trim().max(200, 'Keep the reason under 200 characters.').optional() }).strict())
    .mutation(({ ctx, input }) => {
      assertBookingAccess(ctx, input.id);
      const staff = ctx.actor.kind === 'staff' ? { staffId: ctx.actor.staff.id, name: ctx.actor.staff.name } : undefined;
      if (isUnlimitedBooker(ctx)) {
        return correctPlate(ctx.core, {
          id: input.id,
          vehicleNumber: input.vehicleNumber,
          reason: input.reason ?? null,
          by: staff ? { kind: 'staff', staff } : { kind: 'driver' },
        });
      }
      admitNetworkVehicleCheck(ctx.core, ctx.clientKey);
      try {
        return correctPlate(ctx.core, { id: input.id, vehicleNumber: input.vehicleNumber, reason: input.reason ?? null, by: { kind: 'driver' } });
      } catch (error) {
        if (error instanceof DomainError && error.reason === 'VEHICLE_BUSY') noteNetworkBooking(ctx.core, ctx.clientKey, { vehicleBusy: true });
        throw error;
      }
    }),

  find: publicProcedure.input(z.object({ reference, vehicleNumber }).strict()).mutation(({ ctx, input }) => {
    const { booking, accessToken } = findBooking(ctx.core, input.reference, input.vehicleNumber, ctx.clientKey);
    return { ...booking, accessToken };
  }),

  /** The booking now, again on every change to it, and at least every 5 s (lazy expiry included). */
  watch: publicProcedure.input(byId).subscription(({ ctx, input, signal }) => {
    assertBookingAccess(ctx, input.id);
    return liveFeed(ctx, bookingSource(ctx.core, input.id, WATCH_HEARTBEAT_MS), signal);
  }),
});

/** Staff-only views of bookings beyond the public contract (mounted as `bookingAdmin`). */
export const bookingAdminRouter = router({
  history: staffProcedure.input(byId).query(({ ctx, input }) => bookingHistory(ctx.core, input.id)),
});
