import { useEffect } from 'react';
import { useConnection } from '../../api/connection';
import { fill, useMessages } from '../../i18n';
import { VEHICLE_FILTERS } from '../../lib/vehicles';
import { flowStep, useKioskFlow } from '../../stores/kioskFlow';
import { useSlotHold } from '../../stores/slotHold';
import { useLiveSlots } from '../data';
import type { Lot, Slot } from '../../lib/api-types';
import { ErrorPanel } from '../parts/ErrorPanel';
import { Screen } from '../parts/layout';
import { VehicleIcon } from '../parts/VehicleIcon';
import { spokenSlots } from '../a11y/spokenText';
import { useSpoken } from '../a11y/useSpoken';
import { slotReasonAtThisKiosk, useLinkStatus } from '../link';
import { useSlotLabels } from '../parts/LinkBanner';

/** Step 1: the live lot map. Taken slots say when they free; the choice and its price stay visible. */
export function SlotScreen({ lot }: { lot: Lot }) {
  const { t, f } = useMessages();
  const { slots, isPending, error } = useLiveSlots(lot.id);
  const filter = useKioskFlow((state) => state.vehicleFilter);
  const setFilter = useKioskFlow((state) => state.setVehicleFilter);
  const selectedId = useKioskFlow((state) => state.selectedSlotId);
  const selectSlot = useKioskFlow((state) => state.selectSlot);
  const { go } = flowStep('slots');
  const reset = useKioskFlow((state) => state.reset);
  const offline = useConnection((state) => state.offline);
  const heldSlotId = useSlotHold((state) => state.slotId);
  const refusedSlotId = useSlotHold((state) => state.refusedSlotId);

  const link = useLinkStatus();
  const leasedLabels = useSlotLabels(lot.id, link?.state === 'offline-leases' ? link.leasedSlotIds : []);
  // Our own hold (or one being asked for) is our choice, even in a push that still calls it "being booked".
  // Offline on leases, only the slots leased to this kiosk; out of service, none (issue 14).
  const choosable = (slot: Slot) =>
    slotReasonAtThisKiosk(slot.id, link) === null && (slot.available || (slot.id === heldSlotId && slot.enabled && slot.freesAt === null));
  const selected = slots?.find((slot) => slot.id === selectedId);
  // A chosen slot that someone else takes meanwhile is let go, so "Continue" never leads to a dead end.
  useEffect(() => {
    if (selected && !choosable(selected)) selectSlot(null);
  });
  const refused = refusedSlotId === null || selectedId !== null ? undefined : slots?.find((slot) => slot.id === refusedSlotId);

  const present = new Set(slots?.map((slot) => slot.vehicleType));
  const shown = (slots ?? []).filter((slot) => filter === 'all' || slot.vehicleType === filter);
  const anyFree = shown.some(choosable);
  useSpoken('slots', spokenSlots(t, f, { lot, shown, selected, offline }));

  const stateText = (slot: Slot) => {
    const reason = slotReasonAtThisKiosk(slot.id, link);
    return reason && slot.enabled ? t.link.kiosk[reason] : plainStateText(slot);
  };
  const plainStateText = (slot: Slot) =>
    !slot.enabled
      ? t.slots.closed
      : choosable(slot)
        ? t.slots.free
        : slot.freesAt
          ? fill(t.slots.freeAt, { time: f.time(slot.freesAt) })
          : slot.heldUntil
            ? t.slots.beingBooked
            : t.slots.taken;

  return (
    <Screen
      title={t.slots.title}
      steps={1}
      className="slots"
      actions={
        <>
          <button type="button" className="button secondary" data-keypad-back onClick={reset}>
            {t.nav.back}
          </button>
          <div className="selection-summary" aria-live="polite">
            {selected ? (
              <>
                <span className="summary-label">{fill(t.slots.selected, { label: selected.label })}</span>
                <span className="summary-price">
                  {f.money(selected.bookingPrice, lot.currency)} · {fill(t.slots.perBooking, { minutes: lot.bookingMinutes })}
                </span>
              </>
            ) : (
              <span className="summary-hint">{t.slots.noneSelected}</span>
            )}
          </div>
          <button type="button" className="button primary" disabled={!selected} onClick={() => go('vehicle')}>
            {selected ? fill(t.slots.continue, { label: selected.label }) : t.nav.next}
          </button>
        </>
      }
    >
      <div className="slot-toolbar">
        <div className="filters" role="group" aria-label={t.slots.filter}>
          {VEHICLE_FILTERS.filter((type) => type === 'all' || present.has(type)).map((type) => (
            <button
              key={type}
              type="button"
              className={filter === type ? 'button chip selected' : 'button chip'}
              aria-pressed={filter === type}
              onClick={() => setFilter(type)}
            >
              {type !== 'all' && <VehicleIcon type={type} className="chip-icon" />}
              {t.vehicleTypes[type]}
            </button>
          ))}
        </div>
        <div className="legend" aria-hidden="true">
          <span className="legend-item free">{t.slots.legendFree}</span>
          <span className="legend-item taken">{t.slots.legendTaken}</span>
          <span className="legend-item held">{t.slots.beingBooked}</span>
          <span className="legend-item selected">{t.slots.legendSelected}</span>
        </div>
      </div>

      {/* Out of reach is not "no free slots": the map says it may be out of date (the banner says why). */}
      {offline ? (
        <p className="notice warn" role="status" data-testid="slots-offline">
          {t.slots.offline}
        </p>
      ) : (
        error && <ErrorPanel error={error} />
      )}
      {link?.state === 'offline-leases' && link.leaseExpiresAt && (
        <p className="notice warn" role="status" data-testid="slots-leases">
          {fill(t.link.kiosk.slotsOffline, { slots: leasedLabels, time: f.time(link.leaseExpiresAt) })}
        </p>
      )}
      {refused && (
        <p className="notice warn" role="alert" data-testid="slot-held-notice">
          {fill(t.slots.heldByOther, { label: refused.label })}
        </p>
      )}
      {isPending && !offline && (
        <p className="loading" role="status">
          {t.home.loading}
        </p>
      )}
      {!isPending && !offline && !anyFree && (
        <p className="notice" role="status">
          {fill(t.slots.noneFree, { type: filter === 'all' ? '' : t.vehicleTypes[filter] }).replace('  ', ' ')}
        </p>
      )}
      <ul className="slot-grid" aria-label={t.slots.title}>
        {shown.map((slot) => {
          const isSelected = slot.id === selectedId;
          const free = choosable(slot);
          const notHere = slotReasonAtThisKiosk(slot.id, link);
          const held = !free && !notHere && slot.enabled && !slot.freesAt && slot.heldUntil !== null;
          const state = stateText(slot);
          const price = f.money(slot.bookingPrice, lot.currency);
          return (
            <li key={slot.id}>
              <button
                type="button"
                className={`slot ${free ? 'free' : 'taken'}${held ? ' held' : ''}${notHere && slot.enabled ? ' not-here' : ''}${isSelected ? ' selected' : ''}`}
                data-slot={slot.label}
                data-reason={notHere ?? undefined}
                data-held={held || undefined}
                aria-pressed={isSelected}
                aria-disabled={!free}
                onClick={() => free && selectSlot(slot.id)}
              >
                <span className="slot-label">
                  <span className="visually-hidden">{t.slots.slotWord} </span>
                  {slot.label}
                </span>
                <span className="slot-type">
                  <VehicleIcon type={slot.vehicleType} />
                  {t.vehicleTypes[slot.vehicleType]}
                </span>
                <span className="slot-price">{price}</span>
                <span className="slot-state">{state}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </Screen>
  );
}
