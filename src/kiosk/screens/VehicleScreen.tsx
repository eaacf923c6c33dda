import { useEffect, useRef, useState } from 'react';
import '../../styles/plate-safety.css';
import { fill, useMessages } from '../../i18n';
import { lotDayStart, lotDays, sameTimeOnDay } from '../../../shared/local-time';
import { lotTimeZone } from '../../i18n/lotClock';
import { flowStep, useKioskFlow } from '../../stores/kioskFlow';
import { useLiveSlots } from '../data';
import type { Lot } from '../../lib/api-types';
import { useServerNow } from '../../lib/server-clock';
import { Screen } from '../parts/layout';
import { PlateKeyboard } from '../parts/PlateKeyboard';
import { PlateReadback } from '../parts/PlateReadback';
import { PLATE_MAX_LENGTH, validatePlate } from '../plate';
import { spokenVehicle } from '../a11y/spokenText';
import { useSpoken } from '../a11y/useSpoken';

const QUARTER = 15 * 60_000;
const DAY = 24 * 60 * 60_000;
const HORIZON = 7 * DAY;

/** Whether an Advance start time can be booked, judged on the server's clock. */
export function advanceProblem(startMs: number | null, nowMs: number): 'tooSoon' | 'tooLate' | null {
  if (startMs === null || startMs <= nowMs) return 'tooSoon';
  if (startMs > nowMs + HORIZON) return 'tooLate';
  return null;
}

