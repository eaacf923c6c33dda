import { z } from 'zod';
import { oneOf, VEHICLE_TYPES, type VehicleType } from '../../../shared/vocabulary';
import { isTimeZone } from '../../../shared/local-time';

/**
 * A lot's tariff, one JSON document per saved version (see docs/tariffs.md for the mapping to
 * APDS rate tables and OCPI tariffs). All money is integer minor units of `currency`; all
 * clock times are local times in the lot's IANA zone; all durations are whole minutes.
 */

export const DAYS_OF_WEEK = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** Longest stay the engine prices at all (a month), whatever the tariff says. */
export const PRICE_HORIZON_MINUTES = 31 * 24 * 60;
/** Longest single booking the kiosk may offer (a week). */
export const MAX_OFFERED_MINUTES = 7 * 24 * 60;
/** Largest amount in minor units anywhere in a tariff (ten million units of the currency). */
export const MAX_AMOUNT = 1_000_000_000;

const amount = z
  .int({ error: 'An amount is a whole number of minor units (paise, cents).' })
  .min(0, 'An amount cannot be negative.')
  .max(MAX_AMOUNT, 'That amount is too large.');

const minutes = (max: number, what: string) =>
  z
    .int({ error: `${what} is a whole number of minutes.` })
    .min(1, `${what} is at least 1 minute.`)
    .max(max, `${what} is at most ${max} minutes.`);

