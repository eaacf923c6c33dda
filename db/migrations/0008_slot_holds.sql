-- Slot holds (issue 13): a slot a driver has chosen waits while they type their plate.
-- This is the same guard as the overlap triggers of 0001, kept as triggers of its own so that
-- other changes to those triggers (e.g. a grace hold) combine with it without a merge.
-- A hold is live while expires_ms > now. A trigger has no clock, so "now" is the instant the
-- writing transaction stamps on the row (a booking's created_at, a hold's renewed_ms, both the
-- core's injected clock): an expired hold counts as absent without any sweep.

-- A live hold refuses every other booking on its slot. Its own holder converts it by deleting
-- the hold in the same transaction just before inserting the booking (bookings/service.ts).
CREATE TRIGGER `bookings_respect_slot_holds`
BEFORE INSERT ON `bookings`
WHEN NEW.`status` = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'SLOT_HELD')
  WHERE EXISTS (
    SELECT 1 FROM `slot_holds` h
    WHERE h.`slot_id` = NEW.`slot_id` AND h.`expires_ms` > NEW.`created_at`
  );
END;
--> statement-breakpoint
-- One live hold per slot, and none on a slot that is booked now (a booking covers the instant).
CREATE TRIGGER `slot_holds_one_per_slot`
BEFORE INSERT ON `slot_holds`
BEGIN
  SELECT RAISE(ABORT, 'SLOT_HELD')
  WHERE EXISTS (
    SELECT 1 FROM `slot_holds` h
    WHERE h.`slot_id` = NEW.`slot_id` AND h.`expires_ms` > NEW.`renewed_ms`
  );
  SELECT RAISE(ABORT, 'SLOT_BOOKED')
  WHERE EXISTS (
    SELECT 1 FROM `bookings` b
    WHERE b.`slot_id` = NEW.`slot_id` AND b.status = 'booked'
      AND b.`start_ms` <= NEW.`renewed_ms` AND b.`end_ms` > NEW.`renewed_ms`
  );
END;
--> statement-breakpoint
-- A renewal only extends a hold that is still live: an expired hold never comes back (someone
-- else may have booked or held the slot since). The lifetime bound is the table's CHECK.
CREATE TRIGGER `slot_holds_no_revival`
BEFORE UPDATE OF `expires_ms`, `renewed_ms` ON `slot_holds`
BEGIN
  SELECT RAISE(ABORT, 'HOLD_EXPIRED')
  WHERE OLD.`expires_ms` <= NEW.`renewed_ms` OR NEW.`renewed_ms` < OLD.`renewed_ms`;
END;
--> statement-breakpoint
-- A hold names one slot and one token for its whole life.
CREATE TRIGGER `slot_holds_fixed`
BEFORE UPDATE OF `slot_id`, `token_hash`, `created_ms`, `client_key` ON `slot_holds`
BEGIN
  SELECT RAISE(ABORT, 'HOLD_FIXED');
END;
