/**
 * A receipt names the plate, so a plate correction makes the booking's receipts wrong: they
 * are replaced, in the correction's own transaction, by one new signed receipt for the
 * booking as it now stands (whole stay, add-ons, corrected plate). The old ones stay in the
 * table as issued (their bytes are what the driver saw) but are marked superseded, and
 * verification says so: a photo of the old QR no longer counts for the old plate.
 */
import { toBookingView } from '../bookings/view';
import { statement, type KioskCore, type Tx } from '../shared/core';
import { issueReceipt, tariffVersionLabel, type StoredReceipt } from './service';

export function reissueForCorrectedPlate(core: KioskCore, tx: Tx, bookingId: number): StoredReceipt {
  const view = toBookingView(core.bookings.byId(bookingId)!, tx.now);
  const issued = issueReceipt(core, tx, bookingId, view.renewedFromId === null ? 'booking' : 'renewal', tariffVersionLabel(view.tariffVersion));
  const { id: newId } = statement(core, 'SELECT id FROM receipts WHERE booking_id = ? ORDER BY id DESC LIMIT 1').get(bookingId) as { id: number };
  statement(core, 'UPDATE receipts SET superseded_at = ?, superseded_by = ? WHERE booking_id = ? AND id < ? AND superseded_at IS NULL').run(tx.now, newId, bookingId, newId);
  return issued;
}

