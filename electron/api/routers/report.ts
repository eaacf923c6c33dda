import { z } from 'zod';
import { exportBookingsCsvAudited } from '../../core/export/bookings';
import { occupancyByHour } from '../../core/reports/occupancy';
import { revenueByDay } from '../../core/reports/revenue';
import { bookingStatus, id, isoInstant } from '../schemas';
import { router, staffProcedure } from '../trpc';
import { toMs } from '../schemas';
import { auditActor, reportPeriod } from './staffShared';

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
