import { configurePrinter, getPrinterConfig, printTestPage } from '../../core/printing/service';
import type { PrinterConfig } from '../../core/printing/print-receipt';
import { printerConfigSchema } from '../../core/printing/printer-config';
import { ownerProcedure, publicProcedure, router, staffProcedure } from '../trpc';
import { auditActor } from '../actor';

export const printerRouter = router({
  /** The set-up (staff see the address). */
  get: staffProcedure.query(({ ctx }) => getPrinterConfig(ctx.core)),

  /** Whether the kiosk offers "Print receipt": no address, just yes or no. */
  available: publicProcedure.query(({ ctx }) => ({ configured: getPrinterConfig(ctx.core).kind !== 'none' })),

  configure: ownerProcedure.input(printerConfigSchema).mutation(({ ctx, input }) => configurePrinter(ctx.core, input as PrinterConfig, auditActor(ctx))),

  /** A sample page (not a receipt); the outcome tells staff whether to change the status check. */
  test: staffProcedure.mutation(({ ctx }) => printTestPage(ctx.core)),
});
