/**
 * Receipts in the kiosk: issued inside the transaction that makes the booking, renewal or
 * extension (signing is synchronous, so no `await` enters the transaction), stored once as
 * the signed text, read back and verified. Keys live in `receipt_keys` (SqliteReceiptKeyStore),
 * so they travel with the database's backups.
 */
import { randomBytes } from 'node:crypto';
import type { BookingStatus } from '../../../shared/vocabulary';
import { toBookingView } from '../bookings/view';
import type { KioskCore } from '../kiosk-core';
import type { SettingKey } from '../settings/store';
import { runInTransaction, runRead, type Tx } from '../shared/unit-of-work';
import { DomainError } from '../shared/errors';
import { receiptForBooking } from './from-booking';
import { ensureSigningKey, exportPublicKey, trustedKeys, type ExportedPublicKey } from './keys';
import type { ReceiptKind, ReceiptPayload } from './payload';
import { receiptTotal } from './payload';
import { issueReceipt as signReceipt } from './sign';
import type { ReceiptRow } from './store';
import { verifyReceipt, type ReceiptInvalidReason } from './verify';

export interface StoredReceipt {
  kind: ReceiptKind;
  text: string;
  /** ISO 8601 UTC. */
  issuedAt: string;
}

const KIOSK_ID_KEY = 'kiosk_id' satisfies SettingKey;
const MAX_LOT_NAME = 60;

export const receiptKeyStore = (core: KioskCore) => core.receiptKeys;

/** This kiosk's id on its receipts: a settings row made on first use ("kiosk-" + 6 hex digits). */
export function kioskId(core: KioskCore): string {
  const known = core.settings.get(KIOSK_ID_KEY);
  if (known) return known;
  core.settings.setIfAbsent(KIOSK_ID_KEY, `kiosk-${randomBytes(3).toString('hex')}`);
  return core.settings.get(KIOSK_ID_KEY)!;
}

function lotOf(core: KioskCore, lotId: number): { name: string; timeZone: string } {
  const lot = core.lots.byId(lotId);
  if (!lot) throw new DomainError('NOT_FOUND', `There is no lot number ${lotId}.`);
  return lot;
}

/**
 * Signs and stores the receipt for a booking as it stands in this transaction. Called by
 * createBooking ('booking'), renewBooking ('renewal' on the new booking) and addCarWash
 * ('extension'); a tariff extension calls it the same way with 'extension'. Rolled back with
 * the transaction it runs in.
 */
/** How a receipt names the tariff version a stay was sold under (none for a flat-rate stay). */
export const tariffVersionLabel = (version: number | null): string | undefined => (version === null ? undefined : `v${version}`);

export function issueReceipt(core: KioskCore, tx: Tx, bookingId: number, kind: ReceiptKind, tariffVersion?: string): StoredReceipt {
  const row = core.bookings.byId(bookingId);
  if (!row) throw new DomainError('NOT_FOUND', `There is no booking number ${bookingId}.`);
  const lot = lotOf(core, row.lotId);
  const key = ensureSigningKey(receiptKeyStore(core), lot.name, tx.now);
  const payload = receiptForBooking(toBookingView(row, tx.now), {
    lotName: lot.name.slice(0, MAX_LOT_NAME),
    kioskId: kioskId(core),
    issuedAtMs: tx.now,
    kind,
    ...(tariffVersion === undefined ? {} : { tariffVersion }),
  });
  const text = signReceipt(payload, key);
  core.receipts.insert({ bookingId, kind, keyId: key.keyIdText, text, issuedAt: tx.now });
  return { kind, text, issuedAt: new Date(tx.now).toISOString() };
}

const toStored = (r: Pick<ReceiptRow, 'kind' | 'text' | 'issuedAt'>): StoredReceipt => ({
  kind: r.kind,
  text: r.text,
  issuedAt: new Date(r.issuedAt).toISOString(),
});

/** A booking's receipts, oldest first. */
export function listReceipts(core: KioskCore, bookingId: number): StoredReceipt[] {
  return runRead(core, () => core.receipts.ofBooking(bookingId).map(toStored));
}

export interface BookingReceipts extends StoredReceipt {
  /** Every receipt of the booking, oldest first (the last one is the one above). */
  all: StoredReceipt[];
}

/**
 * The latest receipt and the earlier ones. A booking made before receipts existed gets its
 * receipt now (once; later reads return the same text).
 */
