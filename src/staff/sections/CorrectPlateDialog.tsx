import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { groupedPlate } from '../../../shared/plate-lookalikes';
import { checkVehicleNumber } from '../../../shared/plates';
import type { BookingListItem as Booking } from '../../lib/api-types';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/Notice';
import { ReasonField } from '../ui/ReasonField';

const QUICK_REASONS = ['Driver mistyped the plate', 'Plate checked at the vehicle', 'Driver showed the registration'];

/** Staff change a booking's plate at any time, with a reason; it goes into the audit log and the booking's history. */
export function CorrectPlateDialog({ booking, onClose }: { booking: Booking; onClose(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [plate, setPlate] = useState(booking.vehicleNumber);
  const [reason, setReason] = useState('');
  const checked = checkVehicleNumber(plate);
  const changed = checked.ok && checked.value !== booking.vehicleNumber;
  const correct = useMutation(
    trpc.booking.correctPlate.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.bookingAdmin.pathFilter());
        await queryClient.invalidateQueries(trpc.booking.pathFilter());
        onClose();
      },
    }),
  );
  const ready = changed && reason.trim().length >= 3 && !correct.isPending;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) correct.mutate({ id: booking.id, vehicleNumber: plate, reason: reason.trim() });
  };
  return (
    <Dialog
      title={`Correct the plate of ${booking.reference}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Keep plate
          </button>
          <button type="submit" form="correct-plate-form" className="primary" disabled={!ready}>
            Correct plate
          </button>
        </>
      }
    >
      <form id="correct-plate-form" onSubmit={submit}>
        <p>
          Now <span className="mono">{booking.vehicleNumber}</span>, slot <strong>{booking.slotLabel}</strong>. The change is recorded in the booking's history
          and the audit log.
        </p>
        <label className="field">
          <span>Correct plate</span>
          <input className="mono" value={plate} maxLength={20} autoComplete="off" spellCheck={false} onChange={(e) => setPlate(e.target.value.toUpperCase())} />
        </label>
        <p className="muted small-print" aria-live="polite">
          {checked.ok ? (changed ? `Will read ${groupedPlate(checked.value)}` : 'Type the plate as it should be.') : checked.message}
        </p>
        <ReasonField value={reason} onChange={setReason} placeholder="Why is the plate changed?" rows={2} quickReasons={QUICK_REASONS} />
        <ErrorNote error={correct.error} />
      </form>
    </Dialog>
  );
}
