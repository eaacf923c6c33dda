import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { encode } from 'cborg';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBase45, encodeBase45 } from '../../../electron/core/receipts/base45';
import { decodeEnvelope, encodeEnvelope, RECEIPT_TEXT_PREFIX, textToBody } from '../../../electron/core/receipts/codec';
import Database from 'better-sqlite3';
import { FileReceiptKeyStore } from '../../../electron/core/receipts/file-key-store';
import { RECEIPT_KEYS_DDL, SqliteReceiptKeyStore } from '../../../electron/core/receipts/sqlite-key-store';
import {
  ensureSigningKey,
  exportPublicKey,
  importPublicKey,
  MemoryReceiptKeyStore,
  ReceiptKeyError,
  rotateSigningKey,
  trustedKeys,
} from '../../../electron/core/receipts/keys';
import { issueReceipt } from '../../../electron/core/receipts/sign';
import { verifyReceipt } from '../../../electron/core/receipts/verify';
import { typicalReceipt } from './fixtures';

const NOW = Date.UTC(2026, 11, 2, 9, 0, 0);

const lot = () => {
  const store = new MemoryReceiptKeyStore();
  const key = ensureSigningKey(store, 'Central Station Lot', NOW);
  return { store, key, keys: trustedKeys(store) };
};

/** The text's binary body, for tests that damage bytes rather than characters. */
const bodyOf = (text: string) => {
  const body = textToBody(text);
  if (!body.ok) throw new Error(body.detail);
  return body.value;
};
const textOf = (body: Uint8Array) => RECEIPT_TEXT_PREFIX + encodeBase45(body);

