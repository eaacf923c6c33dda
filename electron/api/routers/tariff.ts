import { z } from 'zod';
import { currentLotTariff, previewTariff, saveLotTariff, tariffHistory } from '../../core/pricing/tariff-admin';
import { lotOrFirst } from '../../core/lots/choose';
import { tariffDocument } from '../../core/tariffs/model';
import { durationMinutes, id, isoInstant, vehicleType } from '../schemas';
import { ownerProcedure, router, staffProcedure } from '../trpc';
import { auditActor } from '../actor';

/** A kiosk runs one lot; lotId picks another when a database holds several. */
const lotChoice = { lotId: id.optional() };
const lotOf = lotOrFirst;

export const tariffRouter = router({
  current: staffProcedure.input(z.object(lotChoice).strict().optional()).query(({ ctx, input }) => currentLotTariff(ctx.core, lotOf(ctx.core, input?.lotId))),

  history: staffProcedure.input(z.object(lotChoice).strict().optional()).query(({ ctx, input }) => tariffHistory(ctx.core, lotOf(ctx.core, input?.lotId))),

  save: ownerProcedure
    .input(z.object({ ...lotChoice, document: tariffDocument }).strict())
    .mutation(({ ctx, input }) => saveLotTariff(ctx.core, auditActor(ctx), lotOf(ctx.core, input.lotId), input.document)),

  preview: staffProcedure
    .input(
      z
        .object({
          ...lotChoice,
          document: tariffDocument,
          vehicleType,
          startTime: isoInstant,
          durationMinutes,
        })
        .strict(),
    )
    // A mutation (POST) only because a whole document does not fit a URL; it saves nothing.
    .mutation(({ ctx, input }) =>
      previewTariff(ctx.core, lotOf(ctx.core, input.lotId), {
        document: input.document,
        vehicleType: input.vehicleType,
        startMs: Date.parse(input.startTime),
        durationMinutes: input.durationMinutes,
      }),
    ),
});
