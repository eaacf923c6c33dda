import { z } from 'zod';
import { isTimeZone } from '../../../shared/local-time';
import { createLot } from '../../core/lots/create';
import { getLot, listLots } from '../../core/lots/service';
import { updateLotSettings } from '../../core/slots/lot-settings';
import { auditActor } from '../actor';
import { inLot, liveQuery } from '../live';
import { id, money } from '../schemas';
import { ownerProcedure, publicProcedure, router } from '../trpc';

const HEARTBEAT_MS = 10_000;

// The fields of a lot as the owner types them (lot.create and slotAdmin.setLotSettings).
const lotName = z.string({ error: 'Give the lot a name.' }).trim().min(1, 'Give the lot a name.').max(60, 'Keep the lot name to 60 characters.');

const currencyCode = z
  .string({ error: 'Give the currency as a three-letter code.' })
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'A currency is a three-letter code such as INR.');

/** An IANA zone Intl knows (the core stores its canonical spelling). */
const timeZoneName = z
  .string({ error: 'Give the time zone as a name like Asia/Kolkata.' })
  .trim()
  .min(1, 'Give the time zone as a name like Asia/Kolkata.')
  .max(64, 'That time zone name is too long.')
  .refine(isTimeZone, 'That is not a time zone this kiosk knows. Use a name like Asia/Kolkata or Europe/London.');

const bookingMinutes = z
  .number({ error: 'Give the booking length in minutes.' })
  .int('Minutes are a whole number.')
  .min(5, 'A booking lasts at least 5 minutes.')
  .max(1440, 'A booking lasts at most 24 hours.');

/** How long choosing a slot at the kiosk holds it (issue 13); a hold never lives past 10 minutes in all. */
const slotHoldMinutes = z
  .number({ error: 'Give the slot hold time in minutes.' })
  .int('Minutes are a whole number.')
  .min(1, 'A slot hold lasts at least 1 minute.')
  .max(10, 'A slot hold lasts at most 10 minutes.');

/** Minutes after booking in which the driver may correct the plate once (0 turns it off). */
const plateCorrectionMinutes = z
  .number({ error: 'Give the plate correction window in minutes.' })
  .int('Minutes are a whole number.')
  .min(0, 'The plate correction window is at least 0 minutes (off).')
  .max(60, 'The plate correction window is at most 60 minutes.');

/** Issue 12's grace after a flat-rate stay ends (0 turns it off; a saved tariff's own grace wins). */
const graceMinutes = z
  .number({ error: 'Give the grace period in minutes.' })
  .int('Minutes are a whole number.')
  .min(0, 'The grace period is at least 0 minutes (off).')
  .max(120, 'The grace period is at most 120 minutes.');

export const lotRouter = router({
  list: publicProcedure.query(({ ctx }) => listLots(ctx.core)),
  /** First run without the demo: the owner creates the kiosk's one lot. */
  create: ownerProcedure
    .input(z.object({ name: lotName, currency: currencyCode, timeZone: timeZoneName, bookingMinutes, carWashPrice: money }).strict())
    .mutation(({ ctx, input }) => createLot(ctx.core, auditActor(ctx), input)),
  get: publicProcedure.input(z.object({ lotId: id }).strict()).query(({ ctx, input }) => getLot(ctx.core, input.lotId)),
  /**
   * Pings on every committed change in a lot (and every 10 s), so screens refetch what they
   * show instead of polling.
   */
  changes: publicProcedure.input(z.object({ lotId: id.optional() }).strict().default({})).subscription(async function* ({ ctx, input, signal }) {
    yield* liveQuery(ctx, inLot(input.lotId), HEARTBEAT_MS, signal, (changed) => ({
      serverTime: new Date(ctx.core.clock.now()).toISOString(),
      changed,
    }));
  }),
});

/**
 * The owner's lot settings. On the wire this is `slotAdmin.setLotSettings` (the console's
 * setup screen calls it beside the slot procedures); router.ts mounts it there, so the name stays.
 */
export const lotSettingsProcedures = {
  setLotSettings: ownerProcedure
    .input(
      z
        .object({
          lotId: id,
          name: lotName.optional(),
          currency: currencyCode.optional(),
          timeZone: timeZoneName.optional(),
          bookingMinutes: bookingMinutes.optional(),
          carWashPrice: money.optional(),
          slotHoldMinutes: slotHoldMinutes.optional(),
          plateCorrectionMinutes: plateCorrectionMinutes.optional(),
          graceMinutes: graceMinutes.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      updateLotSettings(ctx.core, auditActor(ctx), input.lotId, {
        name: input.name,
        currency: input.currency,
        timeZone: input.timeZone,
        bookingMinutes: input.bookingMinutes,
        carWashPrice: input.carWashPrice,
        slotHoldMinutes: input.slotHoldMinutes,
        plateCorrectionMinutes: input.plateCorrectionMinutes,
        graceMinutes: input.graceMinutes,
      }),
    ),
};
