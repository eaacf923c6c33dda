import { fail } from '../shared/errors';
import { DAY_MS, HOUR_MS, instantOfWall, isTimeZone, MINUTE_MS, minutesOfClock, offsetMs, offsetTransitions } from '../../../shared/local-time';
import { DAYS_OF_WEEK, PRICE_HORIZON_MINUTES, type TariffDocument, type TariffRate, type TariffVehicleType } from './model';

/**
 * The one pricing rule. A stay [startMs, endMs) is billed on elapsed UTC time, from its start,
 * in the tariff's charging steps (the last step rounded up, to `billedEndMs`). The billed time is
 * cut wherever the price can change: a rate's local window opens or closes, a local day begins
 * (day-of-week rules), the zone's offset changes, a tier begins (minutes from the start), or the
 * daily cap resets. Each piece takes the first rate that covers its first instant and the tier
 * of the stay it falls in; consecutive pieces with the same rate, tier and cap day form one line,
 * priced once: Math.round(pricePerHour * duration / 1 hour). Then each cap day is capped, and the
 * stay is raised to the minimum charge.
 *
 * Every step of this only adds as the end moves later, so a longer stay never costs less, and
 * an extension (whole stay minus stay so far) is never negative.
 */

export interface StayInput {
  vehicleType: TariffVehicleType;
  startMs: number;
  endMs: number;
  /** The lot's IANA zone: windows, days and the cap's reset time are read in it. */
  timeZone: string;
}

export interface PriceLine {
  /** time: billed time at one rate; dailyCap: the part of a day above the cap, taken off; minimum: raised to the minimum charge. */
  kind: 'time' | 'dailyCap' | 'minimum';
  fromMs: number;
  toMs: number;
  /** The owner's names for the rate and tier (time lines); screens build their own text from kind for the others. */
  description: string;
  /** Minor units; negative for dailyCap. The lines add up to the stay's amount. */
  amount: number;
  /** For time lines: the rate's price per hour in that piece. */
  pricePerHour?: number;
}

export interface StayPrice {
  amount: number;
  currency: string;
  startMs: number;
  endMs: number;
  /** The end rounded up to a whole number of charging steps: what is billed. */
  billedEndMs: number;
  breakdown: PriceLine[];
}

interface Segment {
  fromMs: number;
  toMs: number;
  rateIndex: number;
  tierIndex: number;
  capDay: number;
}

export function priceStay(tariff: TariffDocument, stay: StayInput): StayPrice {
  assertStay(tariff, stay);
  const stepMs = tariff.stepMinutes * MINUTE_MS;
  const billedEndMs = stay.startMs + Math.ceil((stay.endMs - stay.startMs) / stepMs) * stepMs;
  const capResets = tariff.dailyCap ? capResetInstants(stay.timeZone, tariff.dailyCap.resetTime, stay.startMs, billedEndMs) : [];
  const segments = billedSegments(tariff, stay, billedEndMs, capResets);

  const breakdown: PriceLine[] = [];
  let amount = 0;
  let dayFrom = 0;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index]!;
    const rate = tariff.rates[segment.rateIndex]!;
    const tier = rate.tiers[segment.tierIndex]!;
    const lineAmount = Math.round((tier.pricePerHour * (segment.toMs - segment.fromMs)) / HOUR_MS);
    breakdown.push({
      kind: 'time',
      fromMs: segment.fromMs,
      toMs: segment.toMs,
      description: tier.label ? `${rate.name} · ${tier.label}` : rate.name,
      amount: lineAmount,
      pricePerHour: tier.pricePerHour,
    });
    amount += lineAmount;
    const next = segments[index + 1];
    if (tariff.dailyCap && (next === undefined || next.capDay !== segment.capDay)) {
      // The last line of a cap day: take off whatever the day cost above the cap.
      const dayLines = breakdown.slice(dayFrom);
      const dayAmount = dayLines.reduce((sum, line) => sum + line.amount, 0);
      if (dayAmount > tariff.dailyCap.amount) {
        const over = dayAmount - tariff.dailyCap.amount;
        breakdown.push({ kind: 'dailyCap', fromMs: dayLines[0]!.fromMs, toMs: segment.toMs, description: 'Daily maximum', amount: -over });
        amount -= over;
      }
      dayFrom = breakdown.length;
    }
  }
  if (amount < tariff.minimumCharge) {
    breakdown.push({ kind: 'minimum', fromMs: stay.startMs, toMs: billedEndMs, description: 'Minimum charge', amount: tariff.minimumCharge - amount });
    amount = tariff.minimumCharge;
  }
  return { amount, currency: tariff.currency, startMs: stay.startMs, endMs: stay.endMs, billedEndMs, breakdown };
}

