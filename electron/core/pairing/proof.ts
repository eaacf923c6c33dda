import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The pairing proofs (docs/pairing.md). The code never crosses the network: the satellite
 * sends an HMAC keyed by the code over the certificate fingerprint it saw and a fresh nonce;
 * the hub recomputes it over its OWN fingerprint. A man in the middle presents another
 * certificate, so the satellite's proof names the wrong fingerprint and the hub refuses it.
 * The hub answers with a proof of its own (same code, bound to the credential it issues), so
 * the satellite knows it reached the hub whose console showed the code.
 */
const SATELLITE_LABEL = 'kiosk-pair-v1/satellite';
const HUB_LABEL = 'kiosk-pair-v1/hub';

/** Upper-case, no spaces or dashes: what the person typed, as the hub stored it. */
export const normalizePairingCode = (code: string): string => code.toUpperCase().replace(/[\s-]+/g, '');

/** `AB:CD:…` upper-case hex, the form Node gives in `cert.fingerprint256`. */
export const normalizeFingerprint = (fingerprint: string): string => fingerprint.trim().toUpperCase();

const hmac = (code: string, parts: string[]): string => createHmac('sha256', normalizePairingCode(code)).update(parts.join('\n')).digest('hex');

export const satelliteProof = (code: string, fingerprint: string, nonce: string): string =>
  hmac(code, [SATELLITE_LABEL, normalizeFingerprint(fingerprint), nonce]);

export const hubProof = (code: string, fingerprint: string, nonce: string, satelliteId: string, credential: string): string =>
  hmac(code, [HUB_LABEL, normalizeFingerprint(fingerprint), nonce, satelliteId, credential]);

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

/** The first 16 hex digits in groups of four: enough for a person to compare two screens. */
export function shortFingerprint(fingerprint: string): string {
  const hex = normalizeFingerprint(fingerprint).replace(/:/g, '').slice(0, 16);
  return hex.match(/.{1,4}/g)?.join(' ') ?? hex;
}
