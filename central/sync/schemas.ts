import { z } from 'zod';

/** Largest batch a lot may push at once (the worker sends at most this many). */
export const MAX_BATCH = 1000;

export const lotIdSchema = z.string().uuid();

/** One outbox row on the wire (docs/central.md, "Event format"). */
export const wireEvent = z.object({
  seq: z.number().int().positive(),
  eventId: z.string().uuid(),
  kind: z.string().min(1).max(64),
  entity: z.string().min(1).max(128),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.number().int(),
});
export type WireEvent = z.infer<typeof wireEvent>;

export const pushInput = z.object({
  lotId: lotIdSchema,
  events: z.array(wireEvent).max(MAX_BATCH),
  /** What the lot still holds unsent after this batch, for the operator's console. */
  backlog: z.number().int().nonnegative().optional(),
  oldestUnsentAt: z.number().int().nullable().optional(),
});
export type PushInput = z.infer<typeof pushInput>;

export const pullInput = z.object({ lotId: lotIdSchema, sinceVersion: z.number().int().nonnegative() });
export const ackInput = z.object({ lotId: lotIdSchema, version: z.number().int().nonnegative() });

/** A lot restored from an older backup asks for its bookings still running at its `nowMs`. */
export const runningInput = z.object({ lotId: lotIdSchema, nowMs: z.number().int().nonnegative() });
