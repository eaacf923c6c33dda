/**
 * A receipt as ESC/POS bytes, via @point-of-sale/receipt-printer-encoder. The lines come
 * ready-made from receipt-layout.ts (so the encoder never re-wraps them); the QR code holds
 * the signed receipt text, which is all Base45 and so fits the QR alphanumeric mode.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { ReceiptLayout } from './receipt-layout';

export interface EscPosOptions {
  columns?: number;
  /** QR module size in printer dots (1–16); 5 gives ~36 mm for a version-10 code at 203 dpi. */
  qrModuleSize?: number;
}

export function encodeReceiptEscPos(layout: ReceiptLayout, receiptText: string, options: EscPosOptions = {}): Uint8Array {
  const encoder = new ReceiptPrinterEncoder({ language: 'esc-pos', columns: options.columns ?? 42 });
  encoder.initialize().bold(true);
  for (const line of layout.heading) encoder.line(line);
  encoder.bold(false);
  for (const line of layout.body) encoder.line(line);
  encoder
    .newline()
    .align('center')
    .qrcode(receiptText, { model: 2, size: options.qrModuleSize ?? 5, errorlevel: 'm' })
    .align('left');
  for (const line of layout.footer) encoder.line(line);
  return encoder.newline(2).cut('partial').encode();
}