export const clockTime = z
  .string({ error: 'Give a time of day as HH:MM.' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Give a time of day as HH:MM, from 00:00 to 23:59.');

export const timeZone = z
  .string({ error: 'Give the time zone as an IANA name, e.g. Asia/Kolkata.' })
  .refine(isTimeZone, 'That is not a time zone this kiosk knows; use an IANA name such as Asia/Kolkata.');

const name = z.string({ error: 'Give a name.' }).trim().min(1, 'Give a name.').max(60, 'A name is at most 60 characters.');

/** Price per hour from `fromMinute` of the stay (counted from its start) until the next tier. */
export const tariffTier = z
  .object({
    fromMinute: z.int({ error: 'A tier starts at a whole minute of the stay.' }).min(0).max(PRICE_HORIZON_MINUTES),
    pricePerHour: amount,
    label: name.optional(),
  })
  .strict();

/**
 * One rate: which vehicles, which local days and times it covers, and its tiers. Rates are
 * tried in order and the first that covers an instant prices it (OCPI's rule), so the list ends
 * with a rate without days or times for each vehicle type.
 */
export const tariffRate = z
  .object({
    name,
    /** Absent: every vehicle type. */
    vehicleTypes: z
      .array(z.enum(VEHICLE_TYPES, { error: `Vehicle type is ${oneOf(VEHICLE_TYPES)}.` }))
      .min(1)
      .optional(),
    /** Absent: every day. For a window crossing midnight, the day the window starts on. */
    daysOfWeek: z
      .array(z.enum(DAYS_OF_WEEK, { error: 'A day is MONDAY to SUNDAY.' }))
      .min(1)
      .optional(),
    /** Local window [startTime, endTime); endTime before startTime wraps past midnight; 00:00 = until midnight. */
    startTime: clockTime.optional(),
    endTime: clockTime.optional(),
    tiers: z.array(tariffTier).min(1, 'A rate needs at least one tier.').max(10),
  })
  .strict()
  .superRefine((rate, ctx) => {
    if ((rate.startTime === undefined) !== (rate.endTime === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'Give both the start and the end of a time window, or neither.', path: ['endTime'] });
    } else if (rate.startTime !== undefined && rate.startTime === rate.endTime) {
      ctx.addIssue({ code: 'custom', message: 'A time window needs different start and end times (leave both out for all day).', path: ['endTime'] });
    }
    if (rate.tiers[0]?.fromMinute !== 0)
      ctx.addIssue({ code: 'custom', message: 'The first tier starts at minute 0 of the stay.', path: ['tiers', 0, 'fromMinute'] });
    rate.tiers.forEach((tier, index) => {
      const previous = rate.tiers[index - 1];
      if (previous && tier.fromMinute <= previous.fromMinute) {
        ctx.addIssue({ code: 'custom', message: 'Tiers must start later and later in the stay.', path: ['tiers', index, 'fromMinute'] });
      }
    });
  });

export const tariffDocument = z
  .object({
    schemaVersion: z.literal(1, { error: 'This kiosk reads tariff documents of schema version 1.' }),
    currency: z.string({ error: 'Give the currency code.' }).regex(/^[A-Z]{3}$/, 'A currency is a three-letter ISO 4217 code, e.g. INR.'),
    /** Time is billed from the start in steps of this many minutes, the last step rounded up. */
    stepMinutes: minutes(24 * 60, 'The charging step'),
    /** The least a stay costs (APDS minValueCollection, OCPI min_price). */
    minimumCharge: amount,
    /** The most one local "day" of a stay costs; a day runs from resetTime to resetTime. */
    dailyCap: z
      .object({ amount: amount.min(1, 'A daily maximum is more than zero.'), resetTime: clockTime })
      .strict()
      .nullable(),
    /** The longest a stay may last, extensions and renewals included (APDS maxTime); null: no limit. */
    maxStayMinutes: minutes(PRICE_HORIZON_MINUTES, 'The maximum stay').nullable(),
    /** What the kiosk offers for one booking: minMinutes to maxMinutes in steps of stepMinutes. */
    durations: z
      .object({
        minMinutes: minutes(MAX_OFFERED_MINUTES, 'The shortest booking'),
        maxMinutes: minutes(MAX_OFFERED_MINUTES, 'The longest booking'),
        stepMinutes: minutes(MAX_OFFERED_MINUTES, 'The duration step'),
        /** Absent: the lot's booking duration. */
        defaultMinutes: minutes(MAX_OFFERED_MINUTES, 'The default booking').optional(),
      })
      .strict(),
    /** After a booking ends its slot stays held this long for the same driver to renew. */
    graceMinutes: z.int({ error: 'The grace period is a whole number of minutes.' }).min(0).max(120, 'The grace period is at most 120 minutes.'),
    rates: z.array(tariffRate).min(1, 'A tariff needs at least one rate.').max(50, 'A tariff has at most 50 rates.'),
  })
  .strict()
  .superRefine((tariff, ctx) => {
    const { durations } = tariff;
    if (durations.minMinutes > durations.maxMinutes) {
      ctx.addIssue({ code: 'custom', message: 'The shortest booking cannot be longer than the longest.', path: ['durations', 'minMinutes'] });
    }
    if (durations.defaultMinutes !== undefined && (durations.defaultMinutes < durations.minMinutes || durations.defaultMinutes > durations.maxMinutes)) {
      ctx.addIssue({ code: 'custom', message: 'The default booking must lie between the shortest and the longest.', path: ['durations', 'defaultMinutes'] });
    }
    if (tariff.maxStayMinutes !== null && durations.maxMinutes > tariff.maxStayMinutes) {
      ctx.addIssue({ code: 'custom', message: 'The longest booking cannot exceed the maximum stay.', path: ['durations', 'maxMinutes'] });
    }
    if (tariff.dailyCap !== null && tariff.minimumCharge > tariff.dailyCap.amount) {
      ctx.addIssue({ code: 'custom', message: 'The minimum charge cannot exceed the daily maximum.', path: ['minimumCharge'] });
    }
    // Every instant must have a price for every vehicle: each type needs a rate that covers all
    // days and times (OCPI needs the same "restriction-free fallback").
    for (const vehicle of VEHICLE_TYPES) {
      const covered = tariff.rates.some(
        (rate) => (rate.vehicleTypes === undefined || rate.vehicleTypes.includes(vehicle)) && rate.daysOfWeek === undefined && rate.startTime === undefined,
      );
      if (!covered) {
        ctx.addIssue({ code: 'custom', message: `Add a rate for all days and times that covers ${vehicle}s (the fallback).`, path: ['rates'] });
      }
    }
  });

export type TariffDocument = z.infer<typeof tariffDocument>;
export type TariffRate = z.infer<typeof tariffRate>;
export type TariffTier = z.infer<typeof tariffTier>;
/** A tariff prices every vehicle type of the vocabulary (shared/vocabulary.ts). */
export type TariffVehicleType = VehicleType;

/** The grace period of a lot that has not set its own (issue 12: "a lot setting, default 10 minutes"); db/schema.ts lots.grace_minutes defaults to it. */
export const DEFAULT_GRACE_MINUTES = 10;

/**
 * Today's rule as a tariff: one price per hour for the slot, one booking of the lot's duration,
 * `Math.round(hourlyPrice * bookingMinutes / 60)` per booking. Priced by priceStay it gives the
 * same amount, so lots that never saved a tariff keep their prices when tariffs arrive.
 */
export function defaultTariffFromFlatRate(
  hourlyPriceMinor: number,
  bookingMinutes: number,
  currency = 'INR',
  graceMinutes = DEFAULT_GRACE_MINUTES,
): TariffDocument {
  return tariffDocument.parse({
    schemaVersion: 1,
    currency,
    // One step per booking: the whole booking is one billed segment, rounded once, as today.
    stepMinutes: bookingMinutes,
    minimumCharge: 0,
    dailyCap: null,
    // Today a renewal chain has no end; the maximum stay keeps it so.
    maxStayMinutes: null,
    durations: { minMinutes: bookingMinutes, maxMinutes: bookingMinutes, stepMinutes: bookingMinutes, defaultMinutes: bookingMinutes },
    // The lot's grace setting (lots.grace_minutes): every lot holds a slot for its driver after the end.
    graceMinutes,
    rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: hourlyPriceMinor }] }],
  } satisfies TariffDocument);
}

