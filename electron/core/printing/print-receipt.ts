/**
 * The one call the kiosk makes after a booking, extension or renewal: lay out, encode, send.
 * Never throws and never takes longer than the printer's timeout; on any failure the kiosk
 * shows the receipt's QR code on screen instead (the failure's `reason` picks the message).
 */
import type { ReceiptPayload } from '../receipts/payload';
import { encodeReceiptEscPos } from './escpos';
import { sendToNetworkPrinter, type PrintOutcome, type SendOptions } from './network-printer';
import { sendToUsbPrinter } from './usb-printer';
import { layoutReceipt, type LayoutOptions } from './receipt-layout';

export type PrinterConfig =
  | { kind: 'none' }
  | {
      kind: 'network';
      host: string;
      port: number;
      columns: number;
      timeoutMs: number;
      statusCheck: NonNullable<SendOptions['statusCheck']>;
    }
  | {
      kind: 'usb';
      /** The device node, e.g. /dev/usb/lp0 (Linux usblp). */
      device: string;
      columns: number;
      timeoutMs: number;
    };

export const NO_PRINTER: PrinterConfig = { kind: 'none' };

export interface PrintReceiptOptions {
  timeZone?: string;
  labels?: LayoutOptions['labels'];
}

export async function printReceipt(
  printer: PrinterConfig,
  payload: ReceiptPayload,
  receiptText: string,
  options: PrintReceiptOptions = {},
): Promise<PrintOutcome> {
  const started = performance.now();
  if (printer.kind === 'none') {
    return { ok: false, reason: 'NOT_CONFIGURED', phase: 'connect', detail: 'no printer is set up', elapsedMs: 0 };
  }
  let job: Uint8Array;
  try {
    const layout = layoutReceipt(payload, { columns: printer.columns, ...options });
    job = encodeReceiptEscPos(layout, receiptText, { columns: printer.columns });
  } catch (error) {
    return {
      ok: false,
      reason: 'FAILED',
      phase: 'connect',
      detail: `receipt could not be laid out: ${(error as Error).message}`,
      elapsedMs: Math.round(performance.now() - started),
    };
  }
  if (printer.kind === 'usb') return sendToUsbPrinter({ device: printer.device }, job, { timeoutMs: printer.timeoutMs });
  return sendToNetworkPrinter({ host: printer.host, port: printer.port }, job, {
    timeoutMs: printer.timeoutMs,
    statusCheck: printer.statusCheck,
  });
}
