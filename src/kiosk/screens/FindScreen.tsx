import { useMutation } from '@tanstack/react-query';
import { credentials } from '../../api/credentials';
import { useTRPC } from '../../api/trpc';
import { useMessages } from '../../i18n';
import { flowStep, useKioskFlow, type FindField } from '../../stores/kioskFlow';
import { useStoreBooking } from '../data';
import { ErrorPanel } from '../parts/ErrorPanel';
import { Screen } from '../parts/layout';
import { PlateKeyboard } from '../parts/PlateKeyboard';
import { PLATE_MAX_LENGTH, validatePlate } from '../plate';
import { spokenFind } from '../a11y/spokenText';
import { useSpoken } from '../a11y/useSpoken';

const REFERENCE_MAX_LENGTH = 16;

/** "Find my booking": reference and vehicle number on the on-screen keyboard. */
export function FindScreen() {
  const { t } = useMessages();
  const trpc = useTRPC();
  const flow = useKioskFlow();
  const storeBooking = useStoreBooking();
  const find = useMutation(
    trpc.booking.find.mutationOptions({
      onSuccess: ({ accessToken, ...booking }) => {
        credentials.rememberBooking(booking.id, accessToken);
        storeBooking(booking);
        flowStep('find').showBooking(booking.id);
      },
    }),
  );
  const plate = validatePlate(flow.findVehicle, t);
  const referenceOk = flow.findReference.trim().length > 0;
  const active = flow.findField;
  const value = active === 'reference' ? flow.findReference : flow.findVehicle;
  useSpoken('find', spokenFind(t, { reference: flow.findReference, vehicle: flow.findVehicle, field: active }));

  const field = (name: FindField, label: string, placeholder: string, current: string, feedback: string | null, bad: boolean) => (
    <div className={`find-field ${active === name ? 'active' : ''}`}>
      <label className="field-label" htmlFor={`find-${name}`}>
        {label}
      </label>
      <input
        id={`find-${name}`}
        className={`plate-input ${bad ? 'invalid' : ''}`}
        value={current}
        placeholder={placeholder}
        inputMode="none"
        autoComplete="off"
        spellCheck={false}
        maxLength={name === 'reference' ? REFERENCE_MAX_LENGTH : PLATE_MAX_LENGTH}
        aria-invalid={bad}
        aria-describedby={feedback ? `find-${name}-feedback` : undefined}
        onFocus={() => flow.setFindField(name)}
        onPointerDown={() => flow.setFindField(name)}
        onChange={(event) => {
          find.reset();
          flow.setFindValue(name, event.target.value.toUpperCase());
        }}
      />
      {feedback && (
        <p id={`find-${name}-feedback`} className={`field-feedback ${bad ? 'bad' : 'ok'}`}>
          {feedback}
        </p>
      )}
    </div>
  );

  return (
    <Screen
      title={t.find.title}
      className="find"
      actions={
        <>
          <button type="button" className="button secondary" data-keypad-back onClick={flow.reset}>
            {t.nav.back}
          </button>
          <div className="selection-summary">
            <span className="summary-hint">{t.find.tapToType}</span>
          </div>
          <button
            type="button"
            className="button primary"
            disabled={!referenceOk || !plate.ok || find.isPending}
            onClick={() => find.mutate({ reference: flow.findReference, vehicleNumber: flow.findVehicle })}
          >
            {find.isPending ? t.find.searching : t.find.submit}
          </button>
        </>
      }
    >
      <div className="find-layout">
        <div className="find-fields">
          {field('reference', t.find.reference, t.find.referencePlaceholder, flow.findReference, null, false)}
          {field(
            'vehicle',
            t.find.vehicle,
            t.find.vehiclePlaceholder,
            flow.findVehicle,
            plate.ok ? null : flow.findVehicle ? plate.message : null,
            !plate.ok && flow.findVehicle !== '',
          )}
          {find.error && <ErrorPanel error={find.error} context={{ overrides: { NOT_FOUND: t.errors.findNotFound } }} />}
        </div>
        <PlateKeyboard
          value={value}
          maxLength={active === 'reference' ? REFERENCE_MAX_LENGTH : PLATE_MAX_LENGTH}
          label={t.vehicle.keyboard}
          onChange={(next) => {
            find.reset();
            flow.setFindValue(active, next);
          }}
        />
      </div>
    </Screen>
  );
}