export interface SlotPrice {
  vehicleType: TariffVehicleType;
  hourlyPrice: number;
}

/**
 * A first lot tariff from today's per-slot prices, for the console to prefill: one rate per
 * vehicle type at its most common slot price (the lower on a tie), and the rest of today's rule
 * as in defaultTariffFromFlatRate. `uniform` is false when some slot of a type had another
 * price: saving this tariff would change that slot's price, which the owner must be told.
 */
export function lotTariffFromSlotPrices(slots: SlotPrice[], bookingMinutes: number, currency = 'INR'): { tariff: TariffDocument; uniform: boolean } {
  const byType = new Map<TariffVehicleType, Map<number, number>>();
  for (const slot of slots) {
    const counts = byType.get(slot.vehicleType) ?? new Map<number, number>();
    counts.set(slot.hourlyPrice, (counts.get(slot.hourlyPrice) ?? 0) + 1);
    byType.set(slot.vehicleType, counts);
  }
  const commonest = (counts: Map<number, number>) =>
    [...counts.entries()].sort(([priceA, countA], [priceB, countB]) => countB - countA || priceA - priceB)[0]![0];
  const all = new Map<number, number>();
  for (const slot of slots) all.set(slot.hourlyPrice, (all.get(slot.hourlyPrice) ?? 0) + 1);
  const base = defaultTariffFromFlatRate(all.size > 0 ? commonest(all) : 0, bookingMinutes, currency);
  const rates: TariffRate[] = VEHICLE_TYPES.filter((type) => byType.has(type)).map((type) => ({
    name: type,
    vehicleTypes: [type],
    tiers: [{ fromMinute: 0, pricePerHour: commonest(byType.get(type)!) }],
  }));
  const uniform = [...byType.values()].every((counts) => counts.size === 1);
  return { tariff: tariffDocument.parse({ ...base, rates: [...rates, ...base.rates] }), uniform };
}
