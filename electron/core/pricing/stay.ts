import type { BookingType } from '../../../shared/vocabulary';
import type { SlotForBooking } from '../bookings/store';
import type { KioskCore } from '../kiosk-core';
import { fail } from '../shared/errors';
import { MINUTE_MS } from '../../../shared/local-time';
import type { TariffDocument, TariffVehicleType } from '../tariffs/model';
import { assertOfferedDuration, offeredDurations, type DurationOption } from '../tariffs/offers';
import { priceStay, type PriceLine, type StayPrice } from '../tariffs/price';
import { currentTariff, type TariffInForce } from './versions';

/** How far ahead an Advance booking may start. */
export const ADVANCE_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

export interface StayRequest {
  bookingType: BookingType;
  startMs?: number;
  durationMinutes?: number;
}

/** A new stay as it would be sold now: the one rule behind booking.quote and booking.create. */
export interface PricedStay extends TariffInForce {
  startMs: number;
  endMs: number;
  /** endMs + the tariff's grace: the hold end stored with the booking. */
  graceUntilMs: number;
  durationMinutes: number;
  price: StayPrice;
}

/** When a requested stay starts, or why it cannot. */
export function stayStart(now: number, request: Pick<StayRequest, 'bookingType' | 'startMs'>): number {
  // A start time with Instant is a caller's mistake; starting "now" instead could charge a
  // driver for an hour they did not ask for.
  if (request.bookingType === 'instant') {
    if (request.startMs !== undefined) fail('BAD_REQUEST', 'An Instant booking starts now: leave out startTime, or choose Advance.');
    return now;
  }
  if (request.startMs === undefined) fail('BAD_REQUEST', 'Choose when an Advance booking starts.');
  const startMs = request.startMs!;
  if (startMs <= now) fail('BAD_REQUEST', 'An Advance booking must start in the future.');
  if (startMs > now + ADVANCE_HORIZON_MS) fail('BAD_REQUEST', 'An Advance booking can start at most 7 days ahead.');
  return startMs;
}

/** The tariff's default length for a new stay: its defaultMinutes if offered, else the lot's, else the nearest offered below, else the shortest. */
export function defaultMinutes(tariff: TariffDocument, lotBookingMinutes: number): number {
  const { minMinutes, maxMinutes, stepMinutes } = tariff.durations;
  const wanted = tariff.durations.defaultMinutes ?? lotBookingMinutes;
  if (wanted < minMinutes) return minMinutes;
  return Math.min(maxMinutes, minMinutes + Math.floor((wanted - minMinutes) / stepMinutes) * stepMinutes);
}

/**
 * The grace hold of a stay under `inForce`: its tariff's graceMinutes. A lot that never saved a
 * tariff is priced by its flat tariff (versions.ts flatTariff), whose grace is the lot's
 * graceMinutes setting (default 10): every lot holds a slot for its driver after the end.
 */
export const graceMs = (inForce: Pick<TariffInForce, 'tariff'>) => inForce.tariff.graceMinutes * MINUTE_MS;

/** Prices a new stay on `slot` at `now` under the lot's current tariff (no writes). */
export function priceNewStay(core: KioskCore, now: number, slot: SlotForBooking, request: StayRequest): PricedStay {
  const startMs = stayStart(now, request);
  const inForce = currentTariff(core, slot);
  const { tariff } = inForce;
  const durationMinutes = request.durationMinutes ?? defaultMinutes(tariff, slot.bookingMinutes);
  assertOfferedDuration(tariff, durationMinutes);
  const endMs = startMs + durationMinutes * MINUTE_MS;
  const price = priceStay(tariff, { vehicleType: slot.vehicleType as TariffVehicleType, startMs, endMs, timeZone: slot.timeZone });
  return { ...inForce, startMs, endMs, graceUntilMs: endMs + graceMs(inForce), durationMinutes, price };
}

/** The durations a new stay on `slot` can have, cut so its hold ends before the slot's next booking. */
export function offeredStays(core: KioskCore, now: number, slot: SlotForBooking, request: Pick<StayRequest, 'bookingType' | 'startMs'>) {
  const startMs = stayStart(now, request);
  const inForce = currentTariff(core, slot);
  const { tariff } = inForce;
  const next = core.bookings.nextHoldStart(slot.id, startMs);
  const limitMinutes = next === null ? undefined : Math.floor((next - startMs - graceMs(inForce)) / MINUTE_MS);
  const offer = offeredDurations(tariff, {
    vehicleType: slot.vehicleType as TariffVehicleType,
    startMs,
    timeZone: slot.timeZone,
    lotBookingMinutes: slot.bookingMinutes,
    limitMinutes: limitMinutes === undefined ? undefined : Math.max(0, limitMinutes),
  });
  return { ...inForce, startMs, offer };
}

/** The wire form of price lines: ISO instants, minor units. */
export interface BreakdownItem {
  from: string;
  to: string;
  description: string;
  amount: number;
  kind: PriceLine['kind'];
}

const iso = (ms: number) => new Date(ms).toISOString();

export const toBreakdown = (lines: readonly PriceLine[]): BreakdownItem[] =>
  lines.map((line) => ({ from: iso(line.fromMs), to: iso(line.toMs), description: line.description, amount: line.amount, kind: line.kind }));

export const toOptions = (options: readonly DurationOption[]) =>
  options.map((option) => ({ minutes: option.minutes, endTime: iso(option.endMs), price: option.amount }));
