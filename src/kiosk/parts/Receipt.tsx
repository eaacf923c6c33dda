/**
 * The signed receipt on the confirmation screen: the QR code holds the receipt text itself
 * (it carries the reference too, so one code serves both), and "Print receipt" when the lot
 * has a printer. A printer fault is said in plain words and points at the code on screen.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useEffect } from 'react';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import type { Booking } from '../../lib/api-types';

/** The booking's latest receipt; asked again when its price changes (a car wash adds an extension receipt) or its plate (a correction reissues it). */
export function useReceipt(booking: Booking) {
  const trpc = useTRPC();
  const receipt = useQuery(trpc.receipt.get.queryOptions({ bookingId: booking.id }, { staleTime: Infinity }));
  const { refetch } = receipt;
  useEffect(() => {
    void refetch();
  }, [booking.totalPrice, booking.vehicleNumber, refetch]);
  return receipt.data;
}

export function ReceiptQr({ booking, text }: { booking: Booking; text: string | undefined }) {
  const { t } = useMessages();
  // Until the receipt arrives (a moment), the code holds the reference, as it always did.
  return (
    <div className="qr" data-testid="receipt-qr" data-receipt={text ?? ''}>
      <QRCodeSVG
        value={text ?? booking.reference}
        size={300}
        level="M"
        marginSize={2}
        bgColor="#ffffff"
        fgColor="#0b1220"
        title={fill(t.booking.qr, { reference: booking.reference })}
        role="img"
      />
    </div>
  );
}

export function ReceiptPrint({ booking }: { booking: Booking }) {
  const { t } = useMessages();
  const trpc = useTRPC();
  const printer = useQuery(trpc.printer.available.queryOptions(undefined, { staleTime: 60_000 }));
  const print = useMutation(trpc.receipt.print.mutationOptions());
  if (!printer.data?.configured) return null;
  const outcome = print.data;
  const failedReason = outcome && !outcome.ok ? outcome.reason : print.error ? 'FAILED' : null;
  return (
    <div className={`receipt-bar ${failedReason ? 'failed' : ''}`} data-testid="receipt-bar">
      <div className="receipt-status" role="status" aria-live="polite">
        {print.isPending && <p>{t.receipt.printing}</p>}
        {!print.isPending && outcome?.ok && <p data-testid="receipt-printed">{t.receipt.printed}</p>}
        {!print.isPending && failedReason && (
          <>
            <p className="receipt-fault" data-testid="receipt-fault" data-reason={failedReason}>
              {t.receipt.failed[failedReason]}
            </p>
            <p>{t.receipt.useQr}</p>
          </>
        )}
      </div>
      <button type="button" className="button secondary" disabled={print.isPending} onClick={() => print.mutate({ bookingId: booking.id })}>
        {outcome || print.error ? t.receipt.printAgain : t.receipt.print}
      </button>
    </div>
  );
}
