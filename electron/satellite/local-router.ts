import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { reference, testClockAdvance, vehicleNumber } from '../api/schemas';
import type { AdjustableClock, Clock } from '../core/shared/clock';
import { DomainError } from '../core/shared/errors';
import type { Journal, JournalBooking } from './journal';
import type { SatelliteLink } from './link';

/**
 * What a satellite answers itself (issue 14): always `link.status`; while the hub is out of
 * reach, the lot map (its leased slots available, every other slot `NOT_AT_THIS_KIOSK`) and
 * booking, find, cancel and renew of its own journal bookings, with the same procedure names
 * as the hub's router. Anything else needs the hub: SERVICE_UNAVAILABLE, HUB_UNREACHABLE.
 */
export interface SatelliteContext {
  journal: Journal;
  link: SatelliteLink;
  clock: Clock;
  testClock: AdjustableClock | undefined;
  token: string | undefined;
  tokenSecret: Buffer;
}

const t = initTRPC.context<SatelliteContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    return error.cause instanceof DomainError && error.cause.reason ? { ...shape, data: { ...shape.data, reason: error.cause.reason } } : shape;
  },
});

const domain = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});
const procedure = t.procedure.use(domain);

/** The access token of a journal booking: an HMAC of its global id under this satellite's secret. */
export const journalToken = (secret: Buffer, globalId: string) => `sb_${globalId}.${createHmac('sha256', secret).update(globalId).digest('base64url')}`;

function assertHolds(ctx: SatelliteContext, globalId: string): void {
  const want = Buffer.from(journalToken(ctx.tokenSecret, globalId));
  const got = Buffer.from(ctx.token ?? '');
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Open this booking from the kiosk that made it, or use "Find my booking" with its reference and vehicle number.',
    });
  }
}

export const newTokenSecret = () => randomBytes(32);

const withToken = (ctx: SatelliteContext, booking: JournalBooking) => ({
  ...booking,
  id: booking.globalId,
  accessToken: journalToken(ctx.tokenSecret, booking.globalId),
});
const byGlobalId = z.object({ id: z.uuid() }).strict();

/** The slot map while the hub is out of reach: the last map the hub gave, availability from the leases and the journal. */
export function offlineSlots(ctx: SatelliteContext) {
  const now = ctx.clock.now();
  const leases = new Map(ctx.journal.liveLeases(now).map((lease) => [lease.slotId, lease]));
  const booked = ctx.journal.activeSlotIds(now);
  const known = JSON.parse(ctx.journal.meta('slotMap') ?? '[]') as { id: number; label: string }[];
  const ids = new Set([...known.map((slot) => slot.id), ...leases.keys()]);
  return [...ids]
    .sort((a, b) => a - b)
    .map((id) => {
      const slot = known.find((s) => s.id === id);
      const lease = leases.get(id);
      const available = lease !== undefined && !booked.has(id);
      return {
        ...slot,
        id,
        label: slot?.label ?? lease?.label ?? String(id),
        ...(lease ? { bookingPrice: lease.price } : {}),
        available,
        occupied: booked.has(id),
        // A typed reason for the screen to translate, never English text.
        unavailableReason: available
          ? null
          : booked.has(id)
            ? ('SLOT_TAKEN' as const)
            : leases.size === 0
              ? ('KIOSK_OUT_OF_SERVICE' as const)
              : ('NOT_AT_THIS_KIOSK' as const),
      };
    });
}

export const satelliteRouter = t.router({
  link: t.router({ status: procedure.query(({ ctx }) => ctx.link.status()) }),
  slot: t.router({
    list: procedure.input(z.unknown()).query(({ ctx }) => offlineSlots(ctx)),
    watch: procedure.input(z.unknown()).subscription(async function* ({ ctx, signal }) {
      while (!signal?.aborted) {
        yield offlineSlots(ctx);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }),
  }),
  booking: t.router({
    create: procedure
      .input(z.object({ slotId: z.number().int().positive(), vehicleNumber, bookingType: z.literal('instant').default('instant') }).passthrough())
      .mutation(({ ctx, input }) => withToken(ctx, ctx.journal.sell({ slotId: input.slotId, vehicleNumber: input.vehicleNumber }, ctx.clock.now()))),
    find: procedure.input(z.object({ reference, vehicleNumber }).strict()).mutation(({ ctx, input }) => {
      const found = ctx.journal.find(input.reference, input.vehicleNumber, ctx.clock.now());
      if (!found)
        throw new DomainError(
          'NOT_FOUND',
          'No booking made at this kiosk matches that reference and vehicle number. Other bookings can be found once the kiosk is back on line.',
        );
      return withToken(ctx, found);
    }),
    get: procedure.input(byGlobalId).query(({ ctx, input }) => {
      assertHolds(ctx, input.id);
      return withToken(ctx, ctx.journal.get(input.id, ctx.clock.now()));
    }),
    cancel: procedure.input(byGlobalId.extend({ reason: z.string().max(200).optional() })).mutation(({ ctx, input }) => {
      assertHolds(ctx, input.id);
      return withToken(ctx, ctx.journal.cancel(input.id, ctx.clock.now()));
    }),
    renew: procedure.input(byGlobalId).mutation(({ ctx, input }) => {
      assertHolds(ctx, input.id);
      const renewed = ctx.journal.renew(input.id, ctx.clock.now());
      return { oldBookingId: input.id, newBooking: withToken(ctx, renewed), accessToken: journalToken(ctx.tokenSecret, renewed.globalId) };
    }),
  }),
  clock: t.router({
    now: procedure.query(({ ctx }) => ({ now: new Date(ctx.clock.now()).toISOString() })),
    advance: procedure.input(testClockAdvance).mutation(({ ctx, input }) => {
      if (!ctx.testClock) throw new TRPCError({ code: 'NOT_FOUND', message: 'This kiosk has no test clock.' });
      ctx.testClock.advance(input.ms);
      return { now: new Date(ctx.clock.now()).toISOString() };
    }),
  }),
});
export type SatelliteRouter = typeof satelliteRouter;

/** Procedures the satellite answers itself even while on line. */
export const ALWAYS_LOCAL = new Set(['link.status', 'clock.now', 'clock.advance']);
/** What the satellite can answer from its journal while the hub is out of reach. */
export const OFFLINE_CAPABLE = new Set([
  'link.status',
  'clock.now',
  'clock.advance',
  'slot.list',
  'slot.watch',
  'booking.create',
  'booking.find',
  'booking.get',
  'booking.cancel',
  'booking.renew',
]);
