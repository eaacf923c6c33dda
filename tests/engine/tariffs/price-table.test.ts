import { describe, expect, it } from 'vitest';
import type { TariffDocument } from '../../../electron/core/tariffs/model';
import { priceExtension } from '../../../electron/core/tariffs/offers';
import { priceStay } from '../../../electron/core/tariffs/price';
import { tariff, thrown, utc } from './fixtures';

// Hand-computed prices. 2026-01-05 is a Monday; 2026-01-09 a Friday, 01-10 a Saturday, 01-11 a Sunday.
// Amounts are paise: 6000 = ₹60.00.

const tiered = tariff({
  rates: [
    {
      name: 'Standard',
      tiers: [
        { fromMinute: 0, pricePerHour: 6000, label: 'first hour' },
        { fromMinute: 60, pricePerHour: 4000 },
      ],
    },
  ],
});
const dayNight = tariff({
  rates: [
    { name: 'Night', startTime: '22:00', endTime: '06:00', tiers: [{ fromMinute: 0, pricePerHour: 2000 }] },
    { name: 'Day', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] },
  ],
});
const officeHours = tariff({
  rates: [
    { name: 'Office hours', startTime: '08:00', endTime: '18:00', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] },
    { name: 'Off-peak', tiers: [{ fromMinute: 0, pricePerHour: 2000 }] },
  ],
});
const weekend = tariff({
  rates: [
    { name: 'Weekend', daysOfWeek: ['SATURDAY', 'SUNDAY'], tiers: [{ fromMinute: 0, pricePerHour: 3000 }] },
    { name: 'Weekday', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] },
  ],
});
const fridayNight = tariff({
  rates: [
    { name: 'Friday night', daysOfWeek: ['FRIDAY'], startTime: '22:00', endTime: '06:00', tiers: [{ fromMinute: 0, pricePerHour: 1000 }] },
    { name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] },
  ],
});
const byVehicle = tariff({
  rates: [
    { name: 'Bikes', vehicleTypes: ['bike'], tiers: [{ fromMinute: 0, pricePerHour: 2000 }] },
    { name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] },
  ],
});
const capped = tariff({ dailyCap: { amount: 30000, resetTime: '02:00' } });
const dayNightCappedAtMidnight = tariff({ ...dayNight, dailyCap: { amount: 20000, resetTime: '00:00' } });

interface Case {
  name: string;
  tariff: TariffDocument;
  from: string;
  to: string;
  zone?: string;
  vehicle?: 'car' | 'bike';
  amount: number;
  lines?: number[];
}