/** Step 2: the vehicle number on the on-screen keyboard (validated live), and Now or Later. */
export function VehicleScreen({ lot }: { lot: Lot }) {
  const { t, f, language } = useMessages();
  const flow = useKioskFlow();
  const step = flowStep('vehicle');
  const { slots } = useLiveSlots(lot.id);
  const nowMs = useServerNow(1000);
  const slot = slots?.find((candidate) => candidate.id === flow.selectedSlotId);
  const plate = validatePlate(flow.vehicleNumber, t);
  const problem = flow.bookingType === 'advance' ? advanceProblem(flow.advanceStartMs, nowMs) : null;
  // While the number is still being typed the rule is a neutral hint; it turns into an error once
  // the driver tries to go on, or when no more typing can make the number valid.
  const [triedNext, setTriedNext] = useState(false);
  const plateBad = !plate.ok && (triedNext || plate.hopeless);
  useSpoken(
    'vehicle',
    spokenVehicle(t, {
      typed: flow.vehicleNumber,
      feedback: plate.ok ? fill(t.vehicle.willBook, { value: plate.value }) : plate.message,
      later: flow.bookingType === 'advance',
      slotLabel: slot?.label,
    }),
  );
  // "Next" reads the plate back ("Is this your vehicle?") before the booking is confirmed.
  const [readingBack, setReadingBack] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Someone took the chosen slot while the driver typed: back to the map, which says so.
  useEffect(() => {
    if (slots && !slot) step.go('slots');
  }, [slots, slot, flow]);

  const chooseAdvance = () => {
    flow.setBookingType('advance');
    if (advanceProblem(flow.advanceStartMs, nowMs)) flow.setAdvanceStart(Math.ceil((nowMs + 2 * QUARTER) / QUARTER) * QUARTER);
  };
  const start = flow.advanceStartMs ?? nowMs;
  const shift = (ms: number) => flow.setAdvanceStart(start + ms);
  // Days and times are the lot's (its zone, DST-safe): "Tomorrow 09:00" is 09:00 on the lot's clock.
  const zone = lotTimeZone();
  const days = lotDays(zone, nowMs, 8);
  const startDay = lotDayStart(zone, start);
  const dayName = (dayMs: number, index: number) =>
    index === 0
      ? t.vehicle.today
      : index === 1
        ? t.vehicle.tomorrow
        : new Intl.DateTimeFormat(language === 'hi' ? 'hi-IN' : 'en-IN', { weekday: 'short', day: 'numeric', timeZone: zone }).format(dayMs);

  return (
    <Screen
      title={t.vehicle.title}
      steps={2}
      className="vehicle"
      actions={
        <>
          <button type="button" className="button secondary" data-keypad-back onClick={() => step.go('slots')}>
            {t.nav.back}
          </button>
          <div className="selection-summary">
            {slot && (
              <>
                <span className="summary-label">{fill(t.slots.selected, { label: slot.label })}</span>
                <span className="summary-price">{f.money(slot.bookingPrice, lot.currency)}</span>
              </>
            )}
          </div>
          <button
            type="button"
            className="button primary"
            disabled={problem !== null}
            aria-disabled={!plate.ok || undefined}
            onClick={() => (plate.ok ? setReadingBack(true) : setTriedNext(true))}
          >
            {t.nav.next}
          </button>
        </>
      }
    >
      <div className="vehicle-layout">
        <div className="vehicle-entry">
          <label className="field-label" htmlFor="vehicle-number">
            {t.vehicle.label}
          </label>
          <input
            ref={input}
            id="vehicle-number"
            className={`plate-input ${plate.ok ? 'valid' : plateBad ? 'invalid' : ''}`}
            value={flow.vehicleNumber}
            placeholder={t.vehicle.placeholder}
            inputMode="none"
            autoComplete="off"
            autoCorrect="off"
            spellCheck={false}
            maxLength={PLATE_MAX_LENGTH}
            aria-invalid={plateBad}
            aria-describedby="vehicle-feedback"
            onChange={(event) => flow.setVehicleNumber(event.target.value.toUpperCase())}
          />
          <p id="vehicle-feedback" className={`field-feedback ${plate.ok ? 'ok' : plateBad ? 'bad' : ''}`} aria-live="polite">
            {plate.ok ? fill(t.vehicle.willBook, { value: plate.value }) : plate.message}
          </p>

          <fieldset className="when">
            <legend className="field-label">{t.vehicle.when}</legend>
            <div className="when-options">
              <button
                type="button"
                className={`button option ${flow.bookingType === 'instant' ? 'selected' : ''}`}
                aria-pressed={flow.bookingType === 'instant'}
                onClick={() => flow.setBookingType('instant')}
              >
                <span className="button-title">{t.vehicle.instant}</span>
                <span className="button-hint">{t.vehicle.instantHint}</span>
              </button>
              <button
                type="button"
                className={`button option ${flow.bookingType === 'advance' ? 'selected' : ''}`}
                aria-pressed={flow.bookingType === 'advance'}
                onClick={chooseAdvance}
              >
                <span className="button-title">{t.vehicle.advance}</span>
                <span className="button-hint">{t.vehicle.advanceHint}</span>
              </button>
            </div>
          </fieldset>

          {flow.bookingType === 'advance' && (
            <div className="advance-picker">
              <div className="day-chips" role="group" aria-label={t.vehicle.day}>
                {days.map((dayMs, index) => {
                  const selected = startDay === dayMs;
                  return (
                    <button
                      key={dayMs}
                      type="button"
                      className={selected ? 'button chip selected' : 'button chip'}
                      aria-pressed={selected}
                      onClick={() => flow.setAdvanceStart(sameTimeOnDay(zone, start, dayMs))}
                    >
                      {dayName(dayMs, index)}
                    </button>
                  );
                })}
              </div>
              <div className="time-stepper" role="group" aria-label={t.vehicle.time}>
                <button type="button" className="button stepper" onClick={() => shift(-4 * QUARTER)}>
                  <span aria-hidden="true">−1h</span>
                  <span className="visually-hidden">{t.vehicle.hourEarlier}</span>
                </button>
                <button type="button" className="button stepper" onClick={() => shift(-QUARTER)}>
                  <span aria-hidden="true">−15</span>
                  <span className="visually-hidden">{t.vehicle.earlier}</span>
                </button>
                <output className="time-value" aria-live="polite">
                  {f.time(start)}
                </output>
                <button type="button" className="button stepper" onClick={() => shift(QUARTER)}>
                  <span aria-hidden="true">+15</span>
                  <span className="visually-hidden">{t.vehicle.later}</span>
                </button>
                <button type="button" className="button stepper" onClick={() => shift(4 * QUARTER)}>
                  <span aria-hidden="true">+1h</span>
                  <span className="visually-hidden">{t.vehicle.hourLater}</span>
                </button>
              </div>
              <p className={`field-feedback ${problem ? 'bad' : 'ok'}`} role="status">
                {problem ? t.vehicle[problem] : fill(t.vehicle.startsAt, { when: f.dayTime(start) })}
              </p>
            </div>
          )}
        </div>
        <PlateKeyboard value={flow.vehicleNumber} onChange={flow.setVehicleNumber} maxLength={PLATE_MAX_LENGTH} label={t.vehicle.keyboard} />
      </div>
      {readingBack && plate.ok && (
        <PlateReadback
          value={flow.vehicleNumber}
          lotId={lot.id}
          onConfirm={(chosen) => {
            flow.setVehicleNumber(chosen.replace(/-/g, ' '));
            step.go('confirm');
          }}
          onChange={() => {
            setReadingBack(false);
            input.current?.focus({ preventScroll: true });
          }}
        />
      )}
    </Screen>
  );
}
