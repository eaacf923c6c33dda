import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { reference, testClockAdvance, vehicleNumber } from '../api/schemas';
import type { AdjustableClock, Clock } from '../core/shared/clock';
import { DomainError } from '../core/shared/errors';
import { plateReading } from '../core/bookings/plate-check';
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

/** The global id a genuine journal token names, or null (not one, or not made by this kiosk). */
export function journalTokenBooking(secret: Buffer, token: string): string | null {
  const match = /^sb_([0-9a-f-]{36})\./.exec(token);
  if (!match) return null;
  const want = Buffer.from(journalToken(secret, match[1]!));
  const got = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want) ? match[1]! : null;
}

function assertHolds(ctx: SatelliteContext, globalId: string): void {
  if (journalTokenBooking(ctx.tokenSecret, ctx.token ?? '') !== globalId) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Open this booking from the kiosk that made it, or use "Find my booking" with its reference and vehicle number.',
    });
  }
}

export const newTokenSecret = () => randomBytes(32);

/** A hold the screen keeps while the hub is out of reach: `hd_` + the slot + random, as long as a hub hold token. */
const localHoldToken = z.string().regex(/^hd_[A-Za-z0-9_-]{32}$/, 'That is not a slot hold token.');
const HOLD_MS = 5 * 60_000;
function localHold(ctx: SatelliteContext, slotId: number, token?: string) {
  const holdToken = token ?? `hd_${String(slotId).padStart(8, '0')}${randomBytes(18).toString('base64url')}`;
  return { holdToken, slotId, expiresAt: new Date(ctx.clock.now() + HOLD_MS).toISOString() };
}
const holdSlot = (token: string) => Number(token.slice(3, 11)) || 0;

/**
 * A journal booking in the shape the kiosk's screens know (the hub's BookingView), its id the
 * global id: what a sale on a lease can have (no add-ons, no tariff lines, no renewal links),
 * the rest from the slot map the hub gave last.
 */
const withToken = (ctx: SatelliteContext, booking: JournalBooking) => {
  const now = ctx.clock.now();
  const endMs = Date.parse(booking.endTime);
  const slot = (JSON.parse(ctx.journal.meta('slotMap') ?? '[]') as { id: number; lotId?: number; vehicleType?: string }[]).find(
    (known) => known.id === booking.slotId,
  );
  return {
    ...booking,
    id: booking.globalId,
    lotId: slot?.lotId ?? 1,
    slotLabel: booking.label,
    vehicleType: slot?.vehicleType ?? 'car',
    bookingType: 'instant' as const,
    remainingSeconds: booking.status === 'booked' ? Math.max(0, Math.ceil((endMs - now) / 1000)) : 0,
    isExpired: booking.status !== 'booked' || endMs <= now,
    addOns: [],
    totalPrice: booking.price,
    renewedFromId: null,
    renewedToId: null,
    createdAt: booking.startTime,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    tariffVersion: null,
    breakdown: [],
    graceEndsAt: null,
    maxStayEndsAt: null,
    plateCorrectableUntil: null,
    serverTime: new Date(now).toISOString(),
    accessToken: journalToken(ctx.tokenSecret, booking.globalId),
  };
};
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

/** How often an off-line screen's lot feed pings (the hub's is 10 s; a journal changes only by this kiosk). */
const OFFLINE_PING_MS = 5_000;

