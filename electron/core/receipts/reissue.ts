/**
 * A receipt names the plate, so a plate correction makes the booking's receipts wrong: they
 * are replaced, in the correction's own transaction, by one new signed receipt for the
 * booking as it now stands (whole stay, add-ons, corrected plate). The old ones stay in the
 * table as issued (their bytes are what the driver saw) but are marked superseded, and
 * verification says so: a photo of the old QR no longer counts for the old plate.
 */
import { toBookingView } from '../bookings/view';
import type { KioskCore } from '../kiosk-core';
import type { Tx } from '../shared/unit-of-work';
import { issueReceipt, tariffVersionLabel, type StoredReceipt } from './service';

export function reissueForCorrectedPlate(core: KioskCore, tx: Tx, bookingId: number): StoredReceipt {
  const view = toBookingView(core.bookings.byId(bookingId)!, tx.now);
  const issued = issueReceipt(core, tx, bookingId, view.renewedFromId === null ? 'booking' : 'renewal', tariffVersionLabel(view.tariffVersion));
  core.receipts.supersedeOlder(bookingId, core.receipts.newestId(bookingId)!, tx.now);
  return issued;
}
