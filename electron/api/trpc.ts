import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { DomainError } from '../core/shared/errors';
import { noteStorageFault } from '../core/backup/storage-faults';
import { verifySatelliteCredential } from '../core/pairing/satellites';
import type { ApiContext } from './context';

const t = initTRPC.context<ApiContext>().create({
  // Stack traces stay on the server: a kiosk user or a network peer gets the message only.
  isDev: process.env.KIOSK_DEBUG === '1',
  errorFormatter({ shape, error }) {
    if (error.cause instanceof ZodError) {
      const message = error.cause.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
      return { ...shape, message, data: { ...shape.data, issues: error.cause.issues } };
    }
    if (error.cause instanceof DomainError && error.cause.reason) {
      return { ...shape, data: { ...shape.data, reason: error.cause.reason } };
    }
    return shape;
  },
  sse: {
    ping: { enabled: true, intervalMs: 5_000 },
    client: { reconnectAfterInactivityMs: 15_000 },
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The tRPC error a failure of the core stands for: a DomainError keeps its code and message;
 * disk full, a read-only file or an I/O error says so plainly instead of a bare server error.
 * Undefined when the failure is none of these (a bug: tRPC reports it as a server error).
 */
export function coreFailureAsTrpcError(core: ApiContext['core'], cause: unknown): TRPCError | undefined {
  if (cause instanceof DomainError) return new TRPCError({ code: cause.code, message: cause.message, cause });
  const fault = noteStorageFault(core, cause);
  return fault ? new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: fault.message, cause }) : undefined;
}

/** Turns the core's DomainError (and storage faults) into the matching tRPC error. */
const domainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = coreFailureAsTrpcError(ctx.core, result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const staffProcedure = publicProcedure.use(({ ctx, next }) => {
  const { actor } = ctx;
  if (actor.kind === 'staff') return next({ ctx: { ...ctx, actor } });
  if (actor.kind === 'booking') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only lot staff can do that.' });
  throw new TRPCError({
    code: 'UNAUTHORIZED',
    message: actor.presentedToken ? 'Your staff session has ended. Please log in again.' : 'Please log in as staff first.',
  });
});

export const ownerProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.actor.staff.role !== 'owner') throw new TRPCError({ code: 'FORBIDDEN', message: 'Only the lot owner can do that.' });
  return next();
});

/** Requires a paired, unrevoked satellite kiosk (its credential in `x-kiosk-satellite`). */
export const satelliteProcedure = publicProcedure.use(({ ctx, next }) => {
  // Checked again on every call, not only when the context was made: a revoked satellite's
  // next call is refused even on a long-lived connection or caller.
  // A screen's call relayed through a satellite carries its credential, but is not the satellite.
  if (ctx.relayed) throw new TRPCError({ code: 'FORBIDDEN', message: "Only a satellite kiosk's own link may call this." });
  const satellite = ctx.satelliteCredential ? verifySatelliteCredential(ctx.core, ctx.satelliteCredential) : null;
  if (!satellite) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This kiosk is not paired with the hub, or its pairing was revoked.' });
  return next({ ctx: { ...ctx, satellite } });
});

/** Requires either staff or the access token of the booking named by `input.id`. */
export function assertBookingAccess(ctx: ApiContext, bookingId: number): void {
  const { actor } = ctx;
  if (actor.kind === 'staff') return;
  if (actor.kind === 'booking') {
    if (actor.bookingId === bookingId) return;
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This device does not hold that booking. Use "Find my booking" to open it.' });
  }
  throw new TRPCError({
    code: 'UNAUTHORIZED',
    message: 'Open this booking from the kiosk that made it, or use "Find my booking" with its reference and vehicle number.',
  });
}

export const actorName = (ctx: ApiContext): string =>
  ctx.actor.kind === 'staff' ? `staff:${ctx.actor.staff.name}` : ctx.actor.kind === 'booking' ? 'driver' : 'anonymous';
