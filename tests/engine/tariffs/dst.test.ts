import { describe, expect, it } from 'vitest';
import { instantOfWall, localDateOf, localDay, localDayHours, localHourStarts, offsetTransitions } from '../../../shared/local-time';
import { priceStay } from '../../../electron/core/tariffs/price';
import { HOUR, tariff, utc } from './fixtures';

// 2026 changes: London springs forward at 01:00Z on 29 March (01:00 GMT → 02:00 BST) and falls
// back at 01:00Z on 25 October (02:00 BST → 01:00 GMT). New York springs forward at 07:00Z on
// 8 March (02:00 EST → 03:00 EDT) and falls back at 06:00Z on 1 November (02:00 EDT → 01:00 EST).

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';

const price = (t: ReturnType<typeof tariff>, from: string, to: string, zone: string) =>
  priceStay(t, { vehicleType: 'car', startMs: utc(from), endMs: utc(to), timeZone: zone });

const officeHours = tariff({
  rates: [
    { name: 'Office hours', startTime: '08:00', endTime: '18:00', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] },
    { name: 'Off-peak', tiers: [{ fromMinute: 0, pricePerHour: 1000 }] },
  ],
});

describe('local time on DST days', () => {
  it('finds the offset changes to the millisecond', () => {
    expect(offsetTransitions(LONDON, utc('2026-03-28T00:00'), utc('2026-03-30T00:00'))).toEqual([utc('2026-03-29T01:00')]);
    expect(offsetTransitions(LONDON, utc('2026-10-24T00:00'), utc('2026-10-26T00:00'))).toEqual([utc('2026-10-25T01:00')]);
    expect(offsetTransitions(NEW_YORK, utc('2026-03-01T00:00'), utc('2026-11-30T00:00'))).toEqual([utc('2026-03-08T07:00'), utc('2026-11-01T06:00')]);
    expect(offsetTransitions(KOLKATA, utc('2026-01-01T00:00'), utc('2026-12-31T00:00'))).toEqual([]);
  });

  it('maps a repeated local time to its first pass and a skipped one to the jump', () => {
    expect(instantOfWall(LONDON, utc('2026-10-25T01:30'))).toBe(utc('2026-10-25T00:30'));
    expect(instantOfWall(LONDON, utc('2026-03-29T01:30'))).toBe(utc('2026-03-29T01:00'));
    expect(instantOfWall(NEW_YORK, utc('2026-11-01T01:30'))).toBe(utc('2026-11-01T05:30'));
    expect(instantOfWall(NEW_YORK, utc('2026-03-08T02:30'))).toBe(utc('2026-03-08T07:00'));
    expect(instantOfWall(KOLKATA, utc('2026-01-05T08:00'))).toBe(utc('2026-01-05T02:30'));
  });

  it('has report days of 23 and 25 hours, and 24 in Kolkata', () => {
    expect(localDayHours('2026-03-29', LONDON)).toBe(23);
    expect(localDayHours('2026-10-25', LONDON)).toBe(25);
    expect(localDayHours('2026-06-01', LONDON)).toBe(24);
    expect(localDayHours('2026-03-08', NEW_YORK)).toBe(23);
    expect(localDayHours('2026-11-01', NEW_YORK)).toBe(25);
    expect(localDayHours('2026-03-29', KOLKATA)).toBe(24);
    expect(localHourStarts('2026-03-29', LONDON)).toHaveLength(23);
    expect(localHourStarts('2026-11-01', NEW_YORK)).toHaveLength(25);
    expect(localDay(NEW_YORK, '2026-11-01')).toEqual({ fromMs: utc('2026-11-01T04:00'), toMs: utc('2026-11-02T05:00') });
    expect(localDay(KOLKATA, '2026-01-05')).toEqual({ fromMs: utc('2026-01-04T18:30'), toMs: utc('2026-01-05T18:30') });
  });

  it('handles zones that change at midnight (Santiago) or by half an hour (Lord Howe)', () => {
    // Santiago: the clock goes from 24:00 back to 23:00 on 4 April, and from 00:00 to 01:00 on 6 September.
    expect(localDayHours('2026-04-04', 'America/Santiago')).toBe(25);
    expect(localDay('America/Santiago', '2026-09-06')).toEqual({ fromMs: utc('2026-09-06T04:00'), toMs: utc('2026-09-07T03:00') });
    expect(localDayHours('2026-09-06', 'America/Santiago')).toBe(23);
    expect(localDayHours('2026-04-05', 'Australia/Lord_Howe')).toBe(24.5);
    expect(localDayHours('2026-10-04', 'Australia/Lord_Howe')).toBe(23.5);
  });

  it('names the local date of an instant', () => {
    expect(localDateOf(KOLKATA, utc('2026-01-04T18:29'))).toBe('2026-01-04');
    expect(localDateOf(KOLKATA, utc('2026-01-04T18:30'))).toBe('2026-01-05');
    expect(localDateOf(NEW_YORK, utc('2026-11-02T04:59'))).toBe('2026-11-01');
  });

  it('refuses a malformed date', () => {
    expect(() => localDayHours('2026-02-30', LONDON)).toThrow(RangeError);
    expect(() => localDayHours('5 May', LONDON)).toThrow(RangeError);
  });
});

