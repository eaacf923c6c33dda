/**
 * A receipt as a PDF (the console's "PDF receipt"): pdfkit for the page, the QR drawn as
 * squares from the `qrcode` matrix (no image step, so the PDF is small and sharp at any
 * zoom). The same ReceiptLayout the thermal printer prints, so paper and PDF never disagree.
 * Courier keeps the fixed-width columns; Latin text only (the standard fonts' range).
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { ReceiptLayout } from './receipt-layout';

export type PdfOutcome = { ok: true; pdf: Uint8Array } | { ok: false; reason: 'PDF_UNAVAILABLE' | 'FAILED'; detail: string };

/** `title` goes in the PDF's metadata (a file manager and a search show the reference). */
export type ReceiptPdfRenderer = (layout: ReceiptLayout, receiptText: string, title?: string) => Promise<PdfOutcome>;

const MARGIN = 24;
const FONT_SIZE = 9;
const QR_MODULE = 2.2;
const QR_QUIET = 4;

export const renderReceiptPdf: ReceiptPdfRenderer = async (layout, receiptText, title = 'Parking receipt') => {
  try {
    const qr = QRCode.create(receiptText, { errorCorrectionLevel: 'M' });
    const columns = Math.max(...[...layout.heading, ...layout.body, ...layout.footer].map((l) => l.length), 32);
    const charWidth = FONT_SIZE * 0.6; // Courier advance
    const qrSide = (qr.modules.size + 2 * QR_QUIET) * QR_MODULE;
    const width = Math.max(columns * charWidth, qrSide) + 2 * MARGIN;
    const lineHeight = FONT_SIZE * 1.25;
    const lines = layout.heading.length + layout.body.length + layout.footer.length + 2;
    const height = lines * lineHeight + qrSide + 2 * MARGIN;
    const doc = new PDFDocument({ size: [width, height], margin: MARGIN, info: { Title: title, Creator: 'Parking kiosk' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });
    let y = MARGIN;
    const text = (line: string, bold = false) => {
      doc
        .font(bold ? 'Courier-Bold' : 'Courier')
        .fontSize(FONT_SIZE)
        .text(line, MARGIN, y, { lineBreak: false });
      y += lineHeight;
    };
    for (const line of layout.heading) text(line, true);
    for (const line of layout.body) text(line);
    y += lineHeight / 2;
    const left = (width - qrSide) / 2 + QR_QUIET * QR_MODULE;
    const top = y + QR_QUIET * QR_MODULE;
    for (let row = 0; row < qr.modules.size; row++) {
      for (let col = 0; col < qr.modules.size; col++) {
        if (qr.modules.get(row, col)) doc.rect(left + col * QR_MODULE, top + row * QR_MODULE, QR_MODULE, QR_MODULE);
      }
    }
    doc.fill('#000000');
    y += qrSide + lineHeight / 2;
    for (const line of layout.footer) text(line);
    doc.end();
    await done;
    return { ok: true, pdf: new Uint8Array(Buffer.concat(chunks)) };
  } catch (error) {
    return { ok: false, reason: 'FAILED', detail: (error as Error).message };
  }
};
