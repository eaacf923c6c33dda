/**
 * The signed receipt's byte layout and text form, without any Node-only import (cborg and
 * Base45 only), so the renderer can decode a receipt later. Signing, verifying and zlib live
 * in the Node-side modules (sign.ts, verify.ts).
 *
 * Text:      "PK1:" + Base45(body)
 * Body:      the envelope's CBOR, or zlib(envelope CBOR) when that is shorter
 *            (told apart by the first byte: 0x84 = CBOR array of 4, 0x78 = zlib header)
 * Envelope:  CBOR [version: uint, keyId: bstr(8), payload: bstr(CBOR map), signature: bstr(64)]
 * Signed:    CBOR ["PK receipt", version, keyId, payload]  (Ed25519, like COSE's Sig_structure:
 *            the context string, version and key id are signed too, so none can be swapped)
 */
import { decode, encode } from 'cborg';
import { Base45Error, decodeBase45, encodeBase45 } from './base45';
import { STRICT_DECODE } from './payload';

export const RECEIPT_FORMAT_VERSION = 1;
export const RECEIPT_TEXT_PREFIX = `PK${RECEIPT_FORMAT_VERSION}:`;
export const KEY_ID_BYTES = 8;
export const SIGNATURE_BYTES = 64;
/** Longest text the verifier reads: a scanner or a paste cannot make it do unbounded work. */
export const MAX_RECEIPT_TEXT = 1200;
const SIGNING_CONTEXT = 'PK receipt';

export const CBOR_ENVELOPE_FIRST_BYTE = 0x84;
export const ZLIB_FIRST_BYTE = 0x78;

export interface ReceiptEnvelope {
  version: number;
  keyId: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** Why a text is not a readable receipt, before any key or signature is looked at. */
export type ReceiptParseFailure = 'MALFORMED' | 'WRONG_VERSION' | 'CORRUPT';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: ReceiptParseFailure; detail: string };

export const toBeSigned = (version: number, keyId: Uint8Array, payload: Uint8Array): Uint8Array => encode([SIGNING_CONTEXT, version, keyId, payload]);

export const encodeEnvelope = (e: ReceiptEnvelope): Uint8Array => encode([e.version, e.keyId, e.payload, e.signature]);

export const bodyToText = (body: Uint8Array): string => RECEIPT_TEXT_PREFIX + encodeBase45(body);

/**
 * The text's body bytes. Scanners and pastes add whitespace and may lower-case; Base45 has a
 * space in its alphabet, so only the ends are trimmed, and case is restored.
 */
export function textToBody(text: string): Parsed<Uint8Array> {
  if (text.length > MAX_RECEIPT_TEXT) return { ok: false, reason: 'MALFORMED', detail: 'text is too long for a receipt' };
  const trimmed = text.trim().toUpperCase();
  const prefix = /^PK(\d{1,3}):/.exec(trimmed);
  if (!prefix) return { ok: false, reason: 'MALFORMED', detail: 'text does not start with PK1:' };
  if (Number(prefix[1]) !== RECEIPT_FORMAT_VERSION) {
    return { ok: false, reason: 'WRONG_VERSION', detail: `receipt format ${prefix[1]} is not supported` };
  }
  try {
    return { ok: true, value: decodeBase45(trimmed.slice(prefix[0].length)) };
  } catch (error) {
    if (error instanceof Base45Error) return { ok: false, reason: 'MALFORMED', detail: error.message };
    throw error;
  }
}

export function decodeEnvelope(bytes: Uint8Array): Parsed<ReceiptEnvelope> {
  const corrupt = (detail: string) => ({ ok: false as const, reason: 'CORRUPT' as const, detail });
  let raw: unknown;
  try {
    raw = decode(bytes, STRICT_DECODE);
  } catch (error) {
    return corrupt(`envelope is not CBOR: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw) || raw.length !== 4) return corrupt('envelope is not a list of four');
  const [version, keyId, payload, signature] = raw as unknown[];
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) return corrupt('version is not a number');
  // The version is read before the rest's shape: a future format may shape the rest differently.
  if (version !== RECEIPT_FORMAT_VERSION) return { ok: false, reason: 'WRONG_VERSION', detail: `envelope version ${version}` };
  if (!(keyId instanceof Uint8Array) || keyId.length !== KEY_ID_BYTES) return corrupt('key id has the wrong size');
  if (!(payload instanceof Uint8Array) || payload.length === 0) return corrupt('payload is missing');
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES) return corrupt('signature has the wrong size');
  return { ok: true, value: { version, keyId, payload, signature } };
}

/** Key ids travel as base64url text in stores and screens. */
export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
