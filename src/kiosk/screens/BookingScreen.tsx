import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { credentials } from '../../api/credentials';
import { useTRPC } from '../../api/trpc';
import { errorCode, errorReason } from '../../lib/errors';
import { fill, useMessages, type Formatters } from '../../i18n';
import { flowStep, useKioskFlow } from '../../stores/kioskFlow';
import { useLiveBooking, useStoreBooking } from '../data';
import { useLinkStatus } from '../link';
import type { Booking, Lot } from '../../lib/api-types';
import { useServerNow } from '../../lib/server-clock';
import { ErrorPanel } from '../parts/ErrorPanel';
import { ReceiptPrint, ReceiptQr, useReceipt } from '../parts/Receipt';
import { PlateCorrection } from '../parts/PlateCorrection';
import { useDialogEntry, useScreenEntry } from '../parts/layout';
import { StatusIcon } from '../parts/StatusIcon';
import { useResetKiosk } from '../useResetKiosk';
import { spokenBooked, spokenCancelled, spokenExpired } from '../a11y/spokenText';
import { useSpoken } from '../a11y/useSpoken';
import { durationText } from '../parts/duration';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * What a cancel does to a car wash, from the booking itself: the wash goes with the booking,
 * and a cancelled booking (wash included) is not charged (revenue counts no cancelled booking).
 * Null when the booking has no car wash.
 */
function carWashNote(booking: Booking, template: string, f: Formatters): string | null {
  const wash = booking.addOns.find((addOn) => addOn.kind === 'car_wash');
  if (!wash) return null;
  return fill(template, { price: f.money(wash.price, booking.currency), total: f.money(booking.totalPrice, booking.currency) });
}

/** The confirmation, kept live by `booking.watch`; it turns into "expired" or "cancelled" by itself. */
export function BookingScreen({ lot, bookingId }: { lot: Lot; bookingId: number }) {
  const { t } = useMessages();
  const { booking, error, refresh } = useLiveBooking(bookingId);
  const exit = useResetKiosk();
  const storeBooking = useStoreBooking();
  // A sale a satellite kiosk made off line becomes the hub's once it is back, under the hub's
  // id: the screen follows it there (same token; the kiosk's server speaks for it). The token
  // is filed under the new id during render, before the views below ask for anything by it.
  const handedOver = booking !== undefined && booking.id !== bookingId;
  if (handedOver) credentials.followBooking(bookingId, booking.id);
  useEffect(() => {
    if (!handedOver || !booking) return;
    storeBooking(booking);
    flowStep('booking').showBooking(booking.id);
  }, [handedOver, booking, storeBooking]);

  if (!booking) {
    return (
      <section className="screen booking" aria-labelledby="screen-title">
        <h1 id="screen-title" className="visually-hidden">
          {t.booking.title}
        </h1>
        {error ? (
          <ErrorPanel error={error}>
            <button type="button" className="button primary" onClick={exit}>
              {t.expired.exit}
            </button>
          </ErrorPanel>
        ) : (
          <p className="loading" role="status">
            {t.booking.loading}
          </p>
        )}
      </section>
    );
  }
  // Keyed by the reference, not the id: a satellite's off-line sale keeps its reference when it
  // moves to the hub under a new id, and the screen (an open dialog included) stays as it is.
  if (booking.status === 'completed') return <ExpiredView key={booking.reference} booking={booking} lot={lot} />;
  if (booking.status === 'cancelled') return <CancelledView booking={booking} />;
  return <ActiveView key={booking.reference} booking={booking} lot={lot} refresh={refresh} />;
}