function assertStay(tariff: TariffDocument, stay: StayInput): void {
  if (!isTimeZone(stay.timeZone)) fail('BAD_REQUEST', `The lot's time zone "${stay.timeZone}" is not one this kiosk knows.`);
  if (!Number.isSafeInteger(stay.startMs) || !Number.isSafeInteger(stay.endMs)) fail('BAD_REQUEST', 'A stay starts and ends at whole milliseconds.');
  if (!(stay.endMs > stay.startMs)) fail('BAD_REQUEST', 'A stay must end after it starts.');
  if (stay.endMs - stay.startMs > PRICE_HORIZON_MINUTES * MINUTE_MS) fail('BAD_REQUEST', 'A stay can be priced for at most 31 days.');
  assertWithinMaxStay(tariff, stay.startMs, stay.endMs);
}

/** The maximum stay counts from the first start of a stay (its first booking, for renewal chains). */
export function assertWithinMaxStay(tariff: TariffDocument, firstStartMs: number, endMs: number): void {
  if (tariff.maxStayMinutes !== null && endMs - firstStartMs > tariff.maxStayMinutes * MINUTE_MS) {
    fail('BAD_REQUEST', `A stay here can last at most ${formatMinutes(tariff.maxStayMinutes)}.`, {
      reason: 'MAX_STAY_EXCEEDED',
      maxMinutes: tariff.maxStayMinutes,
    });
  }
}

const formatMinutes = (total: number) => {
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  const h = hours === 0 ? '' : `${hours} hour${hours === 1 ? '' : 's'}`;
  const m = minutes === 0 ? '' : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return [h, m].filter(Boolean).join(' ');
};

/** The billed time cut where the price can change, merged into lines of one rate, tier and cap day. */
function billedSegments(tariff: TariffDocument, stay: StayInput, billedEndMs: number, capResets: number[]): Segment[] {
  const zone = stay.timeZone;
  const cuts = new Set<number>([stay.startMs, billedEndMs]);
  const add = (instant: number) => {
    if (instant > stay.startMs && instant < billedEndMs) cuts.add(instant);
  };

  // Pieces of constant UTC offset: inside one, local time runs with elapsed time.
  const transitions = offsetTransitions(zone, stay.startMs, billedEndMs).filter((at) => at < billedEndMs);
  const edges = [stay.startMs, ...transitions, billedEndMs];
  const pieces = edges.slice(0, -1).map((fromMs, index) => ({ fromMs, toMs: edges[index + 1]!, offset: offsetMs(zone, fromMs) }));
  const clockMinutes = new Set<number>([0]);
  for (const rate of tariff.rates) {
    if (rate.startTime !== undefined && rate.endTime !== undefined) {
      clockMinutes.add(minutesOfClock(rate.startTime));
      clockMinutes.add(minutesOfClock(rate.endTime));
    }
  }
  for (const piece of pieces) {
    add(piece.fromMs);
    const wallFrom = piece.fromMs + piece.offset;
    const wallTo = piece.toMs + piece.offset;
    // Every local midnight and window edge the wall clock passes in this piece (both passes of a repeated hour).
    for (let day = Math.floor(wallFrom / DAY_MS) * DAY_MS; day < wallTo; day += DAY_MS) {
      for (const minute of clockMinutes) {
        const wall = day + minute * MINUTE_MS;
        if (wall > wallFrom && wall < wallTo) add(wall - piece.offset);
      }
    }
  }
  for (const rate of tariff.rates) for (const tier of rate.tiers) add(stay.startMs + tier.fromMinute * MINUTE_MS);
  for (const reset of capResets) add(reset);

  const sorted = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let pieceIndex = 0;
  let capDay = 0;
  for (let index = 0; index + 1 < sorted.length; index += 1) {
    const fromMs = sorted[index]!;
    const toMs = sorted[index + 1]!;
    while (pieces[pieceIndex]!.toMs <= fromMs) pieceIndex += 1;
    while (capDay < capResets.length && capResets[capDay]! <= fromMs) capDay += 1;
    const rateIndex = rateAt(tariff, stay.vehicleType, fromMs + pieces[pieceIndex]!.offset);
    const tierIndex = tierAt(tariff.rates[rateIndex]!, fromMs - stay.startMs);
    const last = segments[segments.length - 1];
    if (last && last.rateIndex === rateIndex && last.tierIndex === tierIndex && last.capDay === capDay) last.toMs = toMs;
    else segments.push({ fromMs, toMs, rateIndex, tierIndex, capDay });
  }
  return segments;
}

