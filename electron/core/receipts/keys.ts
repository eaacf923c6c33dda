/**
 * The lot's receipt signing keys (Ed25519, node:crypto; no network needed).
 *
 * A key pair is made on first use and kept by a ReceiptKeyStore. Keys are never overwritten:
 * a rotation adds a new key and keeps the old public key, so receipts printed before still
 * verify. Where the store lives (a table, a file under the data dir) is the integrator's
 * choice; both implementations here follow the same interface.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KEY_ID_BYTES, fromBase64url, toBase64url } from './codec';

export interface StoredReceiptKey {
  /** base64url of the first 8 bytes of SHA-256 over the raw 32-byte public key. */
  keyId: string;
  /** base64url of the raw 32-byte Ed25519 public key. */
  publicKey: string;
  /** PKCS#8 PEM; absent for keys only trusted for verification (e.g. imported from another lot). */
  privateKeyPem?: string;
  /** Who the key speaks for, shown on a verified receipt: "issued by <label>". */
  label: string;
  createdAtMs: number;
  /** Set when a newer key took over signing; the key still verifies. */
  retiredAtMs?: number;
}

export interface ReceiptKeyStore {
  /** Every key known, oldest first. */
  list(): StoredReceiptKey[];
  /** Adds a key, or retires one (same keyId, only retiredAtMs may change). */
  put(key: StoredReceiptKey): void;
}

export interface SigningKey {
  keyId: Uint8Array;
  keyIdText: string;
  privateKey: KeyObject;
  label: string;
}

export interface TrustedKey {
  keyIdText: string;
  publicKey: KeyObject;
  label: string;
  createdAtMs: number;
  retiredAtMs?: number;
  /** True for a key this lot signs (or signed) with; false for one imported to verify others. */
  own: boolean;
}

export class ReceiptKeyError extends Error {}

const RAW_PUBLIC_KEY_BYTES = 32;

export function rawPublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new ReceiptKeyError('not an Ed25519 public key');
  return fromBase64url(jwk.x);
}

export function keyIdOf(raw: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(raw).digest().subarray(0, KEY_ID_BYTES));
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== RAW_PUBLIC_KEY_BYTES) throw new ReceiptKeyError('an Ed25519 public key has 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: toBase64url(raw) }, format: 'jwk' });
}

export function generateReceiptKey(label: string, nowMs: number): StoredReceiptKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    keyId: toBase64url(keyIdOf(raw)),
    publicKey: toBase64url(raw),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    label,
    createdAtMs: nowMs,
  };
}

const signer = (stored: StoredReceiptKey): SigningKey => {
  if (!stored.privateKeyPem) throw new ReceiptKeyError(`key ${stored.keyId} cannot sign`);
  const privateKey = createPrivateKey(stored.privateKeyPem);
  // A stored pair whose halves do not match would sign receipts nobody can verify.
  const raw = rawPublicKey(createPublicKey(privateKey));
  if (toBase64url(raw) !== stored.publicKey || toBase64url(keyIdOf(raw)) !== stored.keyId) {
    throw new ReceiptKeyError(`key ${stored.keyId} does not match its private key`);
  }
  return { keyId: fromBase64url(stored.keyId), keyIdText: stored.keyId, privateKey, label: stored.label };
};

const currentSigner = (keys: StoredReceiptKey[]) => [...keys].reverse().find((k) => k.privateKeyPem && k.retiredAtMs === undefined);

/** The key that signs now; made (and stored) on first use. */
export function ensureSigningKey(store: ReceiptKeyStore, label: string, nowMs: number): SigningKey {
  const current = currentSigner(store.list());
  if (current) return signer(current);
  const fresh = generateReceiptKey(label, nowMs);
  store.put(fresh);
  return signer(fresh);
}

/** Retires the signing key (it keeps verifying) and makes a new one. */
export function rotateSigningKey(store: ReceiptKeyStore, label: string, nowMs: number): SigningKey {
  const current = currentSigner(store.list());
  if (current) store.put({ ...current, retiredAtMs: nowMs });
  const fresh = generateReceiptKey(label, nowMs);
  store.put(fresh);
  return signer(fresh);
}

/** Every key a receipt may be signed with, by key id. */
export function trustedKeys(store: ReceiptKeyStore): Map<string, TrustedKey> {
  const byId = new Map<string, TrustedKey>();
  for (const k of store.list()) {
    byId.set(k.keyId, {
      keyIdText: k.keyId,
      publicKey: publicKeyFromRaw(fromBase64url(k.publicKey)),
      label: k.label,
      createdAtMs: k.createdAtMs,
      ...(k.retiredAtMs === undefined ? {} : { retiredAtMs: k.retiredAtMs }),
      own: k.privateKeyPem !== undefined,
    });
  }
  return byId;
}

export interface ExportedPublicKey {
  keyId: string;
  label: string;
  /** SPKI PEM, for any tool (openssl pkey -pubin …). */
  pem: string;
  /** "PKK1:<keyId>.<raw key, base64url>": short enough to type or put in a QR code. */
  compact: string;
}

const COMPACT_PREFIX = 'PKK1:';

export function exportPublicKey(stored: StoredReceiptKey): ExportedPublicKey {
  const publicKey = publicKeyFromRaw(fromBase64url(stored.publicKey));
  return {
    keyId: stored.keyId,
    label: stored.label,
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    compact: `${COMPACT_PREFIX}${stored.keyId}.${stored.publicKey}`,
  };
}

/**
 * A public key from its compact or PEM form, checked (the key id in a compact form must be
 * the key's own), ready to be put into a store as a verify-only key.
 */
export function importPublicKey(text: string, label: string, nowMs: number): StoredReceiptKey {
  const trimmed = text.trim();
  let raw: Uint8Array;
  if (trimmed.startsWith(COMPACT_PREFIX)) {
    const [keyId, key] = trimmed.slice(COMPACT_PREFIX.length).split('.');
    if (!keyId || !key) throw new ReceiptKeyError('a compact key is PKK1:<key id>.<key>');
    raw = fromBase64url(key);
    if (toBase64url(keyIdOf(raw)) !== keyId) throw new ReceiptKeyError('the key id does not belong to this key');
  } else {
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(trimmed);
    } catch {
      throw new ReceiptKeyError('not a PEM public key');
    }
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new ReceiptKeyError('not an Ed25519 public key');
    raw = rawPublicKey(publicKey);
  }
  publicKeyFromRaw(raw);
  return { keyId: toBase64url(keyIdOf(raw)), publicKey: toBase64url(raw), label, createdAtMs: nowMs };
}

/** For tests and for a kiosk that has no place to keep keys yet. */
export class MemoryReceiptKeyStore implements ReceiptKeyStore {
  private readonly keys: StoredReceiptKey[] = [];
  list(): StoredReceiptKey[] {
    return this.keys.map((k) => ({ ...k }));
  }
  put(key: StoredReceiptKey): void {
    putInto(this.keys, key);
  }
}

/** The one rule for both stores: keys are added or retired, never replaced. */
export function putInto(keys: StoredReceiptKey[], key: StoredReceiptKey): void {
  const at = keys.findIndex((k) => k.keyId === key.keyId);
  if (at === -1) {
    keys.push({ ...key });
    return;
  }
  const old = keys[at]!;
  const same = old.publicKey === key.publicKey && old.privateKeyPem === key.privateKeyPem && old.createdAtMs === key.createdAtMs;
  if (!same || old.retiredAtMs !== undefined) throw new ReceiptKeyError(`key ${key.keyId} exists and cannot be replaced`);
  keys[at] = { ...old, retiredAtMs: key.retiredAtMs };
}
