import { z } from 'zod';
import { bookingReceiptPdf, printBookingReceipt } from '../../core/printing/service';
import { MAX_RECEIPT_TEXT } from '../../core/receipts/codec';
import { rotateReceiptKey } from '../../core/receipts/rotation';
import { getReceipts, publicKeys, verifyReceiptText } from '../../core/receipts/service';
import { id } from '../schemas';
import { assertBookingAccess, ownerProcedure, publicProcedure, router, staffProcedure } from '../trpc';
import { auditActor } from '../actor';

const byBooking = z.object({ bookingId: id }).strict();

export const receiptRouter = router({
  /** The booking's latest receipt `{ text, issuedAt, kind }` and every earlier one (`all`). */
  get: publicProcedure.input(byBooking).query(({ ctx, input }) => {
    assertBookingAccess(ctx, input.bookingId);
    return getReceipts(ctx.core, input.bookingId);
  }),

  /** Prints the latest receipt. Printer faults are a typed `{ ok: false, reason }`, never an error. */
  print: publicProcedure.input(byBooking).mutation(async ({ ctx, input }) => {
    assertBookingAccess(ctx, input.bookingId);
    return printBookingReceipt(ctx.core, input.bookingId);
  }),

  /** Offline check of receipt text (typed by a USB scanner or pasted). */
  verify: staffProcedure
    .input(z.object({ text: z.string({ error: 'Paste or scan the receipt text.' }).max(MAX_RECEIPT_TEXT + 100, 'That is too long to be a receipt.') }).strict())
    .query(({ ctx, input }) => verifyReceiptText(ctx.core, input.text)),

  /** The lot's public keys (PEM and compact): public by nature, for enforcement staff. */
  publicKey: publicProcedure.query(({ ctx }) => publicKeys(ctx.core)),

  /** Retires the signing key (it keeps verifying old receipts) and signs with a new one from now on; audited. */
  rotateKey: ownerProcedure.mutation(({ ctx }) => rotateReceiptKey(ctx.core, auditActor(ctx))),

  /** The latest receipt as a PDF, base64. */
  pdf: staffProcedure.input(byBooking).query(async ({ ctx, input }) => {
    const { reference, pdf } = await bookingReceiptPdf(ctx.core, input.bookingId);
    return { fileName: `receipt-${reference}.pdf`, base64: Buffer.from(pdf).toString('base64') };
  }),
});
