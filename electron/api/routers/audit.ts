import { z } from 'zod';
import { exportAuditCsvAudited, listAudit } from '../../core/audit/log';
import { id, isoInstant } from '../schemas';
import { router, staffProcedure } from '../trpc';
import { toMs } from '../schemas';
import { auditActor } from '../actor';

const filter = {
  action: z
    .string()
    .trim()
    .regex(/^[a-z_.]{1,40}$/, 'An action is lower-case words with dots, e.g. slot or slot.add.')
    .optional(),
  staffId: id.optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
};

const toFilter = (input: { action?: string; staffId?: number; from?: string; to?: string }) => ({
  action: input.action,
  staffId: input.staffId,
  fromMs: toMs(input.from),
  toMs: toMs(input.to),
});

export const auditRouter = router({
  list: staffProcedure
    .input(
      z
        .object({
          ...filter,
          cursor: id.nullish(),
          limit: z.number().int().min(1, 'Ask for at least 1 row.').max(200, 'Ask for at most 200 rows.').default(50),
        })
        .strict()
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listAudit(ctx.core, toFilter(input), input.cursor ?? undefined, input.limit)),

  csv: staffProcedure
    .input(z.object(filter).strict().default({}))
    .mutation(({ ctx, input }) => exportAuditCsvAudited(ctx.core, auditActor(ctx), input, toFilter(input))),
});
