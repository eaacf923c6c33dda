import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAYS_OF_WEEK, defaultTariffFromFlatRate, tariffDocument, type TariffDocument, type TariffRate } from '../../../electron/core/tariffs/model';
import { VEHICLE_TYPES } from '../../../shared/vocabulary';
import { priceExtension } from '../../../electron/core/tariffs/offers';
import { priceStay } from '../../../electron/core/tariffs/price';
import { instantOfWall } from '../../../shared/local-time';
import { HOUR, MIN, utc } from './fixtures';

// Zones with DST (London, New York), half-hour DST (Lord Howe), DST at midnight (Santiago),
// odd fixed offsets (Kolkata +05:30, Kathmandu +05:45) and none, each with instants near its
// 2026 offset changes, so generated stays often cross one.
const ZONE_ANCHORS: [string, string[]][] = [
  ['Europe/London', ['2026-03-29T01:00', '2026-10-25T01:00']],
  ['America/New_York', ['2026-03-08T07:00', '2026-11-01T06:00']],
  ['Australia/Lord_Howe', ['2026-04-04T15:00', '2026-10-03T15:30']],
  ['America/Santiago', ['2026-04-05T03:00', '2026-09-06T04:00']],
  ['Asia/Kolkata', ['2026-01-05T00:00']],
  ['Asia/Kathmandu', ['2026-01-05T00:00']],
  ['UTC', ['2026-01-05T00:00']],
];
const ZONES = ZONE_ANCHORS.map(([zone]) => zone);
const ANCHORS = ZONE_ANCHORS.flatMap(([, anchors]) => anchors.map(utc));
/** A zone and a start up to 12 hours before one of its offset changes (or its anchor). */
const zoneAndStart = fc
  .constantFrom(...ZONE_ANCHORS.flatMap(([zone, anchors]) => anchors.map((a) => [zone, utc(a)] as const)))
  .chain(([zone, anchor]) => fc.integer({ min: 0, max: 12 * 60 }).map((m) => [zone, anchor - m * MIN] as const));

const clock = fc.integer({ min: 0, max: 23 * 60 + 59 }).map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const clockOnQuarter = fc.integer({ min: 0, max: 95 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);

/** Prices per hour are multiples of 60 when `exact`, so every minute costs a whole number of paise. */
function tiersArb(exact: boolean) {
  const price = exact ? fc.integer({ min: 0, max: 300 }).map((p) => p * 60) : fc.integer({ min: 0, max: 20_000 });
  return fc.tuple(price, fc.array(fc.tuple(fc.integer({ min: 1, max: 600 }), price), { maxLength: 2 })).map(([first, later]) => {
    let from = 0;
    return [{ fromMinute: 0, pricePerHour: first }, ...later.map(([gap, p]) => ({ fromMinute: (from += gap), pricePerHour: p }))];
  });
}

function rateArb(exact: boolean, restricted: boolean): fc.Arbitrary<TariffRate> {
  const window = fc.option(
    fc.tuple(fc.oneof(clock, clockOnQuarter), fc.oneof(clock, clockOnQuarter)).filter(([a, b]) => a !== b),
    { nil: undefined },
  );
  return fc
    .record({
      name: fc.constantFrom('A', 'B', 'C', 'D'),
      vehicleTypes: restricted ? fc.option(fc.subarray([...VEHICLE_TYPES], { minLength: 1 }), { nil: undefined }) : fc.constant(undefined),
      daysOfWeek: restricted ? fc.option(fc.subarray([...DAYS_OF_WEEK], { minLength: 1 }), { nil: undefined }) : fc.constant(undefined),
      window: restricted ? window : fc.constant(undefined),
      tiers: tiersArb(exact),
    })
    .map(({ window: w, vehicleTypes, daysOfWeek, ...rest }) => {
      const rate: TariffRate = { ...rest };
      if (vehicleTypes) rate.vehicleTypes = vehicleTypes;
      if (daysOfWeek) rate.daysOfWeek = daysOfWeek;
      if (w) [rate.startTime, rate.endTime] = w;
      return rate;
    });
}

function tariffArb(exact = false): fc.Arbitrary<TariffDocument> {
  return fc
    .record({
      stepMinutes: fc.constantFrom(1, 5, 7, 15, 30, 60),
      minimumCharge: fc.integer({ min: 0, max: 5000 }),
      cap: fc.option(fc.record({ extra: fc.integer({ min: 1, max: 60_000 }), resetTime: fc.oneof(clock, clockOnQuarter) }), { nil: null }),
      restricted: fc.array(rateArb(exact, true), { maxLength: 3 }),
      fallback: rateArb(exact, false),
    })
    .map(({ stepMinutes, minimumCharge, cap, restricted, fallback }) =>
      tariffDocument.parse({
        schemaVersion: 1,
        currency: 'INR',
        stepMinutes,
        minimumCharge,
        dailyCap: cap && { amount: minimumCharge + cap.extra, resetTime: cap.resetTime },
        maxStayMinutes: null,
        durations: { minMinutes: 15, maxMinutes: 1440, stepMinutes: 15 },
        graceMinutes: 10,
        rates: [...restricted, fallback],
      }),
    );
}

/** TARIFF_PROPERTY_SCALE=10 runs every property ten times as often (for a long soak; the default suits `npm test`). */
const runs = (n: number) => Math.max(1, Math.round(n * Number(process.env.TARIFF_PROPERTY_SCALE ?? 1)));

const zone = fc.constantFrom(...ZONES);
const vehicle = fc.constantFrom(...VEHICLE_TYPES);
const start = fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -2 * 24 * HOUR, max: 2 * 24 * HOUR })).map(([a, d]) => a + d);
const length = fc.integer({ min: 1, max: 50 * HOUR });

