import { initTRPC, TRPCError } from '@trpc/server';
import { bindCredential, type LotCredential } from './auth';
import type { CentralDb } from './db/client';
import { acknowledge, pullDocuments } from './sync/documents';
import { pushEvents } from './sync/push';
import { runningSnapshots } from './store/bookings';
import { ackInput, pullInput, pushInput, runningInput } from './sync/schemas';

export interface CentralContext {
  db: CentralDb;
  /** The lot credential the request presented (Authorization: Bearer <lot key>), if any. */
  lot: LotCredential | null;
}

const t = initTRPC.context<CentralContext>().create({ isDev: process.env.KIOSK_DEBUG === '1' });

/** A lot may speak only for the lot its credential is bound to (bound on first use). */
const lotProcedure = t.procedure.use(async ({ ctx, getRawInput, next }) => {
  if (!ctx.lot) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This lot key is not known to the central server.' });
  const lotId = ((await getRawInput()) as { lotId?: unknown } | undefined)?.lotId;
  if (typeof lotId !== 'string' || !(await bindCredential(ctx.db, ctx.lot, lotId))) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This lot key belongs to another lot.' });
  }
  return next({ ctx: { ...ctx, lot: { ...ctx.lot, lotId: lotId.toLowerCase() } } });
});

export const centralRouter = t.router({
  sync: t.router({
    push: lotProcedure.input(pushInput).mutation(async ({ ctx, input }) => {
      const result = await pushEvents(ctx.db, { lotId: ctx.lot.lotId, name: ctx.lot.name, credentialId: ctx.lot.credentialId }, input);
      if (result.refused === 'two_installations') {
        throw new TRPCError({
          code: 'CONFLICT',
          message:
            'Two installations are sending events as this lot (a copied database?). Give the copy its own lot identity before it connects; the operator sees the alarm.',
        });
      }
      return result;
    }),
    pull: lotProcedure.input(pullInput).query(({ ctx, input }) => pullDocuments(ctx.db, ctx.lot.lotId, input.sinceVersion)),
    running: lotProcedure.input(runningInput).query(({ ctx, input }) => runningSnapshots(ctx.db, ctx.lot.lotId, input.nowMs)),
    ack: lotProcedure.input(ackInput).mutation(async ({ ctx, input }) => {
      await acknowledge(ctx.db, ctx.lot.lotId, input.version);
      return { ok: true as const };
    }),
  }),
});

export type CentralRouter = typeof centralRouter;
