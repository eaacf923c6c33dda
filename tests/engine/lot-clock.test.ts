import { describe, expect, it } from 'vitest';
import { instantOfWall, localDayStart, localDateOf, lotDayStart, lotDays, sameTimeOnDay } from '../../shared/local-time';
import { lotTimeZone, setLotTimeZone } from '../../src/i18n/lotClock';

/**
 * The lot-zone math the renderer uses (shared/local-time.ts: lotDayStart, lotDays, sameTimeOnDay
 * for the kiosk's Advance picker) agrees with the core's day rules (localDayStart) on DST nights.
 */
const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('lot clock in the renderer', () => {
  it('finds the lot day and its 23- and 25-hour days like the core does', () => {
    for (const zone of ['Europe/London', 'America/New_York', 'Asia/Kolkata']) {
      for (const instant of [at('2026-03-08T12:00:00Z'), at('2026-03-29T12:00:00Z'), at('2026-10-25T12:00:00Z'), at('2026-11-01T12:00:00Z')]) {
        expect(lotDayStart(zone, instant)).toBe(localDayStart(zone, localDateOf(zone, instant)));
      }
    }
    // London, spring forward on 29 March 2026: that day has 23 hours; autumn (25 October): 25.
    const [, spring, after] = lotDays('Europe/London', at('2026-03-28T12:00:00Z'), 3);
    expect(after! - spring!).toBe(23 * HOUR);
    const [autumn, next] = lotDays('Europe/London', at('2026-10-25T12:00:00Z'), 2);
    expect(next! - autumn!).toBe(25 * HOUR);
  });

  it('keeps the wall-clock time when the day changes across a DST night', () => {
    const zone = 'America/New_York';
    // 09:00 on Saturday 7 March 2026 (EST, UTC-5) moved to Sunday 8 March (EDT, UTC-4) is 09:00 EDT.
    const saturdayNine = at('2026-03-07T14:00:00Z');
    const [, sunday] = lotDays(zone, saturdayNine, 2);
    expect(new Date(sameTimeOnDay(zone, saturdayNine, sunday!)).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    // 02:30 does not exist that Sunday: it lands on the jump (03:00 EDT = 07:00Z).
    const wall = Date.UTC(2026, 2, 8, 2, 30);
    expect(new Date(instantOfWall(zone, wall)).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    // 01:30 happens twice on 1 November: the first one.
    const twice = Date.UTC(2026, 10, 1, 1, 30);
    expect(new Date(instantOfWall(zone, twice)).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('has one zone setter: a known zone is kept, an unknown one ignored (the last good one stays)', () => {
    setLotTimeZone('Europe/London');
    expect(lotTimeZone()).toBe('Europe/London');
    setLotTimeZone('Mars/Olympus_Mons');
    expect(lotTimeZone()).toBe('Europe/London');
    setLotTimeZone('Asia/Kolkata');
    expect(lotTimeZone()).toBe('Asia/Kolkata');
  });
});
