import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import type { BookingListItem as Booking } from '../../lib/api-types';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/Notice';
import { ReasonField } from '../ui/ReasonField';

const QUICK_REASONS = ['Driver asked to cancel', 'Vehicle not arrived', 'Wrong slot booked', 'Slot needed for maintenance'];

/** Cancelling frees the slot at once and reaches the driver's screen live; a reason is required. */
export function CancelDialog({ booking, onClose }: { booking: Booking; onClose(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation(
    trpc.booking.cancel.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.bookingAdmin.pathFilter());
        await queryClient.invalidateQueries(trpc.booking.pathFilter());
        onClose();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length >= 3) cancel.mutate({ id: booking.id, reason: reason.trim() });
  };
  return (
    <Dialog
      title={`Cancel booking ${booking.reference}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose}>
            Keep booking
          </button>
          <button type="submit" form="cancel-form" className="danger" disabled={cancel.isPending || reason.trim().length < 3}>
            Cancel booking
          </button>
        </>
      }
    >
      <form id="cancel-form" onSubmit={submit}>
        <p>
          Slot <strong>{booking.slotLabel}</strong> · <span className="mono">{booking.vehicleNumber}</span>. The slot frees at once and the driver's screen
          shows the cancellation. This is recorded in the audit log.
        </p>
        <ReasonField value={reason} onChange={setReason} placeholder="Why is it cancelled?" rows={3} quickReasons={QUICK_REASONS} />
        <ErrorNote error={cancel.error} />
      </form>
    </Dialog>
  );
}
