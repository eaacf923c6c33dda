/**
 * INTEGRATION POINT (issue 13, "a PDF receipt from the console"): no PDF library is in
 * node_modules yet, so this file only fixes the contract. Recommended (docs/receipts.md,
 * "PDF"): pdfkit 0.20.x (MIT, maintained, pure JS, streams) for the page plus a QR matrix
 * from `qrcode` 1.5.x drawn as rectangles; or, with no new dependency, Electron's
 * webContents.printToPDF over a print-styled console page that reuses qrcode.react.
 *
 * Whatever renders it takes the same ReceiptLayout the thermal printer prints, so paper,
 * PDF and the on-screen receipt never disagree.
 */
import type { ReceiptLayout } from './receipt-layout';

export type PdfOutcome = { ok: true; pdf: Uint8Array } | { ok: false; reason: 'PDF_UNAVAILABLE' | 'FAILED'; detail: string };

export type ReceiptPdfRenderer = (layout: ReceiptLayout, receiptText: string) => Promise<PdfOutcome>;

/** Until a library is added: a typed "not available" the console can show, never a throw. */
export const renderReceiptPdf: ReceiptPdfRenderer = async () => ({
  ok: false,
  reason: 'PDF_UNAVAILABLE',
  detail: 'PDF receipts need a PDF library (see docs/receipts.md)',
});
