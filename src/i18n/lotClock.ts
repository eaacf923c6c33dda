/**
 * The lot's wall clock in the renderer. Every time the kiosk shows, and every start time the
 * driver picks, is on the lot's clock (its IANA zone, from the lot record), never the device's:
 * a kiosk whose OS is set to another zone, or a browser elsewhere, still reads the lot's hours.
 *
 * The zone math mirrors electron/core/tariffs/local-time.ts (the renderer must not load main-
 * process code): instants are UTC ms; a "wall" value is the local date and time written as if
 * it were UTC ms, so `new Date(wall).getUTCHours()` is the lot's hour.
 */
const DAY_MS = 24 * 60 * 60_000;

let lotZone: string | undefined;

/** Sets the zone kiosk times are shown in (the lot's); a zone this browser does not know is ignored. */
export function setLotTimeZone(zone: string | undefined): void {
  if (zone === lotZone || zone === undefined) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return; // keep the last good one
  }
  lotZone = zone;
}

/** The lot's zone once known; the device's until the lot has loaded. */
export const lotTimeZone = (): string => lotZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

const partFormats = new Map<string, Intl.DateTimeFormat>();

function parts(zone: string): Intl.DateTimeFormat {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    partFormats.set(zone, format);
  }
  return format;
}

/** The zone's offset from UTC at `instant`, in ms. */
export function offsetMs(zone: string, instant: number): number {
  const second = Math.floor(instant / 1000) * 1000;
  const p: Record<string, string> = {};
  for (const part of parts(zone).formatToParts(new Date(second))) p[part.type] = part.value;
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second)) - second;
}

export const toWall = (zone: string, instant: number): number => instant + offsetMs(zone, instant);

/**
 * The first instant at which the zone's clock reads `wall` or later: a time that happens twice
 * (autumn) gives its first occurrence, a time the clock skips (spring) the instant of the jump.
 */
export function instantOfWall(zone: string, wall: number): number {
  const candidates = [wall - offsetMs(zone, wall - DAY_MS), wall - offsetMs(zone, wall + DAY_MS)];
  const valid = candidates.filter((candidate) => offsetMs(zone, candidate) === wall - candidate);
  if (valid.length > 0) return Math.min(...valid);
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  const target = offsetMs(zone, hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The instant the lot's day containing `instant` began (its local midnight). */
export function lotDayStart(zone: string, instant: number): number {
  const wall = toWall(zone, instant);
  return instantOfWall(zone, wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS));
}

/** The starts of `count` lot days from the one containing `instant` (23- and 25-hour days included). */
export function lotDays(zone: string, instant: number, count: number): number[] {
  const wall = toWall(zone, instant);
  const firstWall = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  return Array.from({ length: count }, (_, index) => instantOfWall(zone, firstWall + index * DAY_MS));
}

/** `instant`'s wall-clock time of day (for example 14:45) on the lot day starting at `dayStart`. */
export function sameTimeOnDay(zone: string, instant: number, dayStart: number): number {
  const wall = toWall(zone, instant);
  const timeOfDay = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  const dayWall = toWall(zone, dayStart);
  return instantOfWall(zone, dayWall - (((dayWall % DAY_MS) + DAY_MS) % DAY_MS) + timeOfDay);
}
