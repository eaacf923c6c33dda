import { describe, expect, it } from 'vitest';
import { defaultTariffFromFlatRate, lotTariffFromSlotPrices, tariffDocument, timeZone } from '../../../electron/core/tariffs/model';
import { assertOfferedDuration, isOfferedDuration, offeredDurations, priceExtension } from '../../../electron/core/tariffs/offers';
import { assertWithinMaxStay, priceStay } from '../../../electron/core/tariffs/price';
import { HOUR, MIN, tariff, thrown, utc } from './fixtures';

const base = tariff();
const issues = (doc: unknown) => {
  const result = tariffDocument.safeParse(doc);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('the tariff document schema', () => {
  it('accepts a full tariff and survives a JSON round trip unchanged (it is stored as JSON)', () => {
    const full = tariff({
      minimumCharge: 2000,
      dailyCap: { amount: 30000, resetTime: '02:00' },
      maxStayMinutes: 720,
      durations: { minMinutes: 30, maxMinutes: 480, stepMinutes: 30, defaultMinutes: 60 },
      rates: [
        { name: 'Bikes', vehicleTypes: ['bike'], tiers: [{ fromMinute: 0, pricePerHour: 1000 }] },
        { name: 'Weekend nights', daysOfWeek: ['FRIDAY', 'SATURDAY'], startTime: '20:00', endTime: '06:00', tiers: [{ fromMinute: 0, pricePerHour: 3000 }] },
        {
          name: 'Standard',
          tiers: [
            { fromMinute: 0, pricePerHour: 6000, label: 'first hour' },
            { fromMinute: 60, pricePerHour: 4000 },
          ],
        },
      ],
    });
    expect(tariffDocument.parse(JSON.parse(JSON.stringify(full)))).toEqual(full);
  });

  it.each([
    [
      'no fallback rate for every vehicle',
      { rates: [{ name: 'Cars', vehicleTypes: ['car'], tiers: [{ fromMinute: 0, pricePerHour: 1 }] }] },
      'Add a rate for all days and times that covers bikes (the fallback).',
    ],
    [
      'only a windowed rate',
      { rates: [{ name: 'Day', startTime: '08:00', endTime: '18:00', tiers: [{ fromMinute: 0, pricePerHour: 1 }] }] },
      'Add a rate for all days and times that covers cars (the fallback).',
    ],
    [
      'a window with one end',
      { rates: [{ name: 'x', startTime: '08:00', tiers: [{ fromMinute: 0, pricePerHour: 1 }] }, base.rates[0]] },
      'Give both the start and the end of a time window, or neither.',
    ],
    [
      'an empty window',
      { rates: [{ name: 'x', startTime: '08:00', endTime: '08:00', tiers: [{ fromMinute: 0, pricePerHour: 1 }] }, base.rates[0]] },
      'A time window needs different start and end times (leave both out for all day).',
    ],
    [
      '24:00 as a time',
      { rates: [{ name: 'x', startTime: '08:00', endTime: '24:00', tiers: [{ fromMinute: 0, pricePerHour: 1 }] }, base.rates[0]] },
      'Give a time of day as HH:MM, from 00:00 to 23:59.',
    ],
    ['a first tier after minute 0', { rates: [{ name: 'x', tiers: [{ fromMinute: 30, pricePerHour: 1 }] }] }, 'The first tier starts at minute 0 of the stay.'],
    [
      'tiers out of order',
      {
        rates: [
          {
            name: 'x',
            tiers: [
              { fromMinute: 0, pricePerHour: 1 },
              { fromMinute: 60, pricePerHour: 1 },
              { fromMinute: 60, pricePerHour: 2 },
            ],
          },
        ],
      },
      'Tiers must start later and later in the stay.',
    ],
    [
      'a fractional price',
      { rates: [{ name: 'x', tiers: [{ fromMinute: 0, pricePerHour: 60.5 }] }] },
      'An amount is a whole number of minor units (paise, cents).',
    ],
    ['a negative minimum', { minimumCharge: -1 }, 'An amount cannot be negative.'],
    ['a minimum above the cap', { minimumCharge: 5000, dailyCap: { amount: 4000, resetTime: '00:00' } }, 'The minimum charge cannot exceed the daily maximum.'],
    ['a zero step', { stepMinutes: 0 }, 'The charging step is at least 1 minute.'],
    ['shortest above longest', { durations: { minMinutes: 60, maxMinutes: 30, stepMinutes: 15 } }, 'The shortest booking cannot be longer than the longest.'],
    [
      'a default outside the range',
      { durations: { minMinutes: 30, maxMinutes: 60, stepMinutes: 15, defaultMinutes: 90 } },
      'The default booking must lie between the shortest and the longest.',
    ],
    [
      'a longest booking above the maximum stay',
      { maxStayMinutes: 60, durations: { minMinutes: 15, maxMinutes: 120, stepMinutes: 15 } },
      'The longest booking cannot exceed the maximum stay.',
    ],
    ['a lower-case currency', { currency: 'inr' }, 'A currency is a three-letter ISO 4217 code, e.g. INR.'],
    [
      'an unknown vehicle type',
      { rates: [{ name: 'x', vehicleTypes: ['boat'], tiers: [{ fromMinute: 0, pricePerHour: 1 }] }, base.rates[0]] },
      'Vehicle type is car, bike, suv, ev or truck.',
    ],
    [
      'an unknown day',
      { rates: [{ name: 'x', daysOfWeek: ['FUNDAY'], tiers: [{ fromMinute: 0, pricePerHour: 1 }] }, base.rates[0]] },
      'A day is MONDAY to SUNDAY.',
    ],
    ['a grace period of three hours', { graceMinutes: 180 }, 'The grace period is at most 120 minutes.'],
    ['another schema version', { schemaVersion: 2 }, 'This kiosk reads tariff documents of schema version 1.'],
  ])('refuses %s, saying what to fix', (_name, changes, message) => {
    expect(issues({ ...base, ...changes })).toContain(message);
  });

  it('refuses unknown keys (a typo must not be silently ignored)', () => {
    expect(issues({ ...base, dailyMax: 100 }).length).toBeGreaterThan(0);
    expect(issues({ ...base, rates: [{ ...base.rates[0], colour: 'red' }] }).length).toBeGreaterThan(0);
  });

  it('validates IANA time zone names', () => {
    expect(timeZone.safeParse('Asia/Kolkata').success).toBe(true);
    expect(timeZone.safeParse('Europe/London').success).toBe(true);
    expect(timeZone.safeParse('Asia/Calcutta-ish').success).toBe(false);
    expect(timeZone.safeParse('').success).toBe(false);
  });
});

describe("defaultTariffFromFlatRate reproduces today's price", () => {
  it.each([
    [6000, 60],
    [8000, 60],
    [7000, 45],
    [6001, 45],
    [999, 7],
    [12345, 1440],
    [1, 5],
  ])('%i an hour for a %i-minute booking', (hourly, minutes) => {
    const t = defaultTariffFromFlatRate(hourly, minutes);
    const startMs = utc('2026-01-05T10:07') + 123;
    const p = priceStay(t, { vehicleType: 'suv', startMs, endMs: startMs + minutes * MIN, timeZone: 'Asia/Kolkata' });
    expect(p.amount).toBe(Math.round((hourly * minutes) / 60));
    expect(p.billedEndMs).toBe(startMs + minutes * MIN);
  });

  it('offers exactly the lot duration, has no maximum stay and a 10-minute grace', () => {
    const t = defaultTariffFromFlatRate(6000, 60);
    expect(offeredDurations(t, { vehicleType: 'car', startMs: utc('2026-01-05T10:00'), timeZone: 'UTC', lotBookingMinutes: 60 })).toEqual({
      defaultMinutes: 60,
      options: [{ minutes: 60, endMs: utc('2026-01-05T11:00'), amount: 6000 }],
    });
    expect(t.maxStayMinutes).toBeNull();
    expect(t.graceMinutes).toBe(10);
    expect(() => assertWithinMaxStay(t, 0, 30 * 24 * HOUR)).not.toThrow();
  });
});

describe('priceExtension: the whole extended stay minus the stay so far', () => {
  const tiered = tariff({
    maxStayMinutes: 240,
    durations: { minMinutes: 15, maxMinutes: 240, stepMinutes: 15 },
    rates: [
      {
        name: 'Standard',
        tiers: [
          { fromMinute: 0, pricePerHour: 6000 },
          { fromMinute: 60, pricePerHour: 4000 },
        ],
      },
    ],
  });
  const start = utc('2026-01-05T10:00');

  it('prices the extra hour at the later tier, not the first-hour price', () => {
    const ext = priceExtension(tiered, { vehicleType: 'car', startMs: start, endMs: start + HOUR, newEndMs: start + 2 * HOUR, timeZone: 'UTC' });
    expect(ext.amount).toBe(4000);
    expect(ext.soFar.amount).toBe(6000);
    expect(ext.whole.amount).toBe(10000);
  });

  it('costs nothing more once the day is capped', () => {
    const capped = tariff({ dailyCap: { amount: 10000, resetTime: '00:00' } });
    const ext = priceExtension(capped, { vehicleType: 'car', startMs: start, endMs: start + 2 * HOUR, newEndMs: start + 3 * HOUR, timeZone: 'UTC' });
    expect(ext.amount).toBe(0);
  });

  it('refuses an extension past the maximum stay, and one that does not end later', () => {
    expect(
      thrown(() => priceExtension(tiered, { vehicleType: 'car', startMs: start, endMs: start + 3 * HOUR, newEndMs: start + 4 * HOUR + MIN, timeZone: 'UTC' })),
    ).toMatchObject({
      reason: 'MAX_STAY_EXCEEDED',
    });
    expect(
      thrown(() => priceExtension(tiered, { vehicleType: 'car', startMs: start, endMs: start + HOUR, newEndMs: start + HOUR, timeZone: 'UTC' })).code,
    ).toBe('BAD_REQUEST');
  });

  it('counts the maximum stay from the first start of a renewal chain', () => {
    expect(() => assertWithinMaxStay(tiered, start, start + 4 * HOUR)).not.toThrow();
    expect(thrown(() => assertWithinMaxStay(tiered, start, start + 4 * HOUR + 1))).toMatchObject({ code: 'BAD_REQUEST', reason: 'MAX_STAY_EXCEEDED' });
  });
});

describe('offeredDurations: what the kiosk shows', () => {
  const t = tariff({
    maxStayMinutes: 180,
    durations: { minMinutes: 30, maxMinutes: 180, stepMinutes: 30 },
    rates: [
      {
        name: 'Standard',
        tiers: [
          { fromMinute: 0, pricePerHour: 6000 },
          { fromMinute: 60, pricePerHour: 4000 },
        ],
      },
    ],
  });
  const input = { vehicleType: 'car' as const, startMs: utc('2026-01-05T10:00'), timeZone: 'Asia/Kolkata', lotBookingMinutes: 60 };

  it('lists min to max in steps, each priced by priceStay, with the lot duration preselected', () => {
    const offer = offeredDurations(t, input);
    expect(offer.defaultMinutes).toBe(60);
    expect(offer.options.map((o) => [o.minutes, o.amount])).toEqual([
      [30, 3000],
      [60, 6000],
      [90, 8000],
      [120, 10000],
      [150, 12000],
      [180, 14000],
    ]);
    for (const option of offer.options) {
      expect(option.endMs).toBe(input.startMs + option.minutes * MIN);
      expect(option.amount).toBe(priceStay(t, { ...input, endMs: option.endMs }).amount);
    }
  });

  it("stops at a caller limit (the slot's next booking) and at the maximum stay", () => {
    expect(offeredDurations(t, { ...input, limitMinutes: 100 }).options.map((o) => o.minutes)).toEqual([30, 60, 90]);
    expect(offeredDurations(t, { ...input, limitMinutes: 20 })).toEqual({ defaultMinutes: null, options: [] });
  });

  it('prefers the tariff default; falls back to the longest option below an off-grid lot duration', () => {
    expect(offeredDurations(tariff({ ...t, durations: { ...t.durations, defaultMinutes: 120 } }), input).defaultMinutes).toBe(120);
    expect(offeredDurations(t, { ...input, lotBookingMinutes: 75 }).defaultMinutes).toBe(60);
    expect(offeredDurations(t, { ...input, lotBookingMinutes: 10 }).defaultMinutes).toBe(30);
  });

  it('says which booking lengths are offered', () => {
    expect(isOfferedDuration(t, 90)).toBe(true);
    expect(isOfferedDuration(t, 45)).toBe(false);
    expect(isOfferedDuration(t, 210)).toBe(false);
    expect(thrown(() => assertOfferedDuration(t, 45))).toMatchObject({ code: 'BAD_REQUEST', reason: 'DURATION_NOT_OFFERED' });
  });
});

describe("lotTariffFromSlotPrices: the console's first tariff from today's slot prices", () => {
  const demoSlots = [
    ...Array.from({ length: 8 }, () => ({ vehicleType: 'car' as const, hourlyPrice: 6000 })),
    ...Array.from({ length: 4 }, () => ({ vehicleType: 'suv' as const, hourlyPrice: 8000 })),
    ...Array.from({ length: 4 }, () => ({ vehicleType: 'ev' as const, hourlyPrice: 7000 })),
  ];

  it("keeps every demo slot's price for a booking of the lot duration", () => {
    const { tariff: t, uniform } = lotTariffFromSlotPrices(demoSlots, 45);
    expect(uniform).toBe(true);
    const startMs = utc('2026-01-05T10:00');
    for (const slot of demoSlots) {
      const p = priceStay(t, { vehicleType: slot.vehicleType, startMs, endMs: startMs + 45 * MIN, timeZone: 'Asia/Kolkata' });
      expect(p.amount).toBe(Math.round((slot.hourlyPrice * 45) / 60));
    }
    expect(t.rates.map((r) => r.name)).toEqual(['car', 'suv', 'ev', 'Standard']);
  });

  it('says when slots of one type had different prices (the commonest, then the lower, wins)', () => {
    const { tariff: t, uniform } = lotTariffFromSlotPrices(
      [...demoSlots, { vehicleType: 'car', hourlyPrice: 9000 }, { vehicleType: 'bike', hourlyPrice: 3000 }, { vehicleType: 'bike', hourlyPrice: 2000 }],
      60,
    );
    expect(uniform).toBe(false);
    expect(t.rates.find((r) => r.name === 'car')!.tiers[0]!.pricePerHour).toBe(6000);
    expect(t.rates.find((r) => r.name === 'bike')!.tiers[0]!.pricePerHour).toBe(2000);
  });

  it('gives a valid tariff for a lot without slots', () => {
    expect(lotTariffFromSlotPrices([], 60)).toMatchObject({ uniform: true, tariff: { rates: [{ name: 'Standard' }] } });
  });
});