describe('billing across DST nights is on elapsed time', () => {
  it('London spring forward: 23:00 GMT to 03:00 BST is 3 hours, not 4', () => {
    expect(price(tariff(), '2026-03-28T23:00', '2026-03-29T02:00', LONDON).amount).toBe(3 * 6000);
  });

  it('London fall back: 00:00 BST to 03:00 GMT is 4 hours, not 3', () => {
    expect(price(tariff(), '2026-10-24T23:00', '2026-10-25T03:00', LONDON).amount).toBe(4 * 6000);
  });

  it('New York spring forward and fall back: 00:00 to 04:00 local is 3 h and 5 h', () => {
    expect(price(tariff(), '2026-03-08T05:00', '2026-03-08T08:00', NEW_YORK).amount).toBe(3 * 6000);
    expect(price(tariff(), '2026-11-01T04:00', '2026-11-01T09:00', NEW_YORK).amount).toBe(5 * 6000);
  });
});

describe('"08:00-18:00 local" applies at the right instants on DST days', () => {
  it('London spring day: office hours start at 07:00Z (08:00 BST), not 08:00Z', () => {
    const p = price(officeHours, '2026-03-29T06:00', '2026-03-29T09:00', LONDON);
    expect(p.breakdown.map((l) => [l.description, l.fromMs, l.toMs])).toEqual([
      ['Off-peak', utc('2026-03-29T06:00'), utc('2026-03-29T07:00')],
      ['Office hours', utc('2026-03-29T07:00'), utc('2026-03-29T09:00')],
    ]);
    expect(p.amount).toBe(1000 + 2 * 6000);
    // And end at 17:00Z (18:00 BST).
    expect(price(officeHours, '2026-03-29T16:00', '2026-03-29T18:00', LONDON).amount).toBe(6000 + 1000);
  });

  it('London the day before the change: the same UTC stay starts office hours an hour later', () => {
    expect(price(officeHours, '2026-03-28T06:00', '2026-03-28T09:00', LONDON).amount).toBe(2 * 1000 + 6000);
  });

  it('New York fall-back day: office hours start at 13:00Z (08:00 EST); the day before at 12:00Z (08:00 EDT)', () => {
    const after = price(officeHours, '2026-11-01T12:00', '2026-11-01T14:00', NEW_YORK);
    expect(after.breakdown.map((l) => l.fromMs)).toEqual([utc('2026-11-01T12:00'), utc('2026-11-01T13:00')]);
    expect(after.amount).toBe(1000 + 6000);
    expect(price(officeHours, '2026-10-31T12:00', '2026-10-31T14:00', NEW_YORK).amount).toBe(2 * 6000);
  });

  it('New York spring day: office hours 08:00-18:00 EDT are 12:00Z-22:00Z (the day before, 13:00Z-23:00Z)', () => {
    const p = price(officeHours, '2026-03-08T11:00', '2026-03-08T23:00', NEW_YORK);
    expect(p.breakdown.map((l) => [l.description, l.fromMs, l.toMs])).toEqual([
      ['Off-peak', utc('2026-03-08T11:00'), utc('2026-03-08T12:00')],
      ['Office hours', utc('2026-03-08T12:00'), utc('2026-03-08T22:00')],
      ['Off-peak', utc('2026-03-08T22:00'), utc('2026-03-08T23:00')],
    ]);
    const before = price(officeHours, '2026-03-07T11:00', '2026-03-07T23:00', NEW_YORK);
    expect(before.breakdown.map((l) => l.fromMs)).toEqual([utc('2026-03-07T11:00'), utc('2026-03-07T13:00')]);
    expect(before.amount).toBe(2 * 1000 + 10 * 6000);
  });

  it('London fall-back day: office hours 08:00-18:00 GMT are 08:00Z-18:00Z, after a 25-hour night', () => {
    // From 18:00 BST on Saturday (17:00Z) to 09:00 GMT on Sunday: 16 hours elapsed, 15 off-peak and 1 office.
    const p = price(officeHours, '2026-10-24T17:00', '2026-10-25T09:00', LONDON);
    expect(p.breakdown.map((l) => [l.description, l.fromMs, l.toMs])).toEqual([
      ['Off-peak', utc('2026-10-24T17:00'), utc('2026-10-25T08:00')],
      ['Office hours', utc('2026-10-25T08:00'), utc('2026-10-25T09:00')],
    ]);
    expect(p.amount).toBe(15 * 1000 + 6000);
  });

  it('a window in the repeated hour applies twice on the fall-back night', () => {
    const oneToTwo = tariff({
      rates: [
        { name: 'Small hours', startTime: '01:00', endTime: '02:00', tiers: [{ fromMinute: 0, pricePerHour: 500 }] },
        { name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 1000 }] },
      ],
    });
    // 00:00 EDT to 03:00 EST: 00-01 EDT standard, 01-02 EDT small, 01-02 EST small, 02-03 EST standard.
    const p = price(oneToTwo, '2026-11-01T04:00', '2026-11-01T08:00', NEW_YORK);
    expect(p.amount).toBe(1000 + 500 + 500 + 1000);
    expect(p.breakdown.map((l) => [l.description, l.fromMs, l.toMs])).toEqual([
      ['Standard', utc('2026-11-01T04:00'), utc('2026-11-01T05:00')],
      ['Small hours', utc('2026-11-01T05:00'), utc('2026-11-01T07:00')],
      ['Standard', utc('2026-11-01T07:00'), utc('2026-11-01T08:00')],
    ]);
    // …and never on the spring night, when 01:00-02:00 GMT does not happen in London.
    expect(price(oneToTwo, '2026-03-29T00:00', '2026-03-29T03:00', LONDON).amount).toBe(3 * 1000);
  });

  it('a window ending inside the repeated hour ends at its first pass and resumes for the second', () => {
    const untilHalfPastOne = tariff({
      rates: [
        { name: 'Night', startTime: '22:00', endTime: '01:30', tiers: [{ fromMinute: 0, pricePerHour: 500 }] },
        { name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 1000 }] },
      ],
    });
    // London 25 Oct, 00:00 BST (23:00Z) to 02:00 GMT (02:00Z). Night until 01:30 BST (00:30Z);
    // standard 01:30-02:00 BST (00:30-01:00Z); the clock reads 01:00-01:30 GMT again (01:00-01:30Z): night;
    // 01:30-02:00 GMT (01:30-02:00Z) standard. Wall clock, instant by instant.
    const p = price(untilHalfPastOne, '2026-10-24T23:00', '2026-10-25T02:00', LONDON);
    expect(p.breakdown.map((l) => [l.description, l.fromMs])).toEqual([
      ['Night', utc('2026-10-24T23:00')],
      ['Standard', utc('2026-10-25T00:30')],
      ['Night', utc('2026-10-25T01:00')],
      ['Standard', utc('2026-10-25T01:30')],
    ]);
    expect(p.amount).toBe(750 + 500 + 250 + 500);
  });
});

