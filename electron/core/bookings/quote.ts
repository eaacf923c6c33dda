import { offeredStays, priceNewStay, toBreakdown, toOptions, type BreakdownItem, type StayRequest } from '../pricing/stay';
import type { KioskCore } from '../kiosk-core';
import { runRead } from '../shared/unit-of-work';
import { bookableSlot } from './service';

export interface Quote {
  startTime: string;
  endTime: string;
  price: number;
  currency: string;
  breakdown: BreakdownItem[];
  tariffVersion: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What booking.create would charge for the same input at this instant (the same priceNewStay). */
export function quoteBooking(core: KioskCore, input: StayRequest & { slotId: number }): Quote {
  return runRead(core, (tx) => {
    const slot = bookableSlot(core, input.slotId);
    const stay = priceNewStay(core, tx.now, slot, input);
    return {
      startTime: iso(stay.startMs),
      endTime: iso(stay.endMs),
      price: stay.price.amount,
      currency: stay.price.currency,
      breakdown: toBreakdown(stay.price.breakdown),
      tariffVersion: stay.version,
    };
  });
}

export interface DurationChoices {
  currency: string;
  tariffVersion: number | null;
  defaultMinutes: number | null;
  options: { minutes: number; endTime: string; price: number }[];
}

/** The stays the kiosk offers on a slot, each priced, cut at the slot's next booking and the maximum stay. */
export function bookingDurations(core: KioskCore, input: Pick<StayRequest, 'bookingType' | 'startMs'> & { slotId: number }): DurationChoices {
  return runRead(core, (tx) => {
    const slot = bookableSlot(core, input.slotId);
    const { tariff, version, offer } = offeredStays(core, tx.now, slot, input);
    const offered = offer.options.some((option) => option.minutes === offer.defaultMinutes);
    return {
      currency: tariff.currency,
      tariffVersion: version,
      defaultMinutes: offered ? offer.defaultMinutes : (offer.options[offer.options.length - 1]?.minutes ?? null),
      options: toOptions(offer.options),
    };
  });
}
