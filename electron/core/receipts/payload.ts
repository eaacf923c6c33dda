/**
 * What a receipt says, and its compact CBOR form. Pure code (cborg only), so the renderer can
 * import it later to show a decoded receipt.
 *
 * The CBOR map uses small integer keys (as CWT claims do) so a receipt fits a small QR code;
 * the key numbers below are the wire format and must never be renumbered.
 */
import { decode, encode } from 'cborg';

export const RECEIPT_KINDS = ['booking', 'extension', 'renewal'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

/** A line of the price: what was charged for, in integer minor units of the receipt's currency. */
export const PRICE_ITEM_KINDS = ['parking', 'car_wash', 'extension'] as const;
export type PriceItemKind = (typeof PRICE_ITEM_KINDS)[number];
export interface PriceItem {
  kind: PriceItemKind;
  amount: number;
}

export interface ReceiptPayload {
  kind: ReceiptKind;
  reference: string;
  lotId: number;
  lotName: string;
  slotLabel: string;
  plate: string;
  /** UTC instants in ms; a receipt carries them to the second (the wire holds seconds). */
  startMs: number;
  endMs: number;
  items: PriceItem[];
  /** ISO 4217 code, e.g. INR. */
  currency: string;
  tariffVersion?: string;
  kioskId: string;
  issuedAtMs: number;
}

export const receiptTotal = (payload: Pick<ReceiptPayload, 'items'>): number => payload.items.reduce((sum, item) => sum + item.amount, 0);

const KEY = {
  kind: 1,
  reference: 2,
  lotId: 3,
  lotName: 4,
  slotLabel: 5,
  plate: 6,
  start: 7,
  end: 8,
  items: 9,
  currency: 10,
  tariffVersion: 11,
  kioskId: 12,
  issuedAt: 13,
} as const;

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** Thrown for a payload that does not have the receipt's shape; callers turn it into a typed result. */
export class ReceiptPayloadError extends Error {}

export function encodePayload(payload: ReceiptPayload): Uint8Array {
  assertPayload(payload);
  const map = new Map<number, unknown>([
    [KEY.kind, RECEIPT_KINDS.indexOf(payload.kind)],
    [KEY.reference, payload.reference],
    [KEY.lotId, payload.lotId],
    [KEY.lotName, payload.lotName],
    [KEY.slotLabel, payload.slotLabel],
    [KEY.plate, payload.plate],
    [KEY.start, toSeconds(payload.startMs)],
    [KEY.end, toSeconds(payload.endMs)],
    [KEY.items, payload.items.map((item) => [PRICE_ITEM_KINDS.indexOf(item.kind), item.amount])],
    [KEY.currency, payload.currency],
    [KEY.kioskId, payload.kioskId],
    [KEY.issuedAt, toSeconds(payload.issuedAtMs)],
  ]);
  if (payload.tariffVersion !== undefined) map.set(KEY.tariffVersion, payload.tariffVersion);
  // cborg's default map order (length first, then bytes) puts small integer keys in numeric order.
  return encode(map);
}

export function decodePayload(bytes: Uint8Array): ReceiptPayload {
  let map: unknown;
  try {
    map = decode(bytes, STRICT_DECODE);
  } catch (error) {
    throw new ReceiptPayloadError(`payload is not CBOR: ${(error as Error).message}`);
  }
  if (!(map instanceof Map)) throw new ReceiptPayloadError('payload is not a map');
  for (const key of map.keys()) {
    if (!Object.values(KEY).includes(key as never)) throw new ReceiptPayloadError(`unknown payload field ${String(key)}`);
  }
  const get = (key: number) => map.get(key) as unknown;
  const itemsRaw = get(KEY.items);
  if (!Array.isArray(itemsRaw)) throw new ReceiptPayloadError('items is not a list');
  const payload: ReceiptPayload = {
    kind: RECEIPT_KINDS[get(KEY.kind) as number] as ReceiptKind,
    reference: get(KEY.reference) as string,
    lotId: get(KEY.lotId) as number,
    lotName: get(KEY.lotName) as string,
    slotLabel: get(KEY.slotLabel) as string,
    plate: get(KEY.plate) as string,
    startMs: (get(KEY.start) as number) * 1000,
    endMs: (get(KEY.end) as number) * 1000,
    items: itemsRaw.map((raw: unknown) => {
      if (!Array.isArray(raw) || raw.length !== 2) throw new ReceiptPayloadError('price item is not a pair');
      return { kind: PRICE_ITEM_KINDS[raw[0] as number] as PriceItemKind, amount: raw[1] as number };
    }),
    currency: get(KEY.currency) as string,
    kioskId: get(KEY.kioskId) as string,
    issuedAtMs: (get(KEY.issuedAt) as number) * 1000,
  };
  const tariffVersion = get(KEY.tariffVersion);
  if (tariffVersion !== undefined) payload.tariffVersion = tariffVersion as string;
  assertPayload(payload);
  return payload;
}

/** Decoding refuses every ambiguity: one byte string, one meaning. */
export const STRICT_DECODE = {
  strict: true,
  useMaps: true,
  rejectDuplicateMapKeys: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  allowBigInt: false,
} as const;

const isText = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max;
const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function assertPayload(p: ReceiptPayload): void {
  const fail = (what: string) => {
    throw new ReceiptPayloadError(`receipt ${what} is invalid`);
  };
  if (!RECEIPT_KINDS.includes(p.kind)) fail('kind');
  if (!isText(p.reference, 32)) fail('reference');
  if (!isCount(p.lotId)) fail('lot id');
  if (!isText(p.lotName, 60)) fail('lot name');
  if (!isText(p.slotLabel, 20)) fail('slot label');
  if (!isText(p.plate, 20)) fail('plate');
  if (!isCount(p.startMs) || !isCount(p.endMs) || p.endMs <= p.startMs) fail('time span');
  if (!Array.isArray(p.items) || p.items.length === 0 || p.items.length > 8) fail('price items');
  for (const item of p.items) if (!PRICE_ITEM_KINDS.includes(item.kind) || !isCount(item.amount)) fail('price item');
  if (typeof p.currency !== 'string' || !/^[A-Z]{3}$/.test(p.currency)) fail('currency');
  if (p.tariffVersion !== undefined && !isText(p.tariffVersion, 20)) fail('tariff version');
  if (!isText(p.kioskId, 32)) fail('kiosk id');
  if (!isCount(p.issuedAtMs)) fail('issue time');
}
