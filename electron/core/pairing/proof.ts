/*
 * How the pairing code and the hub's fingerprint are written wherever they are compared
 * (the exchange in cpace.ts, the console, the satellite's log).
 */

/** Upper-case, no spaces or dashes: what the person typed, as the hub stored it. */
export const normalizePairingCode = (code: string): string => code.toUpperCase().replace(/[\s-]+/g, '');

/** `AB:CD:…` upper-case hex, the form Node gives in `cert.fingerprint256`. */
export const normalizeFingerprint = (fingerprint: string): string => fingerprint.trim().toUpperCase();

/** The first 16 hex digits in groups of four: enough for a person to compare two screens. */
export function shortFingerprint(fingerprint: string): string {
  const hex = normalizeFingerprint(fingerprint).replace(/:/g, '').slice(0, 16);
  return hex.match(/.{1,4}/g)?.join(' ') ?? hex;
}