describe('signed receipts', () => {
  it('sign → encode → decode → verify gives back the payload, the key and "issued by this lot"', () => {
    const { key, keys } = lot();
    const payload = typicalReceipt();
    for (const compress of ['auto', 'never', 'always'] as const) {
      const text = issueReceipt(payload, key, { compress });
      expect(text.startsWith('PK1:')).toBe(true);
      const verdict = verifyReceipt(text, keys);
      expect(verdict).toEqual({
        valid: true,
        payload,
        keyId: key.keyIdText,
        issuer: { label: 'Central Station Lot', own: true },
        issuedAtMs: payload.issuedAtMs,
      });
    }
  });

  it('keeps each receipt kind, an absent tariff version and extension prices', () => {
    const { key, keys } = lot();
    const { tariffVersion: _omit, ...withoutTariff } = typicalReceipt();
    const receipts = [withoutTariff, typicalReceipt({ kind: 'extension', items: [{ kind: 'extension', amount: 3000 }] }), typicalReceipt({ kind: 'renewal' })];
    for (const payload of receipts) {
      const verdict = verifyReceipt(issueReceipt(payload, key), keys);
      expect(verdict.valid && verdict.payload).toEqual(payload);
    }
  });

  it('reads text the way a scanner or a paste delivers it: lower case, surrounding whitespace', () => {
    const { key, keys } = lot();
    const text = issueReceipt(typicalReceipt(), key);
    expect(verifyReceipt(`  ${text.toLowerCase()}\r\n`, keys).valid).toBe(true);
  });

  it('reports a flipped byte: CORRUPT when compressed (zlib checksum), BAD_SIGNATURE when the payload changed', () => {
    const { key, keys } = lot();
    const compressed = bodyOf(issueReceipt(typicalReceipt(), key, { compress: 'always' }));
    for (let i = 2; i < compressed.length; i += 1) {
      const damaged = Uint8Array.from(compressed);
      damaged[i]! ^= 0x01;
      const verdict = verifyReceipt(textOf(damaged), keys);
      expect(verdict.valid).toBe(false);
    }
    const damaged = Uint8Array.from(compressed);
    damaged[compressed.length - 1]! ^= 0x01; // inside the Adler-32 checksum
    expect(verifyReceipt(textOf(damaged), keys)).toMatchObject({ valid: false, reason: 'CORRUPT' });

    // Uncompressed, a changed character of the plate keeps CBOR valid: only the signature tells.
    const plain = issueReceipt(typicalReceipt(), key, { compress: 'never' });
    const body = bodyOf(plain);
    const at = Buffer.from(body).indexOf('KA-01-AB-1234');
    expect(at).toBeGreaterThan(0);
    body[at + 12] = '5'.charCodeAt(0);
    expect(verifyReceipt(textOf(body), keys)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE', keyId: key.keyIdText });
  });

  it('every single flipped byte of an uncompressed receipt is caught, never valid', () => {
    const { key, keys } = lot();
    const body = bodyOf(issueReceipt(typicalReceipt(), key, { compress: 'never' }));
    const reasons = new Set<string>();
    for (let i = 0; i < body.length; i += 1) {
      for (const bit of [0x01, 0x80]) {
        const damaged = Uint8Array.from(body);
        damaged[i]! ^= bit;
        const verdict = verifyReceipt(textOf(damaged), keys);
        expect(verdict.valid, `byte ${i} bit ${bit}`).toBe(false);
        if (!verdict.valid) reasons.add(verdict.reason);
      }
    }
    // Damage in the signature or payload fails the signature; in the key id, the key is unknown.
    expect(reasons).toContain('BAD_SIGNATURE');
    expect(reasons).toContain('UNKNOWN_KEY');
    expect(reasons).toContain('CORRUPT');
  });

  it('a receipt signed by another key is UNKNOWN_KEY; another key under our key id is BAD_SIGNATURE', () => {
    const ours = lot();
    const theirs = lot();
    const text = issueReceipt(typicalReceipt(), theirs.key);
    expect(verifyReceipt(text, ours.keys)).toMatchObject({ valid: false, reason: 'UNKNOWN_KEY', keyId: theirs.key.keyIdText });

    const forger = { ...ours.key, privateKey: generateKeyPairSync('ed25519').privateKey };
    expect(verifyReceipt(issueReceipt(typicalReceipt(), forger), ours.keys)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('a truncated receipt is CORRUPT (or MALFORMED when the cut leaves no Base45), never valid', () => {
    const { key, keys } = lot();
    const reasons = new Set<string>();
    for (const compress of ['always', 'never'] as const) {
      const text = issueReceipt(typicalReceipt(), key, { compress });
      for (let cut = 1; cut < text.length - 4; cut += 1) {
        const verdict = verifyReceipt(text.slice(0, text.length - cut), keys);
        expect(verdict.valid).toBe(false);
        if (!verdict.valid) {
          // Half a Base45 group, or a last pair above 255, is not Base45 at all: MALFORMED.
          expect(['CORRUPT', 'MALFORMED']).toContain(verdict.reason);
          reasons.add(verdict.reason);
        }
      }
    }
    expect(reasons).toContain('CORRUPT');
  });

  it('an unknown version is WRONG_VERSION, in the prefix or in the envelope', () => {
    const { key, keys } = lot();
    const text = issueReceipt(typicalReceipt(), key, { compress: 'never' });
    expect(verifyReceipt(text.replace(/^PK1:/, 'PK2:'), keys)).toMatchObject({ valid: false, reason: 'WRONG_VERSION' });

    const envelope = decodeEnvelope(bodyOf(text));
    if (!envelope.ok) throw new Error('fixture');
    const v2 = encodeEnvelope({ ...envelope.value, version: 2 });
    expect(verifyReceipt(textOf(v2), keys)).toMatchObject({ valid: false, reason: 'WRONG_VERSION' });
    expect(verifyReceipt(textOf(new Uint8Array(deflateSync(v2))), keys)).toMatchObject({ valid: false, reason: 'WRONG_VERSION' });
  });

  it('anything else is MALFORMED or CORRUPT, and nothing throws', () => {
    const { keys } = lot();
    expect(verifyReceipt('', keys)).toMatchObject({ valid: false, reason: 'MALFORMED' });
    expect(verifyReceipt('https://example.invalid/receipt', keys)).toMatchObject({ valid: false, reason: 'MALFORMED' });
    expect(verifyReceipt('PK1:#not-base45', keys)).toMatchObject({ valid: false, reason: 'MALFORMED' });
    expect(verifyReceipt(`PK1:${'A'.repeat(5000)}`, keys)).toMatchObject({ valid: false, reason: 'MALFORMED' });
    expect(verifyReceipt(42, keys)).toMatchObject({ valid: false, reason: 'MALFORMED' });
    expect(verifyReceipt('PK1:', keys)).toMatchObject({ valid: false, reason: 'CORRUPT' });
    expect(verifyReceipt(textOf(encode([1, 2, 3, 4])), keys)).toMatchObject({ valid: false, reason: 'CORRUPT' });
    const { key } = lot();
    const trailing = Uint8Array.from([...bodyOf(issueReceipt(typicalReceipt(), key)), 0]);
    expect(verifyReceipt(textOf(trailing), trustedKeys(new MemoryReceiptKeyStore()))).toMatchObject({ valid: false, reason: 'CORRUPT' });
    // A zip bomb: a tiny text that inflates far beyond any receipt.
    const bomb = new Uint8Array(deflateSync(new Uint8Array(200_000), { level: 9 }));
    expect(textOf(bomb).length).toBeLessThan(1200);
    expect(verifyReceipt(textOf(bomb), keys)).toMatchObject({ valid: false, reason: 'CORRUPT' });
  });

  it('a typical receipt fits a QR code of version ≤ 10 in alphanumeric mode', () => {
    const { key } = lot();
    const text = issueReceipt(typicalReceipt(), key);
    // Alphanumeric-mode capacity (characters) at error correction M, ISO/IEC 18004 table 7.
    const capacityM = [20, 38, 61, 90, 122, 154, 178, 221, 262, 311];
    const version = capacityM.findIndex((c) => text.length <= c) + 1;
    const plain = issueReceipt(typicalReceipt(), key, { compress: 'never' });
    const zipped = issueReceipt(typicalReceipt(), key, { compress: 'always' });
    console.log(
      `typical receipt: ${text.length} characters, ${decodeBase45(text.slice(4)).length} bytes, QR version ${version} at level M (uncompressed ${plain.length}, zlib ${zipped.length})`,
    );
    expect(/^[0-9A-Z $%*+\-./:]+$/.test(text)).toBe(true);
    expect(version).toBeGreaterThan(0);
    expect(version).toBeLessThanOrEqual(10);
  });
});

describe('receipt keys', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'receipt-keys-'));
    dirs.push(dir);
    return dir;
  };

  it('a key is made on first use and then reused; the file store keeps it across restarts, private to the user', () => {
    const dir = tempDir();
    const first = ensureSigningKey(FileReceiptKeyStore.inDataDir(dir), 'Lot', NOW);
    const again = ensureSigningKey(FileReceiptKeyStore.inDataDir(dir), 'Lot', NOW + 1000);
    expect(again.keyIdText).toBe(first.keyIdText);
    expect(FileReceiptKeyStore.inDataDir(dir).list()).toHaveLength(1);
    if (process.platform !== 'win32') expect(statSync(join(dir, 'receipt-keys.json')).mode & 0o077).toBe(0);
    const text = issueReceipt(typicalReceipt(), first);
    expect(verifyReceipt(text, trustedKeys(FileReceiptKeyStore.inDataDir(dir))).valid).toBe(true);
  });

  it('the database store follows the same rules: made once, rotated, old keys kept, never replaced', () => {
    const file = join(tempDir(), 'kiosk.db');
    const open = () => {
      const sqlite = new Database(file);
      return sqlite;
    };
    const first = open();
    first.exec(RECEIPT_KEYS_DDL);
    const store = new SqliteReceiptKeyStore(first);
    const old = ensureSigningKey(store, 'Lot', NOW);
    const receipt = issueReceipt(typicalReceipt(), old);
    first.close();

    const again = open();
    const reopened = new SqliteReceiptKeyStore(again);
    expect(ensureSigningKey(reopened, 'Lot', NOW + 1).keyIdText).toBe(old.keyIdText);
    const fresh = rotateSigningKey(reopened, 'Lot', NOW + 2);
    expect(reopened.list().map((k) => [k.keyId, k.retiredAtMs])).toEqual([
      [old.keyIdText, NOW + 2],
      [fresh.keyIdText, undefined],
    ]);
    expect(verifyReceipt(receipt, trustedKeys(reopened)).valid).toBe(true);
    expect(() => reopened.put({ ...reopened.list()[1]!, label: 'x', privateKeyPem: undefined })).toThrow(ReceiptKeyError);
    again.close();
  });

  it('a damaged key file is an error, never a silent new key', () => {
    const dir = tempDir();
    ensureSigningKey(FileReceiptKeyStore.inDataDir(dir), 'Lot', NOW);
    const path = join(dir, 'receipt-keys.json');
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
    expect(() => ensureSigningKey(FileReceiptKeyStore.inDataDir(dir), 'Lot', NOW)).toThrow(ReceiptKeyError);
  });

  it('rotation signs with a new key and keeps verifying receipts of the old one', () => {
    const store = new MemoryReceiptKeyStore();
    const old = ensureSigningKey(store, 'Lot', NOW);
    const oldReceipt = issueReceipt(typicalReceipt(), old);
    const fresh = rotateSigningKey(store, 'Lot', NOW + 1);
    expect(fresh.keyIdText).not.toBe(old.keyIdText);
    expect(ensureSigningKey(store, 'Lot', NOW + 2).keyIdText).toBe(fresh.keyIdText);
    const keys = trustedKeys(store);
    expect(verifyReceipt(oldReceipt, keys).valid).toBe(true);
    expect(verifyReceipt(issueReceipt(typicalReceipt(), fresh), keys).valid).toBe(true);
    expect(() => store.put({ ...store.list()[0]!, publicKey: store.list()[1]!.publicKey })).toThrow(ReceiptKeyError);
  });

  it('exports the public key as PEM and compact text that another kiosk imports to verify (not sign)', () => {
    const issuing = new MemoryReceiptKeyStore();
    const key = ensureSigningKey(issuing, 'Central Station Lot', NOW);
    const exported = exportPublicKey(issuing.list()[0]!);
    expect(exported.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(exported.compact).toBe(`PKK1:${key.keyIdText}.${issuing.list()[0]!.publicKey}`);
    expect(key.keyId).toHaveLength(8);

    const receipt = issueReceipt(typicalReceipt(), key);
    for (const form of [exported.pem, exported.compact]) {
      const enforcement = new MemoryReceiptKeyStore();
      enforcement.put(importPublicKey(form, 'Central Station Lot', NOW));
      expect(enforcement.list()[0]!.privateKeyPem).toBeUndefined();
      expect(verifyReceipt(receipt, trustedKeys(enforcement))).toMatchObject({ valid: true, issuer: { own: false } });
    }
    const [, id, raw] = /^PKK1:([^.]+)\.(.+)$/.exec(exported.compact)!;
    expect(() => importPublicKey(`PKK1:${id!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${raw}`, 'x', NOW)).toThrow(ReceiptKeyError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => importPublicKey(rsa, 'x', NOW)).toThrow(ReceiptKeyError);
  });
});