describe('priceStay properties', () => {
  it('never costs less for a later end (monotone in the end time)', () => {
    fc.assert(
      fc.property(tariffArb(), zone, vehicle, start, length, fc.integer({ min: 0, max: 10 * HOUR }), (t, timeZone, vehicleType, startMs, d1, d2) => {
        const shorter = priceStay(t, { vehicleType, startMs, endMs: startMs + d1, timeZone });
        const longer = priceStay(t, { vehicleType, startMs, endMs: startMs + d1 + d2, timeZone });
        expect(longer.amount).toBeGreaterThanOrEqual(shorter.amount);
      }),
      { numRuns: runs(300) },
    );
  });

  it('charges an extension exactly the difference of the whole-stay prices, never negative', () => {
    fc.assert(
      fc.property(tariffArb(), zone, vehicle, start, length, fc.integer({ min: 1, max: 10 * HOUR }), (t, timeZone, vehicleType, startMs, d1, d2) => {
        const ext = priceExtension(t, { vehicleType, startMs, endMs: startMs + d1, newEndMs: startMs + d1 + d2, timeZone });
        const whole = priceStay(t, { vehicleType, startMs, endMs: startMs + d1 + d2, timeZone }).amount;
        const soFar = priceStay(t, { vehicleType, startMs, endMs: startMs + d1, timeZone }).amount;
        expect(ext.amount).toBe(whole - soFar);
        expect(ext.amount).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: runs(200) },
    );
  });

  it('bills whole steps from the start: the end rounds up to less than one step later, at the same price', () => {
    fc.assert(
      fc.property(tariffArb(), zone, vehicle, start, length, (t, timeZone, vehicleType, startMs, d) => {
        const stepMs = t.stepMinutes * MIN;
        const price = priceStay(t, { vehicleType, startMs, endMs: startMs + d, timeZone });
        expect((price.billedEndMs - startMs) % stepMs).toBe(0);
        expect(price.billedEndMs).toBeGreaterThanOrEqual(startMs + d);
        expect(price.billedEndMs - (startMs + d)).toBeLessThan(stepMs);
        expect(priceStay(t, { vehicleType, startMs, endMs: price.billedEndMs, timeZone }).amount).toBe(price.amount);
      }),
      { numRuns: runs(200) },
    );
  });

  it('has a breakdown that adds up, covers the billed time without gaps, and keeps each day within the cap', () => {
    fc.assert(
      fc.property(tariffArb(), zone, vehicle, start, length, (t, timeZone, vehicleType, startMs, d) => {
        const price = priceStay(t, { vehicleType, startMs, endMs: startMs + d, timeZone });
        expect(price.breakdown.reduce((sum, line) => sum + line.amount, 0)).toBe(price.amount);
        const time = price.breakdown.filter((line) => line.kind === 'time');
        expect(time[0]!.fromMs).toBe(startMs);
        expect(time.at(-1)!.toMs).toBe(price.billedEndMs);
        time.forEach((line, i) => {
          expect(line.toMs).toBeGreaterThan(line.fromMs);
          if (i > 0) expect(line.fromMs).toBe(time[i - 1]!.toMs);
        });
        // Cap days from the reset instants (local-time is tested on its own): no time line crosses
        // one, and each day's time lines plus its cap line come to min(day, cap).
        const charged = price.amount - (price.breakdown.find((line) => line.kind === 'minimum')?.amount ?? 0);
        if (t.dailyCap) {
          const resets = resetInstants(timeZone, t.dailyCap.resetTime, startMs - 26 * HOUR, price.billedEndMs + 26 * HOUR);
          const dayOf = (ms: number) => resets.filter((r) => r <= ms).length;
          const perDay = new Map<number, number>();
          for (const line of time) {
            expect(dayOf(line.toMs - 1)).toBe(dayOf(line.fromMs));
            perDay.set(dayOf(line.fromMs), (perDay.get(dayOf(line.fromMs)) ?? 0) + line.amount);
          }
          for (const line of price.breakdown.filter((l) => l.kind === 'dailyCap')) {
            const day = dayOf(line.fromMs);
            expect(dayOf(line.toMs - 1)).toBe(day);
            expect(perDay.get(day)! + line.amount).toBe(t.dailyCap.amount);
          }
          const expected = [...perDay.values()].reduce((sum, amount) => sum + Math.min(amount, t.dailyCap!.amount), 0);
          expect(charged).toBe(expected);
          expect(charged).toBeLessThanOrEqual(t.dailyCap.amount * perDay.size);
        } else {
          expect(price.breakdown.some((line) => line.kind === 'dailyCap')).toBe(false);
        }
        expect(price.amount).toBeGreaterThanOrEqual(t.minimumCharge);
        expect(price.amount).toBe(Math.max(charged, t.minimumCharge));
      }),
      { numRuns: runs(200) },
    );
  });

  it('agrees with a minute-by-minute reading of the wall clock (independent oracle via Intl, any zone)', () => {
    fc.assert(
      fc.property(tariffArb(true), zoneAndStart, vehicle, fc.integer({ min: 1, max: 24 * 60 }), (t, [timeZone, startMs], vehicleType, minutes) => {
        const price = priceStay(t, { vehicleType, startMs, endMs: startMs + minutes * MIN, timeZone });
        expect(price.amount).toBe(oraclePrice(t, vehicleType, startMs, price.billedEndMs, timeZone));
      }),
      { numRuns: runs(60) },
    );
  }, 180_000);

  it("defaultTariffFromFlatRate gives today's Math.round(hourlyPrice * bookingMinutes / 60) at any start", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 5, max: 1440 }), start, zone, (hourly, minutes, startMs, timeZone) => {
        const price = priceStay(defaultTariffFromFlatRate(hourly, minutes), { vehicleType: 'car', startMs, endMs: startMs + minutes * MIN, timeZone });
        expect(price.amount).toBe(Math.round((hourly * minutes) / 60));
      }),
      { numRuns: runs(300) },
    );
  });
});