export const satelliteRouter = t.router({
  link: t.router({ status: procedure.query(({ ctx }) => ctx.link.status()) }),
  lot: t.router({
    // The hub's lot list as of the last contact: the screen keeps its name, zone and currency.
    list: procedure.query(({ ctx }) => JSON.parse(ctx.journal.meta('lots') ?? '[]') as unknown[]),
    changes: procedure.input(z.unknown()).subscription(async function* ({ ctx, signal }) {
      while (!signal?.aborted) {
        yield { serverTime: new Date(ctx.clock.now()).toISOString(), changed: false };
        await new Promise((resolve) => setTimeout(resolve, OFFLINE_PING_MS));
      }
    }),
  }),
  slot: t.router({
    list: procedure.input(z.unknown()).query(({ ctx }) => offlineSlots(ctx)),
    // One screen sells this kiosk's leases, so nobody else can be choosing them: a hold is the
    // screen's own bookkeeping (it still says whether the slot can be sold here now).
    hold: procedure.input(z.object({ slotId: z.number().int().positive() }).strict()).mutation(({ ctx, input }) => {
      const slot = offlineSlots(ctx).find((candidate) => candidate.id === input.slotId);
      if (!slot?.available) {
        throw new DomainError(
          'CONFLICT',
          'That slot cannot be booked at this kiosk right now. Please choose a slot shown as free.',
          slot?.unavailableReason ?? 'NOT_AT_THIS_KIOSK',
        );
      }
      return localHold(ctx, input.slotId);
    }),
    renewHold: procedure
      .input(z.object({ holdToken: localHoldToken }).strict())
      .mutation(({ ctx, input }) => localHold(ctx, holdSlot(input.holdToken), input.holdToken)),
    releaseHold: procedure.input(z.object({ holdToken: localHoldToken }).strict()).mutation(() => ({ released: true })),
    watch: procedure.input(z.unknown()).subscription(async function* ({ ctx, signal }) {
      while (!signal?.aborted) {
        yield offlineSlots(ctx);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }),
  }),
  booking: t.router({
    plateCheck: procedure.input(z.object({ vehicleNumber, lotId: z.number().int().positive().optional() }).strict()).query(({ input }) =>
      // The reading and the pattern hint need no history; recent plates are the hub's.
      plateReading(input.vehicleNumber),
    ),
    // Off line a leased slot sells one stay: the one its lease priced.
    durations: procedure.input(z.object({ slotId: z.number().int().positive() }).passthrough()).query(({ ctx, input }) => {
      const now = ctx.clock.now();
      const lease = ctx.journal.liveLeases(now).find((held) => held.slotId === input.slotId);
      if (!lease) throw new DomainError('CONFLICT', 'That slot cannot be booked at this kiosk right now.', 'NOT_AT_THIS_KIOSK');
      const option = { minutes: lease.stayMinutes, endTime: new Date(now + lease.stayMinutes * 60_000).toISOString(), price: lease.price };
      return { currency: lease.currency, tariffVersion: null, defaultMinutes: lease.stayMinutes, options: [option] };
    }),
    extendOptions: procedure.input(byGlobalId).query(({ ctx, input }) => {
      assertHolds(ctx, input.id);
      // Extending needs the hub (the slot's next booking is known there only): a typed answer, so
      // the screen says so if asked and does not take it for a lost connection.
      throw new DomainError('SERVICE_UNAVAILABLE', 'Extending needs the lot’s main kiosk, which cannot be reached right now.', 'HUB_UNREACHABLE');
    }),
    watch: procedure.input(byGlobalId).subscription(async function* ({ ctx, input, signal }) {
      assertHolds(ctx, input.id);
      while (!signal?.aborted) {
        yield withToken(ctx, ctx.journal.get(input.id, ctx.clock.now()));
        await new Promise((resolve) => setTimeout(resolve, OFFLINE_PING_MS));
      }
    }),
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
  // Printing and receipts are the hub's: off line the screen shows the reference and its code.
  printer: t.router({ available: procedure.query(() => ({ configured: false })) }),
  receipt: t.router({
    get: procedure.input(z.unknown()).query(() => {
      throw new DomainError('NOT_FOUND', 'The receipt is made once the main kiosk has this booking.');
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
/** What the satellite can answer from its journal while the hub is out of reach: every procedure of its own router. */
export const OFFLINE_CAPABLE: ReadonlySet<string> = new Set(Object.keys(satelliteRouter._def.procedures));
