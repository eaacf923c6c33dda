import { z } from 'zod';
import { currentLotTariff, previewTariff, saveLotTariff, tariffHistory } from '../../core/pricing/tariff-admin';
import { statement, type KioskCore } from '../../core/shared/core';
import { DomainError } from '../../core/shared/errors';
import { tariffDocument, VEHICLE_TYPES } from '../../core/tariffs/model';
import { durationMinutes, id, isoInstant } from '../schemas';
import { ownerProcedure, router, staffProcedure } from '../trpc';
import { auditActor } from '../actor';

/** A kiosk runs one lot; lotId picks another when a database holds several. */
const lotChoice = { lotId: id.optional() };

function lotOf(core: KioskCore, lotId: number | undefined): number {
  if (lotId !== undefined) return lotId;
  const first = statement(core, 'SELECT min(id) AS id FROM lots').get() as { id: number | null };
  if (first.id === null) throw new DomainError('NOT_FOUND', 'There is no lot yet.');
  return first.id;
}

export const tariffRouter = router({
  current: staffProcedure
    .input(z.object(lotChoice).strict().optional())
    .query(({ ctx, input }) => currentLotTariff(ctx.core, lotOf(ctx.core, input?.lotId))),

  history: staffProcedure
    .input(z.object(lotChoice).strict().optional())
    .query(({ ctx, input }) => tariffHistory(ctx.core, lotOf(ctx.core, input?.lotId))),

  save: ownerProcedure
    .input(z.object({ ...lotChoice, document: tariffDocument }).strict())
    .mutation(({ ctx, input }) => saveLotTariff(ctx.core, auditActor(ctx), lotOf(ctx.core, input.lotId), input.document)),

  preview: staffProcedure
    .input(
      z
        .object({
          ...lotChoice,
          document: tariffDocument,
          vehicleType: z.enum(VEHICLE_TYPES, { error: 'Vehicle type is car, bike, suv, ev or truck.' }),
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