const cases: Case[] = [
  { name: 'one hour at the hourly price', tariff: tariff(), from: '2026-01-05T10:00', to: '2026-01-05T11:00', amount: 6000 },
  { name: 'one minute is billed as one 15-minute step', tariff: tariff(), from: '2026-01-05T10:00', to: '2026-01-05T10:01', amount: 1500 },
  { name: 'exactly one step', tariff: tariff(), from: '2026-01-05T10:00', to: '2026-01-05T10:15', amount: 1500 },
  { name: 'a minute into the second step bills two', tariff: tariff(), from: '2026-01-05T10:00', to: '2026-01-05T10:16', amount: 3000 },
  {
    name: 'steps count from the start, not the clock: 10:07:30 to 10:30 is 22.5 min, billed 30',
    tariff: tariff(),
    from: '2026-01-05T10:07:30',
    to: '2026-01-05T10:30',
    amount: 3000,
  },
  {
    name: 'tiers: first hour 60, then 1.5 h at 40',
    tariff: tiered,
    from: '2026-01-05T10:00',
    to: '2026-01-05T12:30',
    amount: 6000 + 6000,
    lines: [6000, 6000],
  },
  { name: 'tiers: inside the first hour only', tariff: tiered, from: '2026-01-05T10:00', to: '2026-01-05T10:45', amount: 4500 },
  {
    name: 'minimum charge: 15 min costs 15.00, raised to 20.00',
    tariff: tariff({ minimumCharge: 2000 }),
    from: '2026-01-05T10:00',
    to: '2026-01-05T10:10',
    amount: 2000,
    lines: [1500, 500],
  },
  {
    name: 'minimum charge below the price changes nothing',
    tariff: tariff({ minimumCharge: 2000 }),
    from: '2026-01-05T10:00',
    to: '2026-01-05T11:00',
    amount: 6000,
    lines: [6000],
  },
  {
    name: 'night window crossing midnight: 21-22 day, 22-23 night',
    tariff: dayNight,
    from: '2026-01-05T21:00',
    to: '2026-01-05T23:00',
    amount: 6000 + 2000,
    lines: [6000, 2000],
  },
  {
    name: 'night window after midnight: 05-06 night, 06-07 day',
    tariff: dayNight,
    from: '2026-01-06T05:00',
    to: '2026-01-06T07:00',
    amount: 2000 + 6000,
    lines: [2000, 6000],
  },
  {
    name: 'a whole night across midnight is one line: 23-05',
    tariff: dayNight,
    from: '2026-01-05T23:00',
    to: '2026-01-06T05:00',
    amount: 12000,
    lines: [12000],
  },
  {
    name: 'window edge inside a step: 17:30-18:00 office, 18:00-18:30 off-peak',
    tariff: officeHours,
    from: '2026-01-05T17:30',
    to: '2026-01-05T18:30',
    amount: 3000 + 1000,
    lines: [3000, 1000],
  },
  {
    name: 'day of week: Friday 23:00 to Saturday 01:00',
    tariff: weekend,
    from: '2026-01-09T23:00',
    to: '2026-01-10T01:00',
    amount: 6000 + 3000,
    lines: [6000, 3000],
  },
  { name: 'day of week: all Sunday at the weekend rate', tariff: weekend, from: '2026-01-11T09:00', to: '2026-01-11T13:00', amount: 12000 },
  { name: 'a Friday-night window still applies early Saturday', tariff: fridayNight, from: '2026-01-10T01:00', to: '2026-01-10T02:00', amount: 1000 },
  { name: 'but not early Sunday (that is Saturday night)', tariff: fridayNight, from: '2026-01-11T01:00', to: '2026-01-11T02:00', amount: 6000 },
  { name: 'nor Friday early morning (that is Thursday night)', tariff: fridayNight, from: '2026-01-09T01:00', to: '2026-01-09T02:00', amount: 6000 },
  { name: 'vehicle type: a bike', tariff: byVehicle, vehicle: 'bike', from: '2026-01-05T10:00', to: '2026-01-05T11:00', amount: 2000 },
  { name: 'vehicle type: a car falls back', tariff: byVehicle, vehicle: 'car', from: '2026-01-05T10:00', to: '2026-01-05T11:00', amount: 6000 },
  {
    name: 'daily cap resetting at 02:00: 10:00-02:00 is 16 h (960.00, capped 300.00), 02:00-10:00 is 8 h (480.00, capped 300.00)',
    tariff: capped,
    from: '2026-01-05T10:00',
    to: '2026-01-06T10:00',
    amount: 60000,
    lines: [96000, -66000, 48000, -18000],
  },
  {
    name: 'daily cap: a short stay across the reset pays two days: 20-02 (360.00 → 300.00) + 02-04 (120.00)',
    tariff: capped,
    from: '2026-01-05T20:00',
    to: '2026-01-06T04:00',
    amount: 30000 + 12000,
    lines: [36000, -6000, 12000],
  },
  { name: 'daily cap not reached', tariff: capped, from: '2026-01-05T10:00', to: '2026-01-05T14:00', amount: 24000, lines: [24000] },
  {
    name: 'Kolkata: 21:00 to 08:00 IST next day, day/night (6000 + 8 h × 2000 + 2 h × 6000)',
    tariff: dayNight,
    zone: 'Asia/Kolkata',
    from: '2026-01-05T15:30',
    to: '2026-01-06T02:30',
    amount: 6000 + 16000 + 12000,
    lines: [6000, 16000, 12000],
  },
  {
    name: 'Kolkata, two local days with a cap at local midnight: day 1 21-24 (100.00), day 2 00-08 (240.00 → 200.00)',
    tariff: dayNightCappedAtMidnight,
    zone: 'Asia/Kolkata',
    from: '2026-01-05T15:30',
    to: '2026-01-06T02:30',
    amount: 10000 + 20000,
    lines: [6000, 4000, 12000, 12000, -4000],
  },
  {
    name: 'Kolkata: 07:30-08:30 IST straddles office hours (08:00 IST = 02:30Z)',
    tariff: officeHours,
    zone: 'Asia/Kolkata',
    from: '2026-01-05T02:00',
    to: '2026-01-05T03:00',
    amount: 1000 + 3000,
    lines: [1000, 3000],
  },
  {
    name: 'each line is rounded once: 45 min at 60.01/h is 45.0075 → 45.01',
    tariff: tariff({ rates: [{ name: 'Odd', tiers: [{ fromMinute: 0, pricePerHour: 6001 }] }] }),
    from: '2026-01-05T10:00',
    to: '2026-01-05T10:45',
    amount: 4501,
  },
];

