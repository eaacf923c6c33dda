import { syncStatus } from '../../sync/status';
import { router, staffProcedure } from '../trpc';

/** Issue 15: the lot's view of its link to the central server (staff console card). */
export const syncRouter = router({
  status: staffProcedure.query(({ ctx }) => syncStatus(ctx.core)),
});
