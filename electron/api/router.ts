import { authRouter } from './routers/auth';
import { bookingRouter } from './routers/booking';
import { clockRouter } from './routers/clock';
import { lotRouter } from './routers/lot';
import { slotRouter } from './routers/slot';
import { auditRouter } from './routers/audit';
import { bookingAdminRouter } from './routers/bookingAdmin';
import { reportRouter } from './routers/report';
import { slotAdminRouter } from './routers/slotAdmin';
import { staffAdminRouter } from './routers/staffAdmin';
import { backupRouter } from './routers/backup';
import { tariffRouter } from './routers/tariff';
import { printerRouter } from './routers/printer';
import { receiptRouter } from './routers/receipt';
import { linkRouter } from './routers/link';
import { satelliteRouter } from './routers/satellite';
import { router } from './trpc';

const procedures = {
  auth: authRouter,
  lot: lotRouter,
  slot: slotRouter,
  booking: bookingRouter,
  staff: staffAdminRouter,
  slotAdmin: slotAdminRouter,
  bookingAdmin: bookingAdminRouter,
  report: reportRouter,
  audit: auditRouter,
  backup: backupRouter,
  tariff: tariffRouter,
  receipt: receiptRouter,
  printer: printerRouter,
  satellite: satelliteRouter,
  link: linkRouter,
};

/** The whole API, test clock included in its type (the client may call it in test mode). */
export const fullRouter = router({ ...procedures, clock: clockRouter });
export type AppRouter = typeof fullRouter;

/** The router a server mounts: the `clock` procedures exist only when a test clock is given. */
export function createAppRouter(options: { testClock: boolean }): AppRouter {
  return (options.testClock ? fullRouter : router(procedures)) as AppRouter;
}
