import { z } from 'zod';
import { exportBookingsCsvAudited } from '../../core/export/bookings';
import { occupancyByHour } from '../../core/reports/occupancy';
import { revenueByDay } from '../../core/reports/revenue';
import { auditActor } from '../actor';
import { bookingStatus, id, isoInstant, toMs } from '../schemas';
import { router, staffProcedure } from '../trpc';

/**
 * A reporting window. Hours and days are the lot's local ones (its IANA zone); an older
 * client's `utcOffsetMinutes` still asks for a fixed offset instead.
 */
const reportPeriod = z
  .object({
    lotId: id,
    from: isoInstant,
    to: isoInstant,
    utcOffsetMinutes: z.number().int('The UTC offset is whole minutes.').min(-840).max(840).optional(),
  })
  .strict();

const period = (input: z.infer<typeof reportPeriod>) => ({
  fromMs: Date.parse(input.from),
  toMs: Date.parse(input.to),
  utcOffsetMinutes: input.utcOffsetMinutes,
});

export const reportRouter = router({
  occupancy: staffProcedure.input(reportPeriod).query(({ ctx, input }) => occupancyByHour(ctx.core, input.lotId, period(input))),
  revenue: staffProcedure.input(reportPeriod).query(({ ctx, input }) => revenueByDay(ctx.core, input.lotId, period(input))),

  /** The bookings matching the console's filters as CSV text; a mutation because the export is audited. */
  bookingsCsv: staffProcedure
    .input(
      z
        .object({
          lotId: id.optional(),
          status: bookingStatus.optional(),
          slotId: id.optional(),
          search: z.string().max(32, 'Search text is too long.').optional(),
          from: isoInstant.optional(),
          to: isoInstant.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      exportBookingsCsvAudited(ctx.core, auditActor(ctx), input, {
        lotId: input.lotId,
        status: input.status,
        slotId: input.slotId,
        search: input.search,
        fromMs: toMs(input.from),
        toMs: toMs(input.to),
        order: 'newest',
      }),
    ),
});
