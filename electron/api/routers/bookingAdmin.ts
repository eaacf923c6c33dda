import { bookingHistory } from '../../core/bookings/history';
import { byId } from '../schemas';
import { router, staffProcedure } from '../trpc';

/** Staff-only views of bookings beyond the public contract. */
export const bookingAdminRouter = router({
  history: staffProcedure.input(byId).query(({ ctx, input }) => bookingHistory(ctx.core, input.id)),
});
