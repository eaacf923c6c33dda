import { createHash, randomBytes } from 'node:crypto';
import type { KioskCore } from '../kiosk-core';
import { DomainError, fail } from '../shared/errors';
import { isTriggerRefusal } from '../shared/sqlite-errors';
import { runInTransaction, type Tx } from '../shared/unit-of-work';
import type { HoldRow } from './store';

/** What the kiosk gets for a hold: the token (its only proof of holding) and when it ends. */
export interface HoldView {
  holdToken: string;
  slotId: number;
  expiresAt: string;
}

export interface PlaceHoldInput {
  slotId: number;
  clientKey: string;
  /** For callers under the network limits: at most this many live holds per client key. */
  maxLiveForClient?: number;
}

const TOKEN_PREFIX = 'hd_';
/** The token's shape (the router checks it with zod before anything is looked up). */
export const HOLD_TOKEN_PATTERN = /^hd_[A-Za-z0-9_-]{32}$/;

/** Only the hash is stored: a copy of the database does not let anyone act as the holder. */
export const holdTokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

const heldMessage = (label: string) => `Someone else is booking slot ${label} right now. Please choose another slot.`;

/**
 * Holds a slot for the driver who chose it, for the lot's hold time. Refused while the slot is
 * booked now or held by someone else; the triggers of migration 0005 refuse the same, so a
 * second process cannot get round it.
 */
export function placeHold(core: KioskCore, input: PlaceHoldInput): HoldView {
  return runInTransaction(core, (tx) => {
    const slot = core.holds.slotForHold(input.slotId);
    if (!slot) throw new DomainError('NOT_FOUND', 'That slot does not exist.');
    if (!slot.enabled) fail('PRECONDITION_FAILED', `Slot ${slot.label} is closed for maintenance. Please choose another slot.`);
    if (input.maxLiveForClient !== undefined && core.holds.liveOfClient(input.clientKey, tx.now) >= input.maxLiveForClient) {
      fail('TOO_MANY_REQUESTS', `This device already holds a slot (at most ${input.maxLiveForClient} at once). Book it or let it go first.`, 'HOLD_LIMIT');
    }
    if (core.holds.liveUntil(slot.id, tx.now) !== null) fail('CONFLICT', heldMessage(slot.label), 'SLOT_HELD');
    const expiresMs = tx.now + slot.holdMinutes * 60_000;
    // A hold promises the slot for its whole length: a booking that starts before the hold would
    // run out (not only one already running) takes it, even one sold a moment ago elsewhere.
    if (core.bookings.bookedOnSlotDuring(slot.id, tx.now, expiresMs))
      fail('CONFLICT', `Slot ${slot.label} is already booked. Please choose another slot.`, 'SLOT_TAKEN');
    const holdToken = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
    try {
      core.holds.insert({ slotId: slot.id, tokenHash: holdTokenHash(holdToken), clientKey: input.clientKey, now: tx.now, expiresMs });
    } catch (error) {
      // The triggers are the last line of defence (a second process wrote in between).
      if (isTriggerRefusal(error, 'SLOT_HELD')) fail('CONFLICT', heldMessage(slot.label), 'SLOT_HELD');
      if (isTriggerRefusal(error, 'SLOT_LEASED'))
        fail('CONFLICT', `Slot ${slot.label} is kept for another kiosk of this lot right now. Please choose another slot.`, 'SLOT_LEASED');
      if (isTriggerRefusal(error, 'SLOT_BOOKED')) fail('CONFLICT', `Slot ${slot.label} is already booked. Please choose another slot.`, 'SLOT_TAKEN');
      throw error;
    }
    tx.events.push({ kind: 'slots', lotId: slot.lotId });
    return { holdToken, slotId: slot.id, expiresAt: new Date(expiresMs).toISOString() };
  });
}

/**
 * Keeps a hold while the driver is still at the screen: it runs for the lot's hold time from
 * now again, but never past 10 minutes after it was placed. A hold that has run out is not
 * revived (someone else may have the slot by now): HOLD_EXPIRED.
 */
export function renewHold(core: KioskCore, holdToken: string): HoldView {
  return runInTransaction(core, (tx) => {
    const hash = holdTokenHash(holdToken);
    const lengthMs = core.holds.holdLengthMs(hash);
    const row = lengthMs === null ? undefined : core.holds.renew(hash, tx.now, lengthMs);
    if (!row) fail('CONFLICT', 'The hold on this slot has run out. It may have been taken by someone else.', 'HOLD_EXPIRED');
    tx.events.push({ kind: 'slots', lotId: row!.lotId });
    return { holdToken, slotId: row!.slotId, expiresAt: new Date(row!.expiresMs).toISOString() };
  });
}

/** Lets a slot go (Back, idle reset). Releasing a hold that is gone already is not an error. */
export function releaseHold(core: KioskCore, holdToken: string): { released: boolean } {
  return runInTransaction(core, (tx) => {
    const row = core.holds.remove(holdTokenHash(holdToken));
    if (!row || row.expiresMs <= tx.now) return { released: false };
    tx.events.push({ kind: 'slots', lotId: row.lotId });
    return { released: true };
  });
}

/**
 * Inside a booking's transaction: turns the caller's hold into the booking by deleting it just
 * before the insert, so the trigger sees only other people's holds. A hold that has already
 * run out is no obstacle by itself (the booking goes ahead if nobody else holds or booked the
 * slot); a hold on another slot is a caller's mistake.
 */
export function convertHold(core: KioskCore, tx: Tx, holdToken: string, slotId: number): HoldRow | undefined {
  const row = core.holds.remove(holdTokenHash(holdToken));
  if (row && row.slotId !== slotId) fail('BAD_REQUEST', 'That hold is for another slot. Choose the slot again.');
  if (row && row.expiresMs > tx.now) tx.events.push({ kind: 'slots', lotId: row.lotId });
  return row;
}