/** The first rate that covers a vehicle at a local wall time (OCPI: the first matching element wins). */
function rateAt(tariff: TariffDocument, vehicleType: TariffVehicleType, wall: number): number {
  const dayNumber = Math.floor(wall / DAY_MS);
  const minuteOfDay = Math.floor((wall - dayNumber * DAY_MS) / MINUTE_MS);
  // 1 January 1970 was a Thursday (index 4 in DAYS_OF_WEEK).
  const weekday = (((dayNumber + 4) % 7) + 7) % 7;
  const index = tariff.rates.findIndex((rate) => rateCovers(rate, vehicleType, weekday, minuteOfDay));
  if (index < 0) fail('PRECONDITION_FAILED', `The lot's tariff has no rate for a ${vehicleType} at that time; the owner must add a fallback rate.`);
  return index;
}

function rateCovers(rate: TariffRate, vehicleType: TariffVehicleType, weekday: number, minuteOfDay: number): boolean {
  if (rate.vehicleTypes !== undefined && !rate.vehicleTypes.includes(vehicleType)) return false;
  let windowDay = weekday;
  if (rate.startTime !== undefined && rate.endTime !== undefined) {
    const start = minutesOfClock(rate.startTime);
    const end = minutesOfClock(rate.endTime);
    if (start < end) {
      if (minuteOfDay < start || minuteOfDay >= end) return false;
    } else if (minuteOfDay < end) {
      // The early-morning part of a window that opened the evening before belongs to that day.
      windowDay = (weekday + 6) % 7;
    } else if (minuteOfDay < start) {
      return false;
    }
  }
  return rate.daysOfWeek === undefined || rate.daysOfWeek.includes(DAYS_OF_WEEK[windowDay]!);
}

function tierAt(rate: TariffRate, elapsedMs: number): number {
  let found = 0;
  rate.tiers.forEach((tier, index) => {
    if (tier.fromMinute * MINUTE_MS <= elapsedMs) found = index;
  });
  return found;
}

/**
 * The instants the daily cap resets, around a stay: for each local date, the first instant the
 * clock reads the reset time (first pass of a repeated time; the jump for a skipped one), so cap
 * days follow each other in order even on DST nights.
 */
function capResetInstants(zone: string, resetTime: string, fromMs: number, toMs: number): number[] {
  const resetMs = minutesOfClock(resetTime) * MINUTE_MS;
  const firstDay = Math.floor((fromMs + offsetMs(zone, fromMs)) / DAY_MS) * DAY_MS - DAY_MS;
  const lastDay = Math.floor((toMs + offsetMs(zone, toMs)) / DAY_MS) * DAY_MS + DAY_MS;
  const resets: number[] = [];
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    const at = instantOfWall(zone, day + resetMs);
    if (resets.length === 0 || at > resets[resets.length - 1]!) resets.push(at);
  }
  return resets;
}
