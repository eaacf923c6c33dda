import { z } from 'zod';
import { recordSatelliteContact } from '../../core/pairing/satellites';
import { grantLeases, releaseLeases } from '../../core/leases/rules';
import { replayInput, satelliteReportInput } from '../../core/leases/journal-events';
import { applyReplay, replayedBookingAccess } from '../../core/leases/replay';
import { router, satelliteProcedure } from '../trpc';

/** What only a paired satellite kiosk calls on its hub (issue 14, docs/multi-kiosk.md). */
export const hubRouter = router({
  /** The heartbeat: the satellite says how it is; the hub renews its leases and tops them up. */
  lease: satelliteProcedure.input(z.object({ report: satelliteReportInput }).strict()).mutation(({ ctx, input }) => {
    recordSatelliteContact(ctx.core, ctx.satellite.id, input.report);
    return grantLeases(ctx.core, ctx.satellite.id, { journalBacklog: input.report.journalBacklog });
  }),
  /** The satellite's journal, in order; each event is applied exactly once (by its id). */
  replay: satelliteProcedure.input(replayInput).mutation(({ ctx, input }) => ({ outcomes: applyReplay(ctx.core, ctx.satellite, input.events) })),
  /** The hub's id and token for one of this satellite's replayed sales (a screen still showing it). */
  bookingAccess: satelliteProcedure
    .input(z.object({ globalId: z.uuid() }).strict())
    .query(({ ctx, input }) => replayedBookingAccess(ctx.core, ctx.satellite.id, input.globalId)),
  /** A satellite shutting down cleanly gives its slots back at once. */
  release: satelliteProcedure.mutation(({ ctx }) => {
    releaseLeases(ctx.core, ctx.satellite.id);
    return { released: true };
  }),
});