describe('priceStay: hand-computed prices', () => {
  it.each(cases)('$name', (c) => {
    const price = priceStay(c.tariff, { vehicleType: c.vehicle ?? 'car', startMs: utc(c.from), endMs: utc(c.to), timeZone: c.zone ?? 'UTC' });
    expect(price.amount).toBe(c.amount);
    expect(price.breakdown.reduce((sum, line) => sum + line.amount, 0)).toBe(c.amount);
    if (c.lines) expect(price.breakdown.map((line) => line.amount)).toEqual(c.lines);
  });

  it('gives a breakdown with the instants, the rate names and kinds', () => {
    const price = priceStay(tiered, { vehicleType: 'car', startMs: utc('2026-01-05T10:00'), endMs: utc('2026-01-05T12:30'), timeZone: 'UTC' });
    expect(price).toEqual({
      amount: 12000,
      currency: 'INR',
      startMs: utc('2026-01-05T10:00'),
      endMs: utc('2026-01-05T12:30'),
      billedEndMs: utc('2026-01-05T12:30'),
      breakdown: [
        {
          kind: 'time',
          fromMs: utc('2026-01-05T10:00'),
          toMs: utc('2026-01-05T11:00'),
          description: 'Standard · first hour',
          amount: 6000,
          pricePerHour: 6000,
        },
        { kind: 'time', fromMs: utc('2026-01-05T11:00'), toMs: utc('2026-01-05T12:30'), description: 'Standard', amount: 6000, pricePerHour: 4000 },
      ],
    });
  });

  it('reports the billed end when the last step is rounded up', () => {
    const price = priceStay(tariff(), { vehicleType: 'car', startMs: utc('2026-01-05T10:07:30'), endMs: utc('2026-01-05T10:30'), timeZone: 'UTC' });
    expect(price.billedEndMs).toBe(utc('2026-01-05T10:37:30'));
    expect(price.breakdown.at(-1)!.toMs).toBe(utc('2026-01-05T10:37:30'));
  });

  it('puts the cap line on the local day it caps', () => {
    const price = priceStay(capped, { vehicleType: 'car', startMs: utc('2026-01-05T20:00'), endMs: utc('2026-01-06T04:00'), timeZone: 'UTC' });
    expect(price.breakdown[1]).toEqual({
      kind: 'dailyCap',
      fromMs: utc('2026-01-05T20:00'),
      toMs: utc('2026-01-06T02:00'),
      description: 'Daily maximum',
      amount: -6000,
    });
  });
});

