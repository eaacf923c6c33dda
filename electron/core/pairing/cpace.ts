import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { normalizeFingerprint, normalizePairingCode } from './proof';

/**
 * The pairing's password-authenticated key exchange (docs/pairing.md): CPace over ristretto255
 * (draft-irtf-cfrg-cpace), with @noble/curves for the group and its RFC 9380 hash to the curve.
 * The short code is never sent, and nothing either side sends lets anyone test a guess of it
 * offline: each run of the exchange tests at most one guess, online, where the hub counts it.
 *
 * Both sides derive the generator from the code, the TLS certificate fingerprint each one sees
 * (the channel: a man in the middle with another certificate derives another generator, so its
 * keys never match) and the satellite's fresh session id. Each picks a secret scalar and sends
 * its share; the shared point gives the intermediate session key (ISK), and each proves it holds
 * it with a MAC over the transcript: the hub first (the satellite sends nothing more to a hub
 * that cannot prove the code), then the satellite (the hub registers it only then).
 */
const DSI = 'kiosk-pair-v2/CPace-ristretto255';
const { Point } = ristretto255;
const ORDER = Point.Fn.ORDER;

export interface CpaceSide {
  /** This side's share, 32 bytes of ristretto255, hex. */
  share: string;
  /** The key both reach from the other's share, or null when that share is not a valid point or makes the identity. */
  agree(otherShare: string, transcript: { satelliteShare: string; hubShare: string }): Buffer | null;
}

/** One side of one exchange: `code` as typed or stored, `fingerprint` the certificate this side sees, `sessionId` the satellite's nonce. */
export function cpaceSide(code: string, fingerprint: string, sessionId: string): CpaceSide {
  const generator = ristretto255_hasher.hashToCurve(lengthPrefixed([normalizePairingCode(code), normalizeFingerprint(fingerprint), sessionId]), {
    DST: DSI,
  });
  // 64 random bytes reduced mod the group order: a uniform scalar (never zero in practice; checked).
  let scalar = 0n;
  while (scalar === 0n) scalar = BigInt(`0x${randomBytes(64).toString('hex')}`) % ORDER;
  const share = Buffer.from(generator.multiply(scalar).toBytes()).toString('hex');
  return {
    share,
    agree(otherShare, transcript) {
      let other;
      try {
        other = Point.fromHex(otherShare);
      } catch {
        return null;
      }
      if (other.is0()) return null;
      const shared = other.multiply(scalar);
      if (shared.is0()) return null;
      return createHash('sha512')
        .update(lengthPrefixed([`${DSI}/ISK`, sessionId, Buffer.from(shared.toBytes()).toString('hex'), transcript.satelliteShare, transcript.hubShare]))
        .digest();
    },
  };
}

/** A side's proof that it holds the session key: `role` is who proves, over both shares. */
export const cpaceConfirm = (isk: Buffer, role: 'hub' | 'satellite', transcript: { satelliteShare: string; hubShare: string }): string =>
  createHmac('sha256', isk)
    .update(lengthPrefixed([`${DSI}/confirm/${role}`, transcript.satelliteShare, transcript.hubShare]))
    .digest('hex');

/** The hub's MAC over the credential it grants, under the session key (the satellite checks it before storing anything). */
export const grantConfirm = (isk: Buffer, satelliteId: string, credential: string): string =>
  createHmac('sha256', isk)
    .update(lengthPrefixed([`${DSI}/grant`, satelliteId, credential]))
    .digest('hex');

/** Constant-time comparison of two hex MACs of 32 bytes. */
export function sameMac(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

/** Each part with its length first, so no two different lists hash alike. */
function lengthPrefixed(parts: string[]): Uint8Array {
  const chunks = parts.flatMap((part) => {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return [length, bytes];
  });
  return new Uint8Array(Buffer.concat(chunks));
}