export function getReceipts(core: KioskCore, bookingId: number): BookingReceipts {
  let all = listReceipts(core, bookingId);
  if (all.length === 0) {
    if (!core.bookings.byId(bookingId)) throw new DomainError('NOT_FOUND', `There is no booking number ${bookingId}.`);
    all = runInTransaction(core, (tx) => {
      const again = listReceipts(core, bookingId);
      if (again.length > 0) return again;
      const row = core.bookings.byId(bookingId)!;
      return [issueReceipt(core, tx, bookingId, row.renewedFromId === null ? 'booking' : 'renewal')];
    });
  }
  return { ...all[all.length - 1]!, all };
}

/** The payload of a receipt this lot issued (trusted: it comes from our own table). */
export function payloadOf(core: KioskCore, text: string): ReceiptPayload {
  const verdict = verifyReceipt(text, trustedKeys(receiptKeyStore(core)));
  if (!verdict.valid) throw new DomainError('PRECONDITION_FAILED', `A stored receipt does not verify (${verdict.reason}).`);
  return verdict.payload;
}

export function lotTimeZone(core: KioskCore, lotId: number): string {
  return runRead(core, () => lotOf(core, lotId).timeZone);
}

export type ReceiptCheck =
  | {
      valid: true;
      keyId: string;
      issuer: { label: string; own: boolean };
      kind: ReceiptKind;
      reference: string;
      lotName: string;
      slotLabel: string;
      plate: string;
      start: string;
      end: string;
      items: ReceiptPayload['items'];
      total: number;
      currency: string;
      tariffVersion: string | null;
      kioskId: string;
      issuedAt: string;
      /** The lot's time zone for showing the times (own receipts); null for another lot's. */
      timeZone: string | null;
      /** The booking as it is now (own receipts only): "valid, but cancelled since". */
      booking: { id: number; status: BookingStatus; plateNow: string } | null;
      /** ISO instant a later receipt replaced this one (a plate correction, receipts/reissue.ts): it no longer counts. */
      supersededAt: string | null;
    }
  | { valid: false; reason: ReceiptInvalidReason; detail: string };

const iso = (ms: number) => new Date(ms).toISOString();

/** Checks receipt text offline against this lot's keys (and keys imported from others). */
export function verifyReceiptText(core: KioskCore, text: string): ReceiptCheck {
  return runRead(core, (tx) => {
    const verdict = verifyReceipt(text, trustedKeys(receiptKeyStore(core)));
    if (!verdict.valid) return { valid: false, reason: verdict.reason, detail: verdict.detail };
    const p = verdict.payload;
    const row = verdict.issuer.own ? core.bookings.byReference(p.reference) : undefined;
    const view = row ? toBookingView(row, tx.now) : null;
    const superseded = row ? core.receipts.supersededAt(row.id, text.trim().toUpperCase()) : null;
    const zone = verdict.issuer.own ? (core.lots.byId(p.lotId)?.timeZone ?? null) : null;
    return {
      valid: true,
      keyId: verdict.keyId,
      issuer: verdict.issuer,
      kind: p.kind,
      reference: p.reference,
      lotName: p.lotName,
      slotLabel: p.slotLabel,
      plate: p.plate,
      start: iso(p.startMs),
      end: iso(p.endMs),
      items: p.items,
      total: receiptTotal(p),
      currency: p.currency,
      tariffVersion: p.tariffVersion ?? null,
      kioskId: p.kioskId,
      issuedAt: iso(p.issuedAtMs),
      timeZone: zone,
      booking: view ? { id: view.id, status: view.status, plateNow: view.vehicleNumber } : null,
      supersededAt: superseded === null ? null : iso(superseded),
    };
  });
}

/** A public key as the console lists it: retired keys (after a rotation) still verify old receipts. */
export interface ListedPublicKey extends ExportedPublicKey {
  /** ISO instant a newer key took over signing; null for the key that signs now (or an imported one). */
  retiredAt: string | null;
}

/** Every public key of this lot (and imported ones), made on first use. */
export function publicKeys(core: KioskCore): ListedPublicKey[] {
  const store = receiptKeyStore(core);
  if (!store.list().some((k) => k.privateKeyPem)) {
    runInTransaction(core, (tx) => {
      const lot = core.lots.first();
      ensureSigningKey(store, lot?.name ?? 'This lot', tx.now);
    });
  }
  return store.list().map((key) => ({ ...exportPublicKey(key), retiredAt: key.retiredAtMs === undefined ? null : iso(key.retiredAtMs) }));
}
