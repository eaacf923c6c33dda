/**
 * The kiosk's printer: its set-up (settings row `printer`, checked with printerConfigSchema),
 * one print queue per configured printer, and the receipt jobs. Printing never throws for a
 * printer fault and never holds a transaction: the receipt text is read first, then sent.
 */
import { recordAudit, type AuditActor } from '../audit/service';
import { getReceipts, lotTimeZone, payloadOf } from '../receipts/service';
import type { ReceiptPayload } from '../receipts/payload';
import type { KioskCore } from '../kiosk-core';
import type { SettingKey } from '../settings/store';
import { runInTransaction, runRead } from '../shared/unit-of-work';
import { DomainError } from '../shared/errors';
import type { PrintOutcome } from './network-printer';
import { renderReceiptPdf } from './pdf';
import { createPrintQueue, type PrintQueue } from './print-queue';
import { NO_PRINTER, printReceipt, type PrinterConfig } from './print-receipt';
import { printerConfigSchema } from './printer-config';
import { layoutReceipt } from './receipt-layout';

const PRINTER_KEY = 'printer' satisfies SettingKey;

export function getPrinterConfig(core: KioskCore): PrinterConfig {
  return runRead(core, () => {
    const value = core.settings.get(PRINTER_KEY);
    if (value === undefined) return NO_PRINTER;
    // A row that no longer parses (hand-edited, an older shape) means "no printer", not a crash.
    const parsed = printerConfigSchema.safeParse(safeJson(value));
    return parsed.success ? (parsed.data as PrinterConfig) : NO_PRINTER;
  });
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

export function configurePrinter(core: KioskCore, config: PrinterConfig, actor: AuditActor): PrinterConfig {
  return runInTransaction(core, (tx) => {
    core.settings.set(PRINTER_KEY, JSON.stringify(config));
    recordAudit(core, tx.now, actor, 'printer.configure', { printer: config });
    return config;
  });
}

/** One queue per printer address or device: a printer serves one job at a time. */
function queueFor(core: KioskCore, printer: PrinterConfig): PrintQueue {
  const key = printer.kind === 'network' ? `${printer.host}:${printer.port}` : printer.kind === 'usb' ? `usb:${printer.device}` : 'none';
  const known = core.printing.queue;
  if (known && known.key === key) return known.queue;
  const queue = createPrintQueue();
  core.printing.queue = { key, queue };
  return queue;
}

async function print(core: KioskCore, payload: ReceiptPayload, text: string, timeZone: string): Promise<PrintOutcome> {
  const printer = getPrinterConfig(core);
  if (printer.kind === 'none') return printReceipt(printer, payload, text);
  return queueFor(core, printer).run(() => printReceipt(printer, payload, text, { timeZone }));
}

/** Prints a booking's latest receipt. Resolves (never rejects) within the queue's bound. */
export async function printBookingReceipt(core: KioskCore, bookingId: number): Promise<PrintOutcome> {
  const receipt = getReceipts(core, bookingId);
  const payload = payloadOf(core, receipt.text);
  return print(core, payload, receipt.text, lotTimeZone(core, payload.lotId));
}

/** A sample page for the console's "Test print": clearly not a receipt, and its QR does not verify. */
export async function printTestPage(core: KioskCore): Promise<PrintOutcome> {
  const now = core.clock.now();
  const lot = runRead(core, () => core.lots.first());
  const payload: ReceiptPayload = {
    kind: 'booking',
    reference: 'TEST PRINT',
    lotId: lot?.id ?? 0,
    lotName: lot?.name ?? 'Printer test',
    slotLabel: '-',
    plate: 'NOT A RECEIPT',
    startMs: now,
    endMs: now + 60_000,
    items: [{ kind: 'parking', amount: 0 }],
    currency: 'INR',
    kioskId: 'test',
    issuedAtMs: now,
  };
  return print(core, payload, 'TEST PRINT - NOT A RECEIPT', lot?.timeZone ?? 'UTC');
}

/** A booking's latest receipt as a PDF (bytes). */
export async function bookingReceiptPdf(core: KioskCore, bookingId: number): Promise<{ reference: string; pdf: Uint8Array }> {
  const receipt = getReceipts(core, bookingId);
  const payload = payloadOf(core, receipt.text);
  const layout = layoutReceipt(payload, { columns: 42, timeZone: lotTimeZone(core, payload.lotId) });
  const outcome = await renderReceiptPdf(layout, receipt.text, `Parking receipt ${payload.reference}`);
  if (!outcome.ok) throw new DomainError('SERVICE_UNAVAILABLE', `The PDF could not be made: ${outcome.detail}`);
  return { reference: payload.reference, pdf: outcome.pdf };
}
