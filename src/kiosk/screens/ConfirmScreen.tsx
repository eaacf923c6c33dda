import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { credentials } from '../../api/credentials';
import { useTRPC } from '../../api/trpc';
import { errorCode, errorReason } from '../../lib/errors';
import { fill, useMessages } from '../../i18n';
import { flowStep, useKioskFlow } from '../../stores/kioskFlow';
import { useSlotHold } from '../../stores/slotHold';
import { useLiveSlots, useStoreBooking } from '../data';
import type { Lot } from '../../lib/api-types';
import { useServerNow } from '../../lib/server-clock';
import { ErrorPanel } from '../parts/ErrorPanel';
import { Screen } from '../parts/layout';
import { VehicleIcon } from '../parts/VehicleIcon';
import { durationText } from '../parts/duration';
import { validatePlate } from '../plate';
import { spokenConfirm } from '../a11y/spokenText';
import { useSpoken } from '../a11y/useSpoken';

/** Step 3: everything in one summary with the price, and "Book Selected Slot". */
export function ConfirmScreen({ lot }: { lot: Lot }) {
  const { t, f } = useMessages();
  const trpc = useTRPC();
  const flow = useKioskFlow();
  const step = flowStep('confirm');
  const storeBooking = useStoreBooking();
  const { slots } = useLiveSlots(lot.id);
  const nowMs = useServerNow(1000);
  const slot = slots?.find((candidate) => candidate.id === flow.selectedSlotId);
  const plate = validatePlate(flow.vehicleNumber, t);
  const hold = useSlotHold();
  const advance = flow.bookingType === 'advance';
  const startMs = advance && flow.advanceStartMs !== null ? flow.advanceStartMs : nowMs;
  // The lot's offered stays, each priced by the server. A flat-rate lot offers one: no chooser then.
  const durations = useQuery({
    ...trpc.booking.durations.queryOptions({
      slotId: flow.selectedSlotId ?? 0,
      bookingType: flow.bookingType,
      startTime: advance && flow.advanceStartMs !== null ? new Date(flow.advanceStartMs).toISOString() : undefined,
    }),
    enabled: flow.selectedSlotId !== null,
  });
  const [pickedMinutes, setPickedMinutes] = useState<number | null>(null);
  const options = durations.data?.options ?? [];
  const choosing = options.length > 1;
  const chosen = choosing ? (options.find((option) => option.minutes === (pickedMinutes ?? durations.data?.defaultMinutes)) ?? null) : null;

  const create = useMutation(
    trpc.booking.create.mutationOptions({
      onSuccess: ({ accessToken, ...booking }) => {
        useSlotHold.getState().clear(); // the booking took the hold's place on the server
        credentials.rememberBooking(booking.id, accessToken);
        storeBooking(booking);
        step.showBooking(booking.id);
      },
    }),
  );

  const spokenAdvance = flow.bookingType === 'advance' && flow.advanceStartMs !== null ? flow.advanceStartMs : null;
  const spokenStart = spokenAdvance ?? nowMs;
  const spokenEnd = spokenStart + lot.bookingMinutes * 60_000;
  useSpoken(
    'confirm',
    slot && plate.ok
      ? spokenConfirm(t, {
          slotLabel: slot.label,
          plate: plate.value,
          starts: spokenAdvance !== null ? f.dayTime(spokenStart) : `${t.confirm.now} (${f.time(spokenStart)})`,
          ends: spokenAdvance !== null ? f.dayTime(spokenEnd) : f.time(spokenEnd),
          price: f.money(slot.bookingPrice, lot.currency),
        })
      : t.errors.slotTaken,
  );

  if (!slot || !plate.ok) {
    return (
      <Screen title={t.confirm.title} steps={3}>
        <div className="notice warn" role="alert">
          <p>{t.errors.slotTaken}</p>
          <button type="button" className="button primary" onClick={() => step.go('slots')}>
            {t.expired.pickAnother}
          </button>
        </div>
      </Screen>
    );
  }

  const minutes = chosen?.minutes ?? lot.bookingMinutes;
  const endMs = startMs + minutes * 60_000;
  const price = chosen?.price ?? slot.bookingPrice;
  // Live: the map says the slot went to someone else (only matters for a booking that starts now).
  const takenNow = !advance && !slot.available && !create.isSuccess;
  // A CONFLICT is either the slot (pick another) or the vehicle already booked then (change the time or number).
  const vehicleClash = create.error !== null && errorCode(create.error) === 'CONFLICT' && errorReason(create.error) === 'VEHICLE_BUSY';
  const conflict = create.error !== null && errorCode(create.error) === 'CONFLICT' && !vehicleClash;
  const lostRace = takenNow || conflict;

  const book = () =>
    create.mutate({
      slotId: slot.id,
      vehicleNumber: flow.vehicleNumber,
      bookingType: flow.bookingType,
      startTime: advance ? new Date(startMs).toISOString() : undefined,
      holdToken: hold.slotId === slot.id ? (hold.token ?? undefined) : undefined,
      durationMinutes: chosen ? chosen.minutes : undefined,
    });
  const pickAnother = () => {
    flow.selectSlot(null);
    step.go('slots');
  };

  return (
    <Screen
      title={t.confirm.title}
      steps={3}
      className="confirm"
      actions={
        <>
          <button type="button" className="button secondary" data-keypad-back onClick={() => step.go('vehicle')}>
            {t.nav.back}
          </button>
          <div className="selection-summary">
            <span className="summary-label">{t.confirm.price}</span>
            <span className="summary-price big">{f.money(price, lot.currency)}</span>
          </div>
        </>
      }
    >
      <dl className="summary-card">
        <div className="summary-row slot-row">
          <dt>{t.confirm.slot}</dt>
          <dd>
            <span className="summary-slot">{slot.label}</span>
            <span className="summary-type">
              <VehicleIcon type={slot.vehicleType} />
              {t.vehicleTypes[slot.vehicleType]}
            </span>
          </dd>
        </div>
        <div className="summary-row">
          <dt>{t.confirm.vehicle}</dt>
          <dd className="plate-text">{plate.value}</dd>
        </div>
        <div className="summary-row">
          <dt>{t.confirm.starts}</dt>
          <dd>{advance ? f.dayTime(startMs) : `${t.confirm.now} (${f.time(startMs)})`}</dd>
        </div>
        <div className="summary-row">
          <dt>{t.confirm.ends}</dt>
          <dd>{advance ? f.dayTime(endMs) : f.time(endMs)}</dd>
        </div>
        <div className="summary-row">
          <dt>{t.confirm.duration}</dt>
          <dd>{fill(t.confirm.durationValue, { minutes })}</dd>
        </div>
        <div className="summary-row total">
          <dt>{t.confirm.price}</dt>
          <dd>{f.money(price, lot.currency)}</dd>
        </div>
      </dl>
      {choosing && (
        <fieldset className="duration-choice">
          <legend>{t.confirm.chooseDuration}</legend>
          <div className="duration-options">
            {options.map((option) => {
              const optionEndMs = startMs + option.minutes * 60_000;
              return (
                <button
                  key={option.minutes}
                  type="button"
                  className={`button duration-option${chosen?.minutes === option.minutes ? ' selected' : ''}`}
                  aria-pressed={chosen?.minutes === option.minutes}
                  onClick={() => setPickedMinutes(option.minutes)}
                >
                  <span className="duration-when">
                    {fill(t.confirm.durationOption, {
                      duration: durationText(option.minutes, t),
                      time: advance ? f.dayTime(optionEndMs) : f.time(optionEndMs),
                    })}
                  </span>
                  <span className="duration-price">{f.money(option.price, durations.data?.currency ?? lot.currency)}</span>
                </button>
              );
            })}
          </div>
        </fieldset>
      )}
      {/* The primary action sits under the summary it confirms, not in the bottom corner where
          "Next" was a moment ago and "Done" comes next: a double tap cannot book unseen or skip
          the confirmation (see also the tap shield). */}
      <div className="confirm-primary">
        {lostRace ? (
          <button type="button" className="button primary" onClick={pickAnother}>
            {t.expired.pickAnother}
          </button>
        ) : vehicleClash ? (
          // Booking again would fail the same way: the way forward replaces the button.
          <button type="button" className="button primary" onClick={() => step.go('vehicle')}>
            {t.confirm.change}
          </button>
        ) : (
          <button type="button" className="button primary book" disabled={create.isPending} onClick={book}>
            {create.isPending ? t.confirm.booking : t.confirm.book}
          </button>
        )}
      </div>
      {/* Below the card and the button, so neither moves when a message appears. */}
      <div className="confirm-messages">
        {/* The race loser hears it once: the live map and the server's CONFLICT say the same thing. */}
        {lostRace ? (
          <p className="notice warn" role="alert">
            {fill(hold.lost ? t.confirm.holdLost : t.confirm.slotTakenLive, { label: slot.label })}
          </p>
        ) : (
          create.error && <ErrorPanel error={create.error} />
        )}
      </div>
    </Screen>
  );
}
