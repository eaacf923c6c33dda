/** Issuing a receipt: payload → CBOR → Ed25519 signature → envelope → (zlib) → "PK1:" + Base45. */
import { sign } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { bodyToText, encodeEnvelope, RECEIPT_FORMAT_VERSION, toBeSigned } from './codec';
import type { SigningKey } from './keys';
import { encodePayload, type ReceiptPayload } from './payload';

export interface IssueOptions {
  /** 'auto' (default) compresses only when that makes the text shorter. */
  compress?: 'auto' | 'never' | 'always';
}

export function issueReceipt(payload: ReceiptPayload, key: SigningKey, options: IssueOptions = {}): string {
  const payloadBytes = encodePayload(payload);
  const version = RECEIPT_FORMAT_VERSION;
  // Ed25519 takes no separate digest: the algorithm argument is null.
  const signature = new Uint8Array(sign(null, toBeSigned(version, key.keyId, payloadBytes), key.privateKey));
  const envelope = encodeEnvelope({ version, keyId: key.keyId, payload: payloadBytes, signature });
  const mode = options.compress ?? 'auto';
  if (mode === 'never') return bodyToText(envelope);
  const deflated = new Uint8Array(deflateSync(envelope, { level: 9 }));
  return bodyToText(mode === 'always' || deflated.length < envelope.length ? deflated : envelope);
}