function ActiveView({ booking, lot, refresh }: { booking: Booking; lot: Lot; refresh(): void }) {
  const { t, f } = useMessages();
  const trpc = useTRPC();
  const storeBooking = useStoreBooking();
  const exit = useResetKiosk();
  const heading = useScreenEntry();
  const [askCancel, setAskCancel] = useState(false);
  const keepButton = useRef<HTMLButtonElement>(null);
  const receipt = useReceipt(booking);

  // The countdown is the server's end time minus the server's "now" (one estimate for the whole
  // kiosk, see lib/server-clock.ts), recomputed on every tick, so it cannot drift.
  const nowMs = useServerNow(250);
  const startMs = Date.parse(booking.startTime);
  const endMs = Date.parse(booking.endTime);
  const { notStarted, left } = useSteadyCountdown(booking, nowMs, startMs, endMs);
  const reachedZero = !notStarted && left === 0;

  // At zero, ask at once (and each second until the server agrees) instead of waiting for
  // the next heartbeat; the answer that says "completed" switches the screen.
  useEffect(() => {
    if (!reachedZero) return undefined;
    refresh();
    const again = setInterval(refresh, 1_000);
    return () => clearInterval(again);
  }, [reachedZero, refresh]);
  useEffect(() => {
    if (askCancel) keepButton.current?.focus();
  }, [askCancel]);
  useDialogEntry(askCancel);

  const addCarWash = useMutation(trpc.booking.addCarWash.mutationOptions({ onSuccess: storeBooking }));
  // A satellite kiosk cut off from the lot's main kiosk: no car wash to sell, no signed receipt yet (both are the hub's).
  const link = useLinkStatus();
  const hubOut = link !== undefined && link.state !== 'online';
  const cancel = useMutation(
    trpc.booking.cancel.mutationOptions({
      onSuccess: (updated) => {
        setAskCancel(false);
        storeBooking(updated);
      },
      onError: () => setAskCancel(false),
    }),
  );
  const [extendOpen, setExtendOpen] = useState(false);
  const extendOptions = useQuery(trpc.booking.extendOptions.queryOptions({ id: booking.id }));
  // A new end (an extension, pushed by booking.watch) changes what can still be added.
  const refetchOptions = extendOptions.refetch;
  useEffect(() => {
    void refetchOptions();
  }, [booking.endTime, refetchOptions]);
  const canExtend = !reachedZero && (extendOptions.data?.options.length ?? 0) > 0;
  const extendBlocked = extendOptions.data?.unavailableReason ?? null;
  const hasCarWash = booking.addOns.some((addOn) => addOn.kind === 'car_wash');
  const hours = Math.floor(left / 3600);
  const minutes = Math.floor((left % 3600) / 60);
  const seconds = left % 60;
  const money = (minor: number) => f.money(minor, booking.currency);
  const when = (iso: string) => (Date.parse(iso) - nowMs > 20 * 3600_000 ? f.dayTime(iso) : f.time(iso));
  useSpoken(
    'booked',
    spokenBooked(t, f, booking, `${notStarted ? t.booking.startsIn : t.booking.timeLeft}: ${fill(t.booking.countdownLabel, { hours, minutes, seconds: 0 })}`),
  );
  useSpoken(
    'cancel-ask',
    `${fill(t.booking.cancelAsk, { reference: booking.reference })} ${fill(t.booking.cancelAskHint, { label: booking.slotLabel })}`,
    'dialog',
    askCancel,
  );

  return (
    <section className="screen booking active" aria-labelledby="screen-title">
      <h1 id="screen-title" ref={heading} className="booking-title" tabIndex={-1}>
        <span className="tick">
          <StatusIcon kind="check" />
        </span>
        {t.booking.title}
      </h1>

      <div className="booking-layout">
        <div className="reference-card">
          <div className="reference-text">
            <p className="field-label" id="reference-label">
              {t.booking.reference}
            </p>
            <p className="reference" aria-labelledby="reference-label" data-testid="reference">
              {booking.reference}
            </p>
            <p className="reference-note">{hubOut ? t.booking.referenceNoteOffline : t.booking.referenceNote}</p>
          </div>
          <ReceiptQr booking={booking} text={receipt?.text} />
        </div>

        <div className={`countdown-card ${reachedZero ? 'ending' : ''}`}>
          <p className="field-label">{notStarted ? t.booking.startsIn : t.booking.timeLeft}</p>
          <p className="countdown" role="timer" data-testid="countdown" aria-label={fill(t.booking.countdownLabel, { hours, minutes, seconds })}>
            {pad(hours)}:{pad(minutes)}:{pad(seconds)}
          </p>
          {reachedZero && (
            <p className="countdown-note" role="status">
              {t.booking.ending}
            </p>
          )}
          {booking.graceEndsAt && (
            <p className="countdown-note grace-note" data-testid="grace-note">
              {fill(t.booking.graceNote, { time: f.time(booking.graceEndsAt) })}
            </p>
          )}
        </div>

        <dl className="summary-card booking-details">
          <div className="summary-row">
            <dt>{t.booking.slot}</dt>
            <dd className="summary-slot">{booking.slotLabel}</dd>
          </div>
          <div className="summary-row">
            <dt>{t.booking.vehicle}</dt>
            <dd className="plate-text">{booking.vehicleNumber}</dd>
          </div>
          <PlateCorrection booking={booking} />
          <div className="summary-row">
            <dt>{t.booking.from}</dt>
            <dd>{when(booking.startTime)}</dd>
          </div>
          <div className="summary-row">
            <dt>{t.booking.until}</dt>
            <dd>{when(booking.endTime)}</dd>
          </div>
          <div className="summary-row">
            <dt>{t.booking.price}</dt>
            <dd>{money(booking.price)}</dd>
          </div>
          <div className="summary-row">
            <dt>{t.booking.addOns}</dt>
            <dd data-testid="add-ons">
              {booking.addOns.length === 0 ? t.booking.noAddOns : booking.addOns.map((addOn) => `${t.booking.carWash} ${money(addOn.price)}`).join(', ')}
            </dd>
          </div>
          <div className="summary-row total">
            <dt>{t.booking.total}</dt>
            <dd data-testid="total">{money(booking.totalPrice)}</dd>
          </div>
        </dl>

        <ReceiptPrint booking={booking} />
      </div>

      {extendBlocked && !canExtend && (
        <p className="notice" role="status" data-testid="extend-unavailable">
          {t.booking[extendBlocked]}
        </p>
      )}
      {(addCarWash.error || cancel.error) && (
        <ErrorPanel error={addCarWash.error ?? cancel.error}>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              addCarWash.reset();
              cancel.reset();
            }}
          >
            {t.errors.dismiss}
          </button>
        </ErrorPanel>
      )}

      {/* Done sits on the left: "Book" (the step before) and "Find booking" are elsewhere, so a
          double tap there cannot press Done before the driver has seen the reference. */}
      <div className="action-bar booking-actions">
        <button type="button" className="button primary" onClick={exit}>
          {t.booking.done}
        </button>
        {!(hubOut && !hasCarWash) && (
          <button
            type="button"
            className="button secondary"
            disabled={hasCarWash || addCarWash.isPending}
            onClick={() => addCarWash.mutate({ id: booking.id })}
          >
            <span className="button-title">{hasCarWash ? `✓ ${t.booking.carWashAdded}` : t.booking.addCarWash}</span>
            {!hasCarWash && <span className="button-hint">{fill(t.booking.carWashPrice, { price: money(lot.carWashPrice) })}</span>}
          </button>
        )}
        {canExtend && (
          <button type="button" className="button secondary" onClick={() => setExtendOpen(true)}>
            {t.booking.extend}
          </button>
        )}
        <button type="button" className="button secondary danger" onClick={() => setAskCancel(true)}>
          {t.booking.cancel}
        </button>
      </div>

      {extendOpen && extendOptions.data && (
        <ExtendChooser
          booking={booking}
          choices={extendOptions.data}
          onClose={() => setExtendOpen(false)}
          onExtended={(updated) => {
            storeBooking(updated);
            setExtendOpen(false);
          }}
        />
      )}

      {askCancel && (
        <div className="modal-backdrop">
          <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="cancel-title" aria-describedby="cancel-body">
            <h2 id="cancel-title">{fill(t.booking.cancelAsk, { reference: booking.reference })}</h2>
            <p id="cancel-body">{fill(t.booking.cancelAskHint, { label: booking.slotLabel })}</p>
            {carWashNote(booking, t.booking.cancelAskCarWash, f) && (
              <p className="cancel-wash" data-testid="cancel-wash">
                {carWashNote(booking, t.booking.cancelAskCarWash, f)}
              </p>
            )}
            <div className="modal-actions">
              <button ref={keepButton} type="button" className="button secondary" data-keypad-back onClick={() => setAskCancel(false)}>
                {t.booking.cancelNo}
              </button>
              <button type="button" className="button primary danger" disabled={cancel.isPending} onClick={() => cancel.mutate({ id: booking.id })}>
                {t.booking.cancelYes}
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

/**
 * What the countdown shows, made steady: an Instant booking (or a renewal) starts when the
 * server made it, so it is never "starts in"; once started it never goes back to "starts in";
 * and within a phase (and one end time) the seconds never go up. The server's clock moving forward (a push that
 * says so) still moves it down at once.
 */
function useSteadyCountdown(booking: Booking, nowMs: number, startMs: number, endMs: number) {
  const shown = useRef<{ started: boolean; left: number; endMs: number } | null>(null);
  const started = booking.bookingType === 'instant' || nowMs >= startMs || shown.current?.started === true;
  let left = Math.max(0, Math.ceil(((started ? endMs : startMs) - nowMs) / 1000));
  // A new end (an extension) is a new countdown: it may jump up, once.
  if (shown.current && shown.current.started === started && shown.current.endMs === endMs) left = Math.min(left, shown.current.left);
  useEffect(() => {
    shown.current = { started, left, endMs };
  });
  return { notStarted: !started, left };
}

type ExtendChoices = { currency: string; options: { minutes: number; endTime: string; price: number }[] };

/** The "Extend" dialog: the offered extensions with their price, one chosen, then confirm. */
function ExtendChooser({
  booking,
  choices,
  onClose,
  onExtended,
}: {
  booking: Booking;
  choices: ExtendChoices;
  onClose(): void;
  onExtended(updated: Booking): void;
}) {
  const { t, f } = useMessages();
  const trpc = useTRPC();
  const [minutes, setMinutes] = useState<number>(choices.options[0]?.minutes ?? 0);
  const extend = useMutation(trpc.booking.extend.mutationOptions({ onSuccess: ({ booking: updated }) => onExtended(updated) }));
  useDialogEntry(true);
  const chosen = choices.options.find((option) => option.minutes === minutes) ?? null;
  const reason = extend.error ? errorReason(extend.error) : undefined;
  const known = reason === 'MAX_STAY_EXCEEDED' || reason === 'SLOT_BOOKED_NEXT' || reason === 'DURATION_NOT_OFFERED' ? reason : null;
  return (
    <div className="modal-backdrop">
      <div className="modal extend-chooser" role="dialog" aria-modal="true" aria-labelledby="extend-title">
        <h2 id="extend-title">{t.booking.extendTitle}</h2>
        <div className="duration-options" role="group" aria-labelledby="extend-title">
          {choices.options.map((option) => (
            <button
              key={option.minutes}
              type="button"
              className={`button duration-option${option.minutes === minutes ? ' selected' : ''}`}
              aria-pressed={option.minutes === minutes}
              onClick={() => {
                setMinutes(option.minutes);
                extend.reset();
              }}
            >
              <span className="duration-when">{fill(t.booking.extendOption, { duration: durationText(option.minutes, t), time: f.time(option.endTime) })}</span>
              <span className="duration-price">{f.money(option.price, choices.currency)}</span>
            </button>
          ))}
        </div>
        {extend.error &&
          (known ? (
            <div className="error-panel" role="alert" data-code={known}>
              <p className="error-text">{t.booking[known]}</p>
            </div>
          ) : (
            <ErrorPanel error={extend.error} />
          ))}
        <div className="modal-actions">
          <button type="button" className="button secondary" onClick={onClose}>
            {t.booking.extendCancel}
          </button>
          <button
            type="button"
            className="button primary"
            disabled={!chosen || extend.isPending}
            onClick={() => chosen && extend.mutate({ id: booking.id, minutes: chosen.minutes })}
          >
            {extend.isPending ? t.booking.extending : fill(t.booking.extendConfirm, { price: f.money(chosen?.price ?? 0, choices.currency) })}
          </button>
        </div>
      </div>
    </div>
  );
}

/** "4:59" to the end of the grace hold, from the server's clock. */
function GraceLeft({ graceEndsAt }: { graceEndsAt: string }) {
  const { t } = useMessages();
  const nowMs = useServerNow(1000);
  const left = Math.max(0, Math.ceil((Date.parse(graceEndsAt) - nowMs) / 1000));
  if (left === 0) return null;
  const text = `${Math.floor(left / 60)}:${pad(left % 60)}`;
  return (
    <p className="notice grace-left" role="timer" data-testid="grace-left">
      {fill(t.expired.graceLeft, { time: text })}
    </p>
  );
}

function ExpiredView({ booking }: { booking: Booking; lot: Lot }) {
  const { t, f } = useMessages();
  const trpc = useTRPC();
  // What Renew would sell: a new Instant stay of the tariff's default length on this slot, priced
  // now (booking.quote is the same rule as renew), not the lot's old flat booking length.
  const renewQuote = useQuery(trpc.booking.quote.queryOptions({ slotId: booking.slotId, bookingType: 'instant' }, { refetchInterval: 30_000, retry: false }));
  const renewMinutes = renewQuote.data ? Math.round((Date.parse(renewQuote.data.endTime) - Date.parse(renewQuote.data.startTime)) / 60_000) : null;
  const flow = useKioskFlow();
  const storeBooking = useStoreBooking();
  const exit = useResetKiosk();
  const renew = useMutation(
    trpc.booking.renew.mutationOptions({
      onSuccess: ({ newBooking, accessToken }) => {
        credentials.rememberBooking(newBooking.id, accessToken);
        storeBooking(newBooking);
        flowStep('booking').showBooking(newBooking.id);
      },
    }),
  );
  const heading = useScreenEntry();
  const slotTaken = renew.error !== null && errorCode(renew.error) === 'CONFLICT';
  const maxStay = renew.error !== null && errorReason(renew.error) === 'MAX_STAY_EXCEEDED';
  const pickAnother = () => {
    flow.setVehicleNumber(booking.vehicleNumber);
    flow.setBookingType('instant');
    flow.selectSlot(null);
    flowStep('booking').go('slots');
  };
  const alreadyRenewed = booking.renewedToId !== null;
  useSpoken('expired', spokenExpired(t, booking));

  return (
    <section className="screen booking expired" aria-labelledby="screen-title">
      <div className="status-hero">
        <span className="status-icon">
          <StatusIcon kind="clock" />
        </span>
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          {t.expired.title}
        </h1>
        <p className="status-body">{fill(t.expired.body, { label: booking.slotLabel })}</p>
        <p className="status-ref">
          {booking.reference} · <span className="plate-text">{booking.vehicleNumber}</span>
        </p>
      </div>
      {alreadyRenewed && (
        <p className="notice" role="status">
          {t.expired.alreadyRenewed}
        </p>
      )}
      {!alreadyRenewed && booking.graceEndsAt && <GraceLeft graceEndsAt={booking.graceEndsAt} />}
      {renew.error &&
        (maxStay ? (
          <div className="error-panel" role="alert" data-code="MAX_STAY_EXCEEDED">
            <p className="error-text">{t.expired.MAX_STAY_EXCEEDED}</p>
          </div>
        ) : slotTaken ? (
          <div className="error-panel" role="alert" data-code="CONFLICT">
            <p className="error-title">{t.errors.title}</p>
            <p className="error-text">{fill(t.expired.slotTaken, { label: booking.slotLabel })}</p>
          </div>
        ) : (
          <ErrorPanel error={renew.error} />
        ))}
      <div className="action-bar status-actions">
        <button type="button" className="button secondary" onClick={exit}>
          {t.expired.exit}
        </button>
        {slotTaken ? (
          <button type="button" className="button primary" onClick={pickAnother}>
            {t.expired.pickAnother}
          </button>
        ) : (
          !alreadyRenewed && (
            <button type="button" className="button primary" disabled={renew.isPending} onClick={() => renew.mutate({ id: booking.id })}>
              <span className="button-title">{renew.isPending ? t.expired.renewing : t.expired.renew}</span>
              {renewQuote.data && renewMinutes !== null && (
                <span className="button-hint" data-testid="renew-hint">
                  {fill(t.expired.renewHint, { minutes: renewMinutes })} · {f.money(renewQuote.data.price, renewQuote.data.currency)}
                </span>
              )}
            </button>
          )
        )}
      </div>
    </section>
  );
}

function CancelledView({ booking }: { booking: Booking }) {
  const { t, f } = useMessages();
  const flow = useKioskFlow();
  const exit = useResetKiosk();
  const heading = useScreenEntry();
  const byStaff = booking.cancelledBy !== null && booking.cancelledBy.startsWith('staff:');
  useSpoken('cancelled', spokenCancelled(t, booking));
  return (
    <section className="screen booking cancelled" aria-labelledby="screen-title">
      <div className="status-hero">
        <span className="status-icon">
          <StatusIcon kind="cross" />
        </span>
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          {t.cancelled.title}
        </h1>
        <p className="status-body">{fill(t.cancelled.body, { reference: booking.reference, label: booking.slotLabel })}</p>
        {carWashNote(booking, t.cancelled.carWash, f) && (
          <p className="status-body" data-testid="cancelled-wash">
            {carWashNote(booking, t.cancelled.carWash, f)}
          </p>
        )}
        {byStaff && <p className="status-body">{t.cancelled.byStaff}</p>}
        {booking.cancelReason && (
          <p className="status-body" lang="en">
            {fill(t.cancelled.reason, { reason: booking.cancelReason })}
          </p>
        )}
      </div>
      <div className="action-bar status-actions">
        <button type="button" className="button secondary" onClick={exit}>
          {t.cancelled.exit}
        </button>
        <button
          type="button"
          className="button primary"
          onClick={() => {
            flow.setVehicleNumber(booking.vehicleNumber);
            flow.selectSlot(null);
            flowStep('booking').go('slots');
          }}
        >
          {t.cancelled.bookAgain}
        </button>
      </div>
    </section>
  );
}
