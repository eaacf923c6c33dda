/**
 * What a printed (or PDF) receipt shows, as plain lines of a fixed width: the same lines go to
 * the ESC/POS encoder, to a PDF renderer later, and to tests that read a print job back.
 * Pure code: no printer, no Node API.
 */
import { receiptTotal, type PriceItemKind, type ReceiptKind, type ReceiptPayload } from '../receipts/payload';

/** The words on paper. English by default; the integrator passes the lot's language. */
export interface ReceiptLabels {
  title: Record<ReceiptKind, string>;
  item: Record<PriceItemKind, string>;
  reference: string;
  plate: string;
  slot: string;
  from: string;
  until: string;
  total: string;
  tariff: string;
  kiosk: string;
  issued: string;
  scanToVerify: string;
}

export const ENGLISH_LABELS: ReceiptLabels = {
  title: { booking: 'Parking receipt', extension: 'Extension receipt', renewal: 'Renewal receipt' },
  item: { parking: 'Parking', car_wash: 'Car wash', extension: 'Extension' },
  reference: 'Reference',
  plate: 'Plate',
  slot: 'Slot',
  from: 'From',
  until: 'Until',
  total: 'Total',
  tariff: 'Tariff',
  kiosk: 'Kiosk',
  issued: 'Issued',
  scanToVerify: 'Scan the code to check this receipt',
};

export interface LayoutOptions {
  /** Characters a line holds: 42 or 48 on 80 mm paper, 32 on 58 mm. */
  columns?: number;
  /** IANA zone the times print in (the lot's); UTC if not given. */
  timeZone?: string;
  labels?: ReceiptLabels;
}

export interface ReceiptLayout {
  /** Printed bold: the lot's name. */
  heading: string[];
  /** Everything between the heading and the QR code. */
  body: string[];
  /** Under the QR code. */
  footer: string[];
}

export function layoutReceipt(payload: ReceiptPayload, options: LayoutOptions = {}): ReceiptLayout {
  const columns = options.columns ?? 42;
  const labels = options.labels ?? ENGLISH_LABELS;
  const time = (ms: number, seconds = false) => formatTime(ms, options.timeZone ?? 'UTC', seconds);
  const money = (amount: number) => formatMoney(amount, payload.currency);
  const row = (label: string, value: string) => rowLines(label, value, columns);
  const rule = '-'.repeat(columns);
  const body = [
    ...center(labels.title[payload.kind], columns),
    rule,
    ...row(labels.reference, payload.reference),
    ...row(labels.plate, payload.plate),
    ...row(labels.slot, payload.slotLabel),
    ...row(labels.from, time(payload.startMs)),
    ...row(labels.until, time(payload.endMs)),
    rule,
    ...payload.items.flatMap((item) => row(labels.item[item.kind], money(item.amount))),
    ...row(labels.total, money(receiptTotal(payload))),
    rule,
    ...(payload.tariffVersion === undefined ? [] : row(labels.tariff, payload.tariffVersion)),
    ...row(labels.kiosk, payload.kioskId),
    ...row(labels.issued, time(payload.issuedAtMs, true)),
  ];
  return {
    heading: wrap(payload.lotName, columns).flatMap((l) => center(l, columns)),
    body,
    footer: wrap(labels.scanToVerify, columns).flatMap((l) => center(l, columns)),
  };
}

/** "INR 210.00": the currency's own number of decimals (JPY none, INR two). */
export function formatMoney(minorUnits: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const sign = minorUnits < 0 ? '-' : '';
  const abs = Math.abs(minorUnits);
  const major = Math.floor(abs / 10 ** digits);
  const minor = abs % 10 ** digits;
  return `${currency} ${sign}${major}${digits > 0 ? `.${String(minor).padStart(digits, '0')}` : ''}`;
}

/** "2026-12-02 09:30" in the given zone; paper has no room for a zone name, the lot knows its own. */
export function formatTime(ms: number, timeZone: string, seconds = false): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}${seconds ? `:${part('second')}` : ''}`;
}

/** Label left, value right; a value too long for the line goes on its own line, right-aligned. */
function rowLines(label: string, value: string, columns: number): string[] {
  if (label.length + 1 + value.length <= columns) return [label + ' '.repeat(columns - label.length - value.length) + value];
  return [...wrap(label, columns), ...wrap(value, columns).map((l) => l.padStart(columns))];
}

function center(text: string, columns: number): string[] {
  return [' '.repeat(Math.max(0, Math.floor((columns - text.length) / 2))) + text];
}

/** Word wrap; a word longer than the line is cut. */
export function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest.length > 0;) {
      const room = line ? columns - line.length - 1 : columns;
      if (rest.length <= room) {
        line = line ? `${line} ${rest}` : rest;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, columns));
        rest = rest.slice(columns);
      }
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}
