/**
 * Wall-clock arithmetic in a lot's IANA time zone, on the runtime's ICU (Intl): pure, no Node
 * and no DOM, so the core (tariffs, reports) and the renderer (the kiosk's start-time picker,
 * src/i18n/lotClock.ts) share this one module. Instants are
 * UTC milliseconds; a "wall" value is the local date and time written as if it were UTC
 * milliseconds (so `new Date(wall).getUTCHours()` is the local hour). Offsets come from the
 * runtime's time-zone data, which ages with the runtime: an Electron update refreshes it.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let cached = formatters.get(zone);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, cached);
  }
  return cached;
}

/**
 * The one IANA validator (core, router, renderer): true for a zone name this runtime knows
 * ("Asia/Kolkata", "UTC"); false for anything else.
 */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * A known zone in the runtime list's own spelling ("asia/kolkata" gives "Asia/Kolkata"), else
 * undefined. Not Intl's canonical form: that turns Asia/Kolkata into the legacy Asia/Calcutta,
 * which owners do not recognise. A known zone the list lacks ("UTC" on some runtimes) stays as typed.
 */
export function listedTimeZone(name: string): string | undefined {
  const zone = name.trim();
  if (!isTimeZone(zone)) return undefined;
  const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return listed.find((candidate) => candidate.toLowerCase() === zone.toLowerCase()) ?? zone;
}

// Pricing a list of durations asks for the same few instants (local midnights, reset times) over
// and over; Intl is the slow part, so answers are remembered (bounded, and pure, so never stale
// within one runtime's time-zone data).
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_LIMIT = 20_000;

/** The zone's offset from UTC at `instant`, in ms (Kolkata: +5h30m; London in summer: +1h). */
export function offsetMs(zone: string, instant: number): number {
  const second = Math.floor(instant / 1000) * 1000;
  const key = `${zone}|${second}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const offset = computeOffset(zone, second);
  if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

function computeOffset(zone: string, second: number): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(zone).formatToParts(new Date(second))) parts[part.type] = part.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  return wall - second;
}

export const toWall = (zone: string, instant: number): number => instant + offsetMs(zone, instant);

/**
 * The instants in (fromMs, toMs] where the zone's offset changes, found by probing every six
 * hours and bisecting to the millisecond. Real zones change offset at most twice a year, far
 * more than six hours apart, so no change can hide between two probes.
 */
export function offsetTransitions(zone: string, fromMs: number, toMs: number): number[] {
  const PROBE_MS = 6 * HOUR_MS;
  const found: number[] = [];
  let left = fromMs;
  let leftOffset = offsetMs(zone, left);
  while (left < toMs) {
    const right = Math.min(left + PROBE_MS, toMs);
    const rightOffset = offsetMs(zone, right);
    if (rightOffset !== leftOffset) found.push(firstWithOffset(zone, left, right, rightOffset));
    left = right;
    leftOffset = rightOffset;
  }
  return found;
}

/** The first instant in (lo, hi] whose offset is `target`, given that hi has it and lo does not. */
function firstWithOffset(zone: string, lo: number, hi: number, target: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The first instant at which the zone's clock reads `wall` or later. A time that happens twice
 * (the autumn night) gives its first occurrence; a time the clock skips (the spring night)
 * gives the instant of the jump, when the clock passes it.
 */
export function instantOfWall(zone: string, wall: number): number {
  const before = offsetMs(zone, wall - DAY_MS);
  const after = offsetMs(zone, wall + DAY_MS);
  const valid = [wall - before, wall - after].filter((candidate) => offsetMs(zone, candidate) === wall - candidate);
  if (valid.length > 0) return Math.min(...valid);
  // Skipped: the clock jumps from before `wall` to after it at one instant between the two guesses.
  const lo = Math.min(wall - before, wall - after);
  const hi = Math.max(wall - before, wall - after);
  return firstWithOffset(zone, lo, hi, offsetMs(zone, hi));
}

/** "YYYY-MM-DD" for a local calendar date. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The wall value of local midnight at the start of `date`; throws on a malformed date. */
export function wallOfDate(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  const wall = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || new Date(wall).toISOString().slice(0, 10) !== date) throw new RangeError(`Not a calendar date: ${date}`);
  return wall;
}

export const localDateOf = (zone: string, instant: number): LocalDate => new Date(toWall(zone, instant)).toISOString().slice(0, 10);

/** The instant the local day `date` begins (its first instant at or after 00:00 local). */
export const localDayStart = (zone: string, date: LocalDate): number => instantOfWall(zone, wallOfDate(date));

/** The local day as a span of instants: 23 hours on a spring-forward day, 25 on a fall-back day. */
export function localDay(zone: string, date: LocalDate): { fromMs: number; toMs: number } {
  const wall = wallOfDate(date);
  return { fromMs: instantOfWall(zone, wall), toMs: instantOfWall(zone, wall + DAY_MS) };
}

/** How many hours the local day has (24, or 23 / 25 on DST change days), for day and hour reports. */
export function localDayHours(date: LocalDate, zone: string): number {
  const { fromMs, toMs } = localDay(zone, date);
  return (toMs - fromMs) / HOUR_MS;
}

/** The instants where each local hour of `date` begins (23, 24 or 25 of them), for hourly reports. */
export function localHourStarts(date: LocalDate, zone: string): number[] {
  const { fromMs, toMs } = localDay(zone, date);
  const starts: number[] = [];
  // Elapsed hours from the day's start: the repeated autumn hour is its own bucket, the skipped
  // spring hour has none.
  for (let at = fromMs; at < toMs; at += HOUR_MS) starts.push(at);
  return starts;
}

/** "HH:MM" (00:00 to 23:59) to minutes after midnight. */
export function minutesOfClock(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** The wall value's time of day, in ms after local midnight. */
const wallTimeOfDay = (wall: number): number => ((wall % DAY_MS) + DAY_MS) % DAY_MS;

/** The instant the local day containing `instant` began (its local midnight, or the first instant after it). */
export function lotDayStart(zone: string, instant: number): number {
  const wall = toWall(zone, instant);
  return instantOfWall(zone, wall - wallTimeOfDay(wall));
}

/** The starts of `count` local days from the one containing `instant` (23- and 25-hour days included). */
export function lotDays(zone: string, instant: number, count: number): number[] {
  const wall = toWall(zone, instant);
  const firstWall = wall - wallTimeOfDay(wall);
  return Array.from({ length: count }, (_, index) => instantOfWall(zone, firstWall + index * DAY_MS));
}

/** `instant`'s local time of day (for example 14:45) on the local day starting at `dayStart`. */
export function sameTimeOnDay(zone: string, instant: number, dayStart: number): number {
  const dayWall = toWall(zone, dayStart);
  return instantOfWall(zone, dayWall - wallTimeOfDay(dayWall) + wallTimeOfDay(toWall(zone, instant)));
}
