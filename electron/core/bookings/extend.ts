import { bookingTariff } from '../pricing/versions';
import { graceMs } from '../pricing/stay';
import { issueReceipt, tariffVersionLabel } from '../receipts/service';
import type { KioskCore } from '../kiosk-core';
import { isTriggerRefusal } from '../shared/sqlite-errors';
import { runInTransaction, runRead, type ReadTx, type Tx } from '../shared/unit-of-work';
import { fail, type ErrorReasonCode } from '../shared/errors';
import { MINUTE_MS } from '../../../shared/local-time';
import type { TariffDocument, TariffVehicleType } from '../tariffs/model';
import { priceExtension } from '../tariffs/offers';
import { statusAt } from './completion';
import { assertChainWithinMaxStay, mustFind } from './service';
import { priceLinesToJson } from './mapping';
import type { BookingRecord } from './store';
import { toBookingView, type BookingView } from './view';

export type ExtendUnavailable = Extract<ErrorReasonCode, 'MAX_STAY_EXCEEDED' | 'SLOT_BOOKED_NEXT'>;

export interface ExtendOptions {
  currency: string;
  options: { minutes: number; endTime: string; price: number }[];
  unavailableReason: ExtendUnavailable | null;
}

interface Context {
  row: BookingRecord;
  tariff: TariffDocument;
  versionId: number | null;
  version: number | null;
}

function contextOf(core: KioskCore, row: BookingRecord): Context {
  const slot = core.bookings.slotForBooking(row.slotId)!;
  const inForce = bookingTariff(core, row.tariffVersionId, slot);
  return { row, tariff: inForce.tariff, versionId: inForce.versionId, version: inForce.version };
}

/** An extension is some whole number of the tariff's duration steps, at most its longest stay. */
const isOfferedExtension = (tariff: TariffDocument, minutes: number) =>
  Number.isInteger(minutes) && minutes > 0 && minutes % tariff.durations.stepMinutes === 0 && minutes <= tariff.durations.maxMinutes;

/** The last end the slot's next booking leaves room for (its hold must not meet ours), or null. */
function roomUntil(core: KioskCore, ctx: Context): number | null {
  const next = core.bookings.nextHoldStart(ctx.row.slotId, ctx.row.endMs, ctx.row.id);
  return next === null ? null : next - graceMs(ctx);
}

const maxStayEnd = (ctx: Context) => (ctx.tariff.maxStayMinutes === null ? null : ctx.row.chainStartMs + ctx.tariff.maxStayMinutes * MINUTE_MS);

const priceOf = (ctx: Context, newEndMs: number, timeZone: string) =>
  priceExtension(ctx.tariff, {
    vehicleType: ctx.row.vehicleType as TariffVehicleType,
    startMs: ctx.row.startMs,
    endMs: ctx.row.endMs,
    newEndMs,
    timeZone,
  });

/** What the driver may add to a running booking, each priced under the booking's own tariff version. */
export function extendOptions(core: KioskCore, id: number): ExtendOptions {
  return runRead(core, (tx: ReadTx) => {
    const ctx = contextOf(core, mustFind(core, id));
    const { tariff, row } = ctx;
    if (statusAt(row.status, row.endMs, tx.now) !== 'booked') return { currency: tariff.currency, options: [], unavailableReason: null };
    const stayCap = maxStayEnd(ctx);
    const room = roomUntil(core, ctx);
    const options: ExtendOptions['options'] = [];
    let blockedBy: ExtendUnavailable | null = null;
    for (let minutes = tariff.durations.stepMinutes; minutes <= tariff.durations.maxMinutes; minutes += tariff.durations.stepMinutes) {
      const newEndMs = row.endMs + minutes * MINUTE_MS;
      if (stayCap !== null && newEndMs > stayCap) {
        blockedBy ??= 'MAX_STAY_EXCEEDED';
        break;
      }
      if (room !== null && newEndMs > room) {
        blockedBy ??= 'SLOT_BOOKED_NEXT';
        break;
      }
      options.push({ minutes, endTime: new Date(newEndMs).toISOString(), price: priceOf(ctx, newEndMs, row.timeZone).amount });
    }
    return { currency: tariff.currency, options, unavailableReason: options.length === 0 ? blockedBy : null };
  });
}

export interface Extended {
  booking: BookingView;
  charged: number;
}

/**
 * Moves a running booking's end later. The charge is the whole extended stay's price minus the
 * stay so far under the booking's own version (priceExtension), so tiers and caps apply to the
 * stay; the booking's price and breakdown become the whole stay's.
 */
export function extendBooking(core: KioskCore, id: number, minutes: number): Extended {
  return runInTransaction(core, (tx: Tx) => {
    const ctx = contextOf(core, mustFind(core, id));
    const { row, tariff } = ctx;
    if (statusAt(row.status, row.endMs, tx.now) !== 'booked')
      fail('PRECONDITION_FAILED', 'Only a running booking can be extended. Renew it instead once it has ended.');
    if (!isOfferedExtension(tariff, minutes)) {
      fail('BAD_REQUEST', `Extend by ${tariff.durations.stepMinutes}-minute steps, up to ${tariff.durations.maxMinutes} minutes.`, {
        reason: 'DURATION_NOT_OFFERED',
        maxMinutes: tariff.durations.maxMinutes,
        stepMinutes: tariff.durations.stepMinutes,
      });
    }
    const newEndMs = row.endMs + minutes * MINUTE_MS;
    assertChainWithinMaxStay(tariff.maxStayMinutes, row.chainStartMs, newEndMs);
    const graceUntilMs = newEndMs + graceMs(ctx);
    const nextClash = () =>
      fail(
        'CONFLICT',
        `Slot ${row.slotLabel} is booked next, so this stay cannot run that long. Choose a shorter extension or renew on another slot.`,
        'SLOT_BOOKED_NEXT',
      );
    if (core.bookings.slotOverlap({ slotId: row.slotId, startMs: row.startMs, holdEndMs: graceUntilMs, selfId: row.id, renewedFromId: row.renewedFromId }))
      nextClash();
    const busy = core.bookings.vehicleOverlap(row.vehicleNumber, row.endMs, newEndMs);
    // Never name the other booking: the same plate may be someone else's typo.
    if (busy) fail('CONFLICT', `${row.vehicleNumber} has another booking in that time.`, 'VEHICLE_BUSY');
    const price = priceOf(ctx, newEndMs, row.timeZone);
    // The whole stay's lines; a flat-rate booking whose slot price changed since keeps its own
    // lines plus one for the extension, so the lines still add up to what was paid.
    const lines =
      price.soFar.amount === row.price || row.priceBreakdown === null
        ? price.whole.breakdown
        : [...row.priceBreakdown, { kind: 'time' as const, fromMs: row.endMs, toMs: newEndMs, description: 'Extension', amount: price.amount }];
    try {
      core.bookings.extend({ id, endMs: newEndMs, graceUntilMs, price: row.price + price.amount, priceBreakdown: priceLinesToJson(lines) });
    } catch (error) {
      if (isTriggerRefusal(error, 'BOOKING_OVERLAP')) nextClash();
      throw error;
    }
    tx.events.push({ kind: 'booking', change: 'extended', bookingId: id, lotId: row.lotId, slotId: row.slotId });
    // Proof of the longer stay, signed in the same transaction as the extension.
    issueReceipt(core, tx, id, 'extension', tariffVersionLabel(ctx.version));
    return { booking: toBookingView(mustFind(core, id), tx.now), charged: price.amount };
  });
}