describe('priceStay: refusals', () => {
  const fourHours = tariff({ maxStayMinutes: 240, durations: { minMinutes: 15, maxMinutes: 240, stepMinutes: 15 } });

  it('prices a stay of exactly the maximum stay', () => {
    expect(priceStay(fourHours, { vehicleType: 'car', startMs: utc('2026-01-05T10:00'), endMs: utc('2026-01-05T14:00'), timeZone: 'UTC' }).amount).toBe(24000);
  });

  it('refuses a stay longer than the maximum stay, with a stable reason', () => {
    const error = thrown(() => priceStay(fourHours, { vehicleType: 'car', startMs: utc('2026-01-05T10:00'), endMs: utc('2026-01-05T14:01'), timeZone: 'UTC' }));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', reason: 'MAX_STAY_EXCEEDED' });
    expect(error.message).toBe('A stay here can last at most 4 hours.');
  });

  it('refuses an empty or backward stay, an unknown zone, and a stay beyond the pricing horizon', () => {
    const t = tariff();
    const at = utc('2026-01-05T10:00');
    expect(thrown(() => priceStay(t, { vehicleType: 'car', startMs: at, endMs: at, timeZone: 'UTC' })).code).toBe('BAD_REQUEST');
    expect(thrown(() => priceStay(t, { vehicleType: 'car', startMs: at, endMs: at - 1, timeZone: 'UTC' })).code).toBe('BAD_REQUEST');
    expect(thrown(() => priceStay(t, { vehicleType: 'car', startMs: at, endMs: at + 1, timeZone: 'Mars/Olympus' })).code).toBe('BAD_REQUEST');
    expect(thrown(() => priceStay(t, { vehicleType: 'car', startMs: at, endMs: at + 32 * 24 * 3_600_000, timeZone: 'UTC' })).code).toBe('BAD_REQUEST');
    expect(thrown(() => priceStay(t, { vehicleType: 'car', startMs: at + 0.5, endMs: at + 3_600_000, timeZone: 'UTC' })).code).toBe('BAD_REQUEST');
  });
});

describe('the worked example in docs/tariffs.md', () => {
  const demo = tariff({
    stepMinutes: 15,
    minimumCharge: 2000,
    dailyCap: { amount: 30000, resetTime: '02:00' },
    maxStayMinutes: 1440,
    durations: { minMinutes: 30, maxMinutes: 720, stepMinutes: 30, defaultMinutes: 60 },
    rates: [
      { name: 'Bikes', vehicleTypes: ['bike'], tiers: [{ fromMinute: 0, pricePerHour: 2000 }] },
      { name: 'Night', startTime: '22:00', endTime: '06:00', tiers: [{ fromMinute: 0, pricePerHour: 2000 }] },
      { name: 'Weekend', daysOfWeek: ['SATURDAY', 'SUNDAY'], tiers: [{ fromMinute: 0, pricePerHour: 4000 }] },
      {
        name: 'Standard',
        tiers: [
          { fromMinute: 0, pricePerHour: 6000, label: 'first hour' },
          { fromMinute: 60, pricePerHour: 4000, label: 'later hours' },
        ],
      },
    ],
  });
  // A car from Friday 9 January 2026 19:10 IST (13:40Z) to Saturday 03:00 IST (21:30Z).
  const stay = { vehicleType: 'car' as const, startMs: utc('2026-01-09T13:40'), endMs: utc('2026-01-09T21:30'), timeZone: 'Asia/Kolkata' };

  it('costs ₹236.66 in four lines', () => {
    const p = priceStay(demo, stay);
    expect(p.billedEndMs).toBe(utc('2026-01-09T21:40'));
    expect(p.breakdown.map((l) => [l.description, l.fromMs, l.toMs, l.amount])).toEqual([
      ['Standard · first hour', utc('2026-01-09T13:40'), utc('2026-01-09T14:40'), 6000],
      ['Standard · later hours', utc('2026-01-09T14:40'), utc('2026-01-09T16:30'), 7333],
      ['Night', utc('2026-01-09T16:30'), utc('2026-01-09T20:30'), 8000],
      ['Night', utc('2026-01-09T20:30'), utc('2026-01-09T21:40'), 2333],
    ]);
    expect(p.amount).toBe(23666);
  });

  it('an hour more costs ₹20.00', () => {
    expect(priceExtension(demo, { ...stay, newEndMs: stay.endMs + 3_600_000 }).amount).toBe(2000);
  });
});
