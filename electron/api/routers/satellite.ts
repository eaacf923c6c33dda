import { z } from 'zod';
import { hubIdentity } from '../../core/pairing/hub-identity';
import { shortFingerprint } from '../../core/pairing/proof';
import { createPairingCode, finishPairing, listSatellites, revokeSatellite, startPairing } from '../../core/pairing/satellites';
import { ownerProcedure, publicProcedure, router, satelliteProcedure, staffProcedure } from '../trpc';
import { auditActor } from '../actor';

const satelliteName = z.string({ error: 'Give the kiosk a name.' }).trim().min(1, 'Give the kiosk a name.').max(40, 'Keep the name under 40 characters.');

const pairingNonce = z.string().regex(/^[A-Za-z0-9_-]{22,86}$/, 'The nonce is 16 to 64 random bytes, base64url.');

/** Pairing satellites with this hub and managing them (issue 14, docs/pairing.md). */
export const satelliteRouter = router({
  /**
   * Pairing, round one: a satellite starts a CPace exchange (docs/pairing.md) with a fresh
   * session id and its share; the hub answers one offer per live code. The code never travels
   * and no answer lets anyone test a guess offline. Each start counts as a try (throttled per
   * network client; enough of them burn the live codes).
   */
  pairStart: publicProcedure
    .input(
      z
        .object({
          name: satelliteName,
          nonce: pairingNonce,
          share: z.string().regex(/^[0-9a-f]{64}$/, 'The share is a ristretto255 point: 32 bytes in lower-case hex.'),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => startPairing(ctx.core, input, { clientKey: ctx.clientKey, origin: ctx.origin })),

  /** Round two: the satellite proves the code for the offer whose proof held; the hub registers it and grants its credential. */
  pair: publicProcedure
    .input(
      z
        .object({
          nonce: pairingNonce,
          offer: z.number().int().min(0).max(63),
          confirm: z.string().regex(/^[0-9a-f]{64}$/, 'The confirmation is a SHA-256 HMAC in lower-case hex.'),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => finishPairing(ctx.core, input, { clientKey: ctx.clientKey, origin: ctx.origin })),

  /** What a satellite types and compares: this hub's fingerprint (full and short) and addresses; tls false when it serves none. */
  hubInfo: staffProcedure.query(({ ctx }) => {
    const hub = hubIdentity(ctx.core);
    return hub
      ? { tls: true as const, fingerprint: hub.fingerprint, shortFingerprint: shortFingerprint(hub.fingerprint), addresses: hub.addresses }
      : { tls: false as const, fingerprint: null, shortFingerprint: null, addresses: [] as string[] };
  }),

  /** "Add a kiosk": a one-time code (8 characters, 10 minutes, single use) with the hub's fingerprint. */
  createCode: ownerProcedure.mutation(({ ctx }) => createPairingCode(ctx.core, auditActor(ctx))),

  /** Every paired satellite with its state, last contact, journal backlog and leased slots. */
  list: staffProcedure.query(({ ctx }) => listSatellites(ctx.core)),

  /** Ends a satellite's pairing: its next request is UNAUTHORIZED. */
  revoke: ownerProcedure
    .input(z.object({ id: z.uuid({ error: 'Pick a kiosk from the list.' }) }).strict())
    .mutation(({ ctx, input }) => revokeSatellite(ctx.core, input.id, auditActor(ctx))),

  /** A satellite checks its credential (after pairing, and to learn it was revoked). */
  whoami: satelliteProcedure.query(({ ctx }) => ctx.satellite),
});
