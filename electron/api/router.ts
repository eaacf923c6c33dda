import { authRouter } from './routers/auth';
import { bookingAdminRouter, bookingRouter } from './routers/booking';
import { clockRouter } from './routers/clock';
import { lotRouter, lotSettingsProcedures } from './routers/lot';
import { slotAdminProcedures, slotRouter } from './routers/slot';
import { auditRouter } from './routers/audit';
import { reportRouter } from './routers/report';
import { staffAdminRouter } from './routers/staffAdmin';
import { backupRouter } from './routers/backup';
import { tariffRouter } from './routers/tariff';
import { printerRouter } from './routers/printer';
import { receiptRouter } from './routers/receipt';
import { hubRouter } from './routers/hub';
import { linkRouter } from './routers/link';
import { syncRouter } from './routers/sync';
import { satelliteRouter } from './routers/satellite';
import { router } from './trpc';

/**
 * The wire's namespaces. Each routers/<domain>.ts holds one domain's procedures with their
 * inputs; a namespace older than that cut keeps its name: `slotAdmin` is slot.ts's console
 * procedures plus lot.ts's setLotSettings.
 */
const slotAdminRouter = router({ ...slotAdminProcedures, ...lotSettingsProcedures });

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
  hub: hubRouter,
  link: linkRouter,
  sync: syncRouter,
  satellite: satelliteRouter,
};

/** The whole API, test clock included in its type (the client may call it in test mode). */
export const fullRouter = router({ ...procedures, clock: clockRouter });
export type AppRouter = typeof fullRouter;

/** The router a server mounts: the `clock` procedures exist only when a test clock is given. */
export function createAppRouter(options: { testClock: boolean }): AppRouter {
  return (options.testClock ? fullRouter : router(procedures)) as AppRouter;
}