// ---- The oracle: read the local clock for every minute with its own Intl formatter. ----

const oracleFormatters = new Map<string, Intl.DateTimeFormat>();
function localReading(zone: string, ms: number): { date: string; weekday: number; minuteOfDay: number } {
  let f = oracleFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'long',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    oracleFormatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: DAYS_OF_WEEK.indexOf(String(parts.weekday).toUpperCase() as (typeof DAYS_OF_WEEK)[number]),
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const clockMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

function covers(rate: TariffRate, vehicleType: string, weekday: number, minuteOfDay: number): boolean {
  if (rate.vehicleTypes && !rate.vehicleTypes.includes(vehicleType as never)) return false;
  let day = weekday;
  if (rate.startTime && rate.endTime) {
    const [s, e] = [clockMinutes(rate.startTime), clockMinutes(rate.endTime)];
    const inside = s < e ? minuteOfDay >= s && minuteOfDay < e : minuteOfDay >= s || minuteOfDay < e;
    if (!inside) return false;
    if (s > e && minuteOfDay < e) day = (weekday + 6) % 7;
  }
  return !rate.daysOfWeek || rate.daysOfWeek.includes(DAYS_OF_WEEK[day]!);
}

function oraclePrice(t: TariffDocument, vehicleType: string, startMs: number, billedEndMs: number, zone: string): number {
  // Cap days: a new one begins the first minute the clock reads the reset time or later on a new date.
  // Start reading a day early so the day the stay starts in is known.
  const reset = t.dailyCap ? clockMinutes(t.dailyCap.resetTime) : 0;
  let lastResetDate = '';
  const capDayAt = new Map<number, number>();
  let capDay = 0;
  for (let ms = startMs - 26 * HOUR; ms < billedEndMs; ms += MIN) {
    const r = localReading(zone, ms);
    if (r.minuteOfDay >= reset && r.date > lastResetDate) {
      lastResetDate = r.date;
      capDay += 1;
    }
    if (ms >= startMs) capDayAt.set(ms, capDay);
  }
  const perDay = new Map<number, number>();
  for (let ms = startMs; ms < billedEndMs; ms += MIN) {
    const r = localReading(zone, ms);
    const rate = t.rates.find((candidate) => covers(candidate, vehicleType, r.weekday, r.minuteOfDay))!;
    const elapsed = (ms - startMs) / MIN;
    const tier = [...rate.tiers].reverse().find((candidate) => candidate.fromMinute <= elapsed)!;
    const day = capDayAt.get(ms)!;
    perDay.set(day, (perDay.get(day) ?? 0) + tier.pricePerHour / 60);
  }
  let total = 0;
  for (const amount of perDay.values()) total += t.dailyCap ? Math.min(amount, t.dailyCap.amount) : amount;
  return Math.max(total, t.minimumCharge);
}

/** The first instant of each local date the clock reads the reset time or later, over a span. */
function resetInstants(zone: string, resetTime: string, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let day = Math.floor(fromMs / (24 * HOUR)) * 24 * HOUR; day <= toMs; day += 24 * HOUR) {
    const at = instantOfWall(zone, day + clockMinutes(resetTime) * MIN);
    if (out.length === 0 || at > out[out.length - 1]!) out.push(at);
  }
  return out;
}
