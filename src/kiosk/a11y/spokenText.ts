import { fill, type Formatters, type Messages } from '../../i18n';
import type { Booking, Lot, Slot } from '../../lib/api-types';

/**
 * What each screen says when read aloud, built from the same catalog strings the screen shows
 * (so it is always in the driver's language). One function per screen; the screen passes what
 * it has on display and calls `useSpoken` with the result.
 */
const join = (...parts: (string | null | undefined | false)[]) =>
  parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim().replace(/[.…]*$/, ''))
    .map((part) => (/[?!।]$/.test(part) ? part : `${part}.`))
    .join(' ');

/** Letters and digits one by one ("K L 0 7"), so a voice spells a reference instead of guessing a word. */
export const spell = (text: string) =>
  text
    .replace(/[\s-]+/g, '')
    .split('')
    .join(' ');

export function spokenHome(t: Messages, f: Formatters, { lot, cheapest, offline }: { lot: Lot; cheapest: number | null; offline: boolean }) {
  const free = offline
    ? fill(t.home.freeOffline, { free: lot.freeSlots, total: lot.totalSlots })
    : fill(t.home.freeOf, { free: lot.freeSlots, total: lot.totalSlots });
  return join(
    `${t.home.welcome} ${lot.name}`,
    `${t.home.freeNow}: ${free}`,
    lot.freeSlots === 0 && !offline && t.home.full,
    cheapest !== null && `${t.home.book}: ${fill(t.home.bookHint, { minutes: lot.bookingMinutes, price: f.money(cheapest, lot.currency) })}`,
    `${t.home.find}: ${t.home.findHint}`,
    t.a11y.howTo,
  );
}

export function spokenSlots(
  t: Messages,
  f: Formatters,
  { lot, shown, selected, offline }: { lot: Lot; shown: Slot[]; selected: Slot | undefined; offline: boolean },
) {
  const free = shown.filter((slot) => slot.available);
  return join(
    t.slots.title,
    fill(t.steps.label, { n: 1 }),
    offline && t.slots.offline,
    free.length
      ? fill(t.a11y.freeSlots, {
          count: free.length,
          list: free.map((slot) => `${slot.label} ${t.vehicleTypes[slot.vehicleType]} ${f.money(slot.bookingPrice, lot.currency)}`).join(', '),
        })
      : t.a11y.noFreeSlots,
    selected ? `${fill(t.slots.selected, { label: selected.label })}, ${f.money(selected.bookingPrice, lot.currency)}` : t.slots.noneSelected,
    t.a11y.slotsHowTo,
  );
}

export function spokenVehicle(
  t: Messages,
  { typed, feedback, later, slotLabel }: { typed: string; feedback: string; later: boolean; slotLabel: string | undefined },
) {
  return join(
    t.vehicle.title,
    fill(t.steps.label, { n: 2 }),
    slotLabel && fill(t.slots.selected, { label: slotLabel }),
    typed ? fill(t.a11y.typedSoFar, { value: spell(typed) }) : null,
    feedback,
    `${t.vehicle.when} ${later ? t.vehicle.advance : t.vehicle.instant}`,
    t.a11y.vehicleHowTo,
  );
}

export function spokenConfirm(
  t: Messages,
  { slotLabel, plate, starts, ends, price }: { slotLabel: string; plate: string; starts: string; ends: string; price: string },
) {
  return join(
    t.confirm.title,
    fill(t.steps.label, { n: 3 }),
    `${t.confirm.slot} ${slotLabel}`,
    `${t.confirm.vehicle} ${spell(plate)}`,
    `${t.confirm.starts} ${starts}`,
    `${t.confirm.ends} ${ends}`,
    `${t.confirm.price} ${price}`,
    t.a11y.confirmHowTo,
  );
}

export function spokenBooked(t: Messages, f: Formatters, booking: Booking, timeLeft: string) {
  return join(
    t.booking.title,
    `${t.booking.reference}: ${spell(booking.reference)}`,
    `${t.booking.slot} ${booking.slotLabel}`,
    `${t.booking.vehicle} ${spell(booking.vehicleNumber)}`,
    `${t.booking.until} ${f.time(booking.endTime)}`,
    timeLeft,
    `${t.booking.total} ${f.money(booking.totalPrice, booking.currency)}`,
    t.a11y.bookedHowTo,
  );
}

export function spokenExpired(t: Messages, booking: Booking) {
  return join(t.expired.title, fill(t.expired.body, { label: booking.slotLabel }), `${t.booking.reference}: ${spell(booking.reference)}`, t.a11y.expiredHowTo);
}

export function spokenCancelled(t: Messages, booking: Booking) {
  return join(t.cancelled.title, fill(t.cancelled.body, { reference: spell(booking.reference), label: booking.slotLabel }), t.a11y.cancelledHowTo);
}

export function spokenFind(t: Messages, { reference, vehicle, field }: { reference: string; vehicle: string; field: 'reference' | 'vehicle' }) {
  return join(
    t.find.title,
    `${t.find.reference}: ${reference ? spell(reference) : t.a11y.emptyField}`,
    `${t.find.vehicle}: ${vehicle ? spell(vehicle) : t.a11y.emptyField}`,
    fill(t.a11y.typingInto, { field: field === 'reference' ? t.find.reference : t.find.vehicle }),
    t.a11y.findHowTo,
  );
}

export function spokenIdle(t: Messages, seconds: number) {
  return join(t.idle.title, fill(t.idle.body, { seconds }), t.a11y.idleHowTo);
}
