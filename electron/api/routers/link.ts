import { publicProcedure, router } from '../trpc';
import { linkStatusOf } from '../../satellite/link-status';

/**
 * How this kiosk reaches the lot's hub, for the screens' banner (issue 14). The hub branch
 * provides the real source (satellite runtime); a single kiosk is always its own hub, online.
 */
export const linkRouter = router({
  status: publicProcedure.query(({ ctx }) => linkStatusOf(ctx.core)),
});
