import { fail } from '../shared/errors';
import { MINUTE_MS } from '../../../shared/local-time';
import type { TariffDocument, TariffVehicleType } from './model';
import { priceStay, type StayPrice } from './price';

export interface ExtensionInput {
  vehicleType: TariffVehicleType;
  /** The stay's start: tiers and caps count from here, not from the extension. */
  startMs: number;
  /** The current end. */
  endMs: number;
  newEndMs: number;
  timeZone: string;
}

export interface ExtensionPrice {
  /** What the extension costs: the whole extended stay minus the stay so far. */
  amount: number;
  soFar: StayPrice;
  whole: StayPrice;
}

/** An extension is priced as part of the stay, so its tiers and caps are the stay's (one rule: priceStay). */
export function priceExtension(tariff: TariffDocument, input: ExtensionInput): ExtensionPrice {
  if (!(input.newEndMs > input.endMs)) fail('BAD_REQUEST', 'An extension must end later than the booking does now.');
  const stay = { vehicleType: input.vehicleType, startMs: input.startMs, timeZone: input.timeZone };
  const whole = priceStay(tariff, { ...stay, endMs: input.newEndMs });
  const soFar = priceStay(tariff, { ...stay, endMs: input.endMs });
  return { amount: whole.amount - soFar.amount, soFar, whole };
}

export interface DurationOption {
  minutes: number;
  endMs: number;
  amount: number;
}

export interface DurationOffer {
  /** The option the kiosk preselects; null when nothing can be offered. */
  defaultMinutes: number | null;
  options: DurationOption[];
}

export interface DurationOfferInput {
  vehicleType: TariffVehicleType;
  startMs: number;
  timeZone: string;
  /** The lot's booking duration: the default when the tariff names none. */
  lotBookingMinutes: number;
  /** A tighter bound from the caller, e.g. minutes until the slot's next booking. */
  limitMinutes?: number;
}

/** Whether the kiosk offers this booking length: from the shortest to the longest, in the tariff's steps. */
export function isOfferedDuration(tariff: TariffDocument, minutes: number): boolean {
  const { minMinutes, maxMinutes, stepMinutes } = tariff.durations;
  return Number.isInteger(minutes) && minutes >= minMinutes && minutes <= maxMinutes && (minutes - minMinutes) % stepMinutes === 0;
}

export function assertOfferedDuration(tariff: TariffDocument, minutes: number): void {
  if (!isOfferedDuration(tariff, minutes)) {
    const { minMinutes, maxMinutes, stepMinutes } = tariff.durations;
    fail('BAD_REQUEST', `Choose a stay from ${minMinutes} to ${maxMinutes} minutes, in steps of ${stepMinutes} minutes.`, {
      reason: 'DURATION_NOT_OFFERED',
      maxMinutes,
      stepMinutes,
    });
  }
}

/** The durations the kiosk shows, each with the price priceStay gives it, and the one to preselect. */
export function offeredDurations(tariff: TariffDocument, input: DurationOfferInput): DurationOffer {
  const { minMinutes, maxMinutes, stepMinutes } = tariff.durations;
  const upper = Math.min(maxMinutes, tariff.maxStayMinutes ?? maxMinutes, input.limitMinutes ?? maxMinutes);
  const options: DurationOption[] = [];
  for (let minutes = minMinutes; minutes <= upper; minutes += stepMinutes) {
    const endMs = input.startMs + minutes * MINUTE_MS;
    const { amount } = priceStay(tariff, { vehicleType: input.vehicleType, startMs: input.startMs, endMs, timeZone: input.timeZone });
    options.push({ minutes, endMs, amount });
  }
  const wanted = tariff.durations.defaultMinutes ?? input.lotBookingMinutes;
  // The wanted default if offered, else the longest option below it, else the shortest.
  const below = options.filter((option) => option.minutes <= wanted);
  const chosen = below[below.length - 1] ?? options[0];
  return { defaultMinutes: chosen?.minutes ?? null, options };
}
