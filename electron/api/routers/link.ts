import { hubLinkStatus } from '../../core/leases/link-status';
import { publicProcedure, router } from '../trpc';

/** The kiosk's link to its lot's hub; a satellite's own process answers this itself (electron/satellite). */
export const linkRouter = router({
  status: publicProcedure.query(({ ctx }) => hubLinkStatus(ctx.core)),
});
