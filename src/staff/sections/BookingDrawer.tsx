import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/trpc';
import { downloadBlob } from '../download';
import { useMessages } from '../../i18n';
import { useStaffConsole } from '../../stores/staffConsole';
import { formatDateTime, formatMoney, VEHICLE_LABELS } from '../format';
import { ErrorNote } from '../ui/Notice';
import { StatusBadge } from '../ui/StatusBadge';
import { useModalFocus } from '../ui/useModalFocus';
import { CancelDialog } from './CancelDialog';
import { CorrectPlateDialog } from './CorrectPlateDialog';

/** One booking in full, with its story; staff can cancel it from here. */
export function BookingDrawer({ id, onClose }: { id: number; onClose(): void }) {
  const trpc = useTRPC();
  const openBooking = useStaffConsole((s) => s.openBooking);
  const history = useQuery(trpc.bookingAdmin.history.queryOptions({ id }));
  const [cancelling, setCancelling] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const b = history.data?.booking;

  const { t } = useMessages();
  const client = useTRPCClient();
  // The signed receipt as a PDF (made in the main process with pdfkit), saved as a download.
  const pdf = useMutation({
    mutationFn: async () => {
      const made = await client.receipt.pdf.query({ bookingId: id });
      const bytes = Uint8Array.from(atob(made.base64), (ch) => ch.charCodeAt(0));
      downloadBlob(made.fileName, new Blob([bytes], { type: 'application/pdf' }));
      return made.fileName;
    },
  });
  const panel = useRef<HTMLElement>(null);
  const titleId = useId();
  // A modal panel: focus moves in (and back to the row on close), Tab stays inside, Escape
  // closes it unless the cancel dialog on top of it is open.
  useModalFocus(panel, onClose, !cancelling && !correcting);

  return (
    <aside className="drawer" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} ref={panel}>
      <div className="drawer-head">
        <div id={titleId}>
          <p className="eyebrow">{t.console.drawer.label}</p>
          <h2 className="mono">{b?.reference ?? '…'}</h2>
        </div>
        <button type="button" className="ghost icon" aria-label="Close details" onClick={onClose}>
          ✕
        </button>
      </div>
      <ErrorNote error={history.error} />
      {b && (
        <>
          <div className="drawer-status">
            <StatusBadge status={b.status} startTime={b.startTime} endTime={b.endTime} />
          </div>
          <dl className="facts">
            <dt>Slot</dt>
            <dd>{b.slotLabel}</dd>
            <dt>Vehicle</dt>
            <dd className="mono">{b.vehicleNumber}</dd>
            <dt>Vehicle type</dt>
            <dd>{VEHICLE_LABELS[b.vehicleType] ?? b.vehicleType}</dd>
            <dt>Booking type</dt>
            <dd>{b.bookingType === 'advance' ? 'Advance' : 'Instant'}</dd>
            <dt>Start</dt>
            <dd>{formatDateTime(b.startTime)}</dd>
            <dt>End</dt>
            <dd>{formatDateTime(b.endTime)}</dd>
            <dt>Parking</dt>
            <dd>{formatMoney(b.price, b.currency)}</dd>
            {b.addOns.map((a) => (
              <FactPair key={a.kind} label="Car wash" value={formatMoney(a.price, b.currency)} />
            ))}
            <dt>Total</dt>
            <dd className="strong">{formatMoney(b.totalPrice, b.currency)}</dd>
          </dl>
          <h3>History</h3>
          <ol className="timeline" aria-label="Booking history">
            {history.data?.events.map((e, index) => (
              <li key={index} className={`tl-${e.kind}`}>
                <time>{formatDateTime(e.at)}</time>
                <span>
                  {e.text}
                  {e.relatedBookingId !== null && (
                    <>
                      {' '}
                      <button type="button" className="link" onClick={() => openBooking(e.relatedBookingId)}>
                        open
                      </button>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ol>
          <ErrorNote error={pdf.error} />
          <div className="drawer-actions">
            <button type="button" className="pdf-button" disabled={pdf.isPending} onClick={() => pdf.mutate()}>
              {pdf.isPending ? t.console.drawer.pdfMaking : t.console.drawer.pdf}
            </button>
            {b.status !== 'cancelled' && (
              <button type="button" onClick={() => setCorrecting(true)}>
                Correct plate…
              </button>
            )}
            {b.status === 'booked' && (
              <button type="button" className="danger" onClick={() => setCancelling(true)}>
                Cancel booking…
              </button>
            )}
          </div>
          {correcting && <CorrectPlateDialog booking={b} onClose={() => setCorrecting(false)} />}
          {cancelling && <CancelDialog booking={b} onClose={() => setCancelling(false)} />}
        </>
      )}
    </aside>
  );
}

function FactPair({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