describe('the daily cap on DST days', () => {
  it('a 25-hour local day can reach a cap a 24-hour day cannot', () => {
    const t = tariff({
      rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 1000 }] }],
      dailyCap: { amount: 24500, resetTime: '00:00' },
      stepMinutes: 60,
    });
    const day = localDay(NEW_YORK, '2026-11-01');
    const fallBack = priceStay(t, { vehicleType: 'car', startMs: day.fromMs, endMs: day.toMs, timeZone: NEW_YORK });
    expect(fallBack.amount).toBe(24500);
    expect(fallBack.breakdown.map((l) => l.amount)).toEqual([25000, -500]);
    const normal = localDay(NEW_YORK, '2026-10-31');
    expect(priceStay(t, { vehicleType: 'car', startMs: normal.fromMs, endMs: normal.toMs, timeZone: NEW_YORK }).amount).toBe(24000);
  });

  it('a reset time in the repeated hour resets once, at its first pass', () => {
    const t = tariff({ rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 1000 }] }], dailyCap: { amount: 1500, resetTime: '01:30' } });
    // Cap days: until 00:30Z (01:30 BST), then until 01:30 GMT on 26 Oct. Day 1: 1 h = 10.00; day 2: 2 h = 20.00 → 15.00.
    const p = price(t, '2026-10-24T23:30', '2026-10-25T02:30', LONDON);
    expect(p.amount).toBe(1000 + 1500);
  });

  it('a reset time in the skipped hour resets at the jump', () => {
    const t = tariff({ rates: [{ name: 'Standard', tiers: [{ fromMinute: 0, pricePerHour: 1000 }] }], dailyCap: { amount: 1500, resetTime: '01:30' } });
    // London 29 Mar: 01:30 does not exist; the day turns at 01:00Z. 23:00Z-01:00Z = 20.00 → 15.00, then 01:00-03:00Z = 20.00 → 15.00.
    const p = price(t, '2026-03-28T23:00', '2026-03-29T03:00', LONDON);
    expect(p.breakdown.map((l) => [l.kind, l.fromMs, l.toMs])).toEqual([
      ['time', utc('2026-03-28T23:00'), utc('2026-03-29T01:00')],
      ['dailyCap', utc('2026-03-28T23:00'), utc('2026-03-29T01:00')],
      ['time', utc('2026-03-29T01:00'), utc('2026-03-29T03:00')],
      ['dailyCap', utc('2026-03-29T01:00'), utc('2026-03-29T03:00')],
    ]);
    expect(p.amount).toBe(3000);
  });
});

describe('Asia/Kolkata (the demo lot): no DST, +05:30', () => {
  it('a 24-hour stay from 09:00 IST with a night rate and a midnight cap', () => {
    const t = tariff({
      dailyCap: { amount: 50000, resetTime: '00:00' },
      rates: [
        { name: 'Night', startTime: '22:00', endTime: '06:00', tiers: [{ fromMinute: 0, pricePerHour: 2000 }] },
        { name: 'Day', tiers: [{ fromMinute: 0, pricePerHour: 6000 }] },
      ],
    });
    // 09:00-22:00 IST: 13 h × 60 = 780.00 → cap 500.00; 22:00-24:00: 2 h × 20 (same local day, already capped → 0 more);
    // 00:00-06:00: 6 h × 20 = 120.00; 06:00-09:00: 3 h × 60 = 180.00 → day 2 = 300.00. Total 800.00.
    const p = price(t, '2026-01-05T03:30', '2026-01-06T03:30', KOLKATA);
    expect(p.amount).toBe(50000 + 30000);
    expect(p.breakdown.map((l) => l.amount)).toEqual([78000, 4000, -32000, 12000, 18000]);
    expect(24 * HOUR).toBe(p.billedEndMs - p.startMs);
  });
});
