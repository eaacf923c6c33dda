import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../../api/trpc';
import { groupedPlate } from '../../../shared/plate-lookalikes';
import { fill, useMessages } from '../../i18n';
import '../../styles/plate-safety.css';
import { useKioskLot, useStoreBooking } from '../data';
import type { Booking } from '../../lib/api-types';
import { useServerNow } from '../../lib/server-clock';
import { PLATE_MAX_LENGTH, validatePlate } from '../plate';
import { ErrorPanel } from './ErrorPanel';
import { useDialogEntry } from './layout';
import { PlateKeyboard } from './PlateKeyboard';
import { PlateReadback } from './PlateReadback';

/**
 * "Wrong plate? Correct it (X min left)" on the confirmation, while the server says the
 * driver's one correction is open (`plateCorrectableUntil`, on the server's clock). A summary
 * row, so it sits right under the plate it corrects.
 */
export function PlateCorrection({ booking }: { booking: Booking }) {
  const { t } = useMessages();
  const nowMs = useServerNow(1000);
  const [open, setOpen] = useState(false);
  const [corrected, setCorrected] = useState<string | null>(null);
  const until = booking.plateCorrectableUntil ? Date.parse(booking.plateCorrectableUntil) : null;
  const leftMs = until === null ? 0 : until - nowMs;
  if (corrected) {
    return (
      <div className="summary-row plate-fix-row">
        <dt className="visually-hidden">{t.booking.vehicle}</dt>
        <dd className="plate-fix-note" role="status" data-testid="plate-corrected">
          {fill(t.correction.done, { plate: groupedPlate(corrected) })}
        </dd>
      </div>
    );
  }
  if (leftMs <= 0 && !open) return null;
  const minutes = Math.ceil(leftMs / 60_000);
  return (
    <div className="summary-row plate-fix-row">
      <dt className="visually-hidden">{t.booking.vehicle}</dt>
      <dd>
        <button type="button" className="button secondary plate-fix" onClick={() => setOpen(true)} data-testid="plate-fix">
          {leftMs < 60_000 ? t.correction.linkLastMinute : fill(t.correction.link, { minutes })}
        </button>
        {open && (
          <CorrectionSheet
            booking={booking}
            onClose={() => setOpen(false)}
            onDone={(plate) => {
              setOpen(false);
              setCorrected(plate);
            }}
          />
        )}
      </dd>
    </div>
  );
}

/** The keyboard again, then the same read-back as before booking, then `booking.correctPlate`. */
function CorrectionSheet({ booking, onClose, onDone }: { booking: Booking; onClose(): void; onDone(plate: string): void }) {
  const { t } = useMessages();
  const trpc = useTRPC();
  const { lot } = useKioskLot();
  const storeBooking = useStoreBooking();
  useDialogEntry(true);
  const [value, setValue] = useState(groupedPlate(booking.vehicleNumber));
  const [readingBack, setReadingBack] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus({ preventScroll: true }), []);
  const plate = validatePlate(value, t);
  const correct = useMutation(
    trpc.booking.correctPlate.mutationOptions({
      onSuccess: (updated) => {
        storeBooking(updated);
        onDone(updated.vehicleNumber);
      },
      onError: () => setReadingBack(false),
    }),
  );
  const unchanged = plate.ok && plate.value === booking.vehicleNumber;

  return (
    <div className="modal-backdrop">
      <div className="modal correction" role="dialog" aria-modal="true" aria-labelledby="correction-title" data-testid="plate-correction">
        <h2 id="correction-title">{t.correction.title}</h2>
        <p>{t.correction.hint}</p>
        <label className="visually-hidden" htmlFor="correct-number">
          {t.vehicle.label}
        </label>
        <input
          ref={input}
          id="correct-number"
          className={`plate-input ${plate.ok && !unchanged ? 'valid' : ''}`}
          value={value}
          inputMode="none"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          maxLength={PLATE_MAX_LENGTH}
          onChange={(event) => setValue(event.target.value.toUpperCase())}
        />
        <p className="field-feedback" aria-live="polite">
          {plate.ok ? fill(t.vehicle.willBook, { value: plate.value }) : plate.message}
        </p>
        <PlateKeyboard value={value} onChange={setValue} maxLength={PLATE_MAX_LENGTH} label={t.vehicle.keyboard} />
        {correct.error && <ErrorPanel error={correct.error} />}
        <div className="modal-actions">
          <button type="button" className="button secondary" onClick={onClose}>
            {fill(t.correction.keep, { plate: groupedPlate(booking.vehicleNumber) })}
          </button>
          <button type="button" className="button primary" disabled={!plate.ok || unchanged} onClick={() => setReadingBack(true)} data-testid="correction-next">
            {t.correction.next}
          </button>
        </div>
      </div>
      {readingBack && plate.ok && lot && (
        <PlateReadback
          value={value}
          lotId={lot.id}
          pending={correct.isPending}
          onConfirm={(chosen) => correct.mutate({ id: booking.id, vehicleNumber: chosen })}
          onChange={() => setReadingBack(false)}
        />
      )}
    </div>
  );
}
