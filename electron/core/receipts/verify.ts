/**
 * Checking a receipt offline, in the main process: any text in, a typed verdict out; never
 * throws. The order of checks decides the reason a person sees:
 *   MALFORMED      not receipt text at all (no "PK1:", characters outside Base45)
 *   WRONG_VERSION  a receipt format this kiosk does not know (PK2:, envelope version 2)
 *   CORRUPT        receipt text whose bytes are damaged: zlib checksum, CBOR, shape, truncation
 *   UNKNOWN_KEY    well formed, but signed by a key this lot does not know (another lot, a forgery)
 *   BAD_SIGNATURE  a known key, but the content is not what it signed: altered
 */
import { verify } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { CBOR_ENVELOPE_FIRST_BYTE, decodeEnvelope, textToBody, toBase64url, toBeSigned, ZLIB_FIRST_BYTE, type ReceiptParseFailure } from './codec';
import type { TrustedKey } from './keys';
import { decodePayload, type ReceiptPayload } from './payload';

export type ReceiptInvalidReason = ReceiptParseFailure | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';

export type ReceiptVerdict =
  | {
      valid: true;
      payload: ReceiptPayload;
      keyId: string;
      /** The key's label (the lot's name when it was made) and whether it is this lot's own key. */
      issuer: { label: string; own: boolean };
      issuedAtMs: number;
    }
  | { valid: false; reason: ReceiptInvalidReason; detail: string; keyId?: string };

/** Inflated envelopes are small; anything larger is not a receipt (and not a zip bomb either). */
const MAX_ENVELOPE_BYTES = 2048;

export function verifyReceipt(text: unknown, keys: ReadonlyMap<string, TrustedKey>): ReceiptVerdict {
  try {
    return check(text, keys);
  } catch (error) {
    // A bug must not become a crash or a "valid": report it as unreadable.
    return { valid: false, reason: 'CORRUPT', detail: `unexpected: ${(error as Error).message}` };
  }
}

function check(text: unknown, keys: ReadonlyMap<string, TrustedKey>): ReceiptVerdict {
  if (typeof text !== 'string') return { valid: false, reason: 'MALFORMED', detail: 'not text' };
  const body = textToBody(text);
  if (!body.ok) return { valid: false, reason: body.reason, detail: body.detail };
  let envelopeBytes = body.value;
  if (envelopeBytes[0] === ZLIB_FIRST_BYTE) {
    try {
      envelopeBytes = new Uint8Array(inflateSync(envelopeBytes, { maxOutputLength: MAX_ENVELOPE_BYTES }));
    } catch (error) {
      return { valid: false, reason: 'CORRUPT', detail: `compressed data is damaged (${(error as NodeJS.ErrnoException).code ?? 'zlib'})` };
    }
  } else if (envelopeBytes[0] !== CBOR_ENVELOPE_FIRST_BYTE) {
    return { valid: false, reason: 'CORRUPT', detail: 'receipt bytes start wrongly' };
  }
  const envelope = decodeEnvelope(envelopeBytes);
  if (!envelope.ok) return { valid: false, reason: envelope.reason, detail: envelope.detail };
  const { version, keyId, payload, signature } = envelope.value;
  const keyIdText = toBase64url(keyId);
  const key = keys.get(keyIdText);
  if (!key) return { valid: false, reason: 'UNKNOWN_KEY', detail: 'signed by a key this lot does not know', keyId: keyIdText };
  if (!verify(null, toBeSigned(version, keyId, payload), key.publicKey, signature)) {
    return { valid: false, reason: 'BAD_SIGNATURE', detail: 'the content is not what the key signed', keyId: keyIdText };
  }
  let decoded: ReceiptPayload;
  try {
    decoded = decodePayload(payload);
  } catch (error) {
    // Signed by a key we trust, yet not a receipt we understand: never call it valid.
    return { valid: false, reason: 'CORRUPT', detail: (error as Error).message, keyId: keyIdText };
  }
  return {
    valid: true,
    payload: decoded,
    keyId: keyIdText,
    issuer: { label: key.label, own: key.own },
    issuedAtMs: decoded.issuedAtMs,
  };
}
