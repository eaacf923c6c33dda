-- The database itself refuses two active bookings on one slot for overlapping times, so no
-- code path (or second process) can double-book, whatever it forgets to check first.
CREATE TRIGGER `bookings_no_overlap_insert`
BEFORE INSERT ON `bookings`
WHEN NEW.`status` = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'BOOKING_OVERLAP')
  WHERE EXISTS (
    SELECT 1 FROM `bookings`
    WHERE `slot_id` = NEW.`slot_id` AND status = 'booked'
      AND `start_ms` < NEW.`end_ms` AND `end_ms` > NEW.`start_ms`
  );
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_no_overlap_update`
BEFORE UPDATE OF `status`, `slot_id`, `start_ms`, `end_ms` ON `bookings`
WHEN NEW.`status` = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'BOOKING_OVERLAP')
  WHERE EXISTS (
    SELECT 1 FROM `bookings`
    WHERE `slot_id` = NEW.`slot_id` AND status = 'booked' AND `id` <> NEW.`id`
      AND `start_ms` < NEW.`end_ms` AND `end_ms` > NEW.`start_ms`
  );
END;
--> statement-breakpoint
-- A finished booking stays finished: status moves only forward (booked -> completed|cancelled).
CREATE TRIGGER `bookings_status_forward_only`
BEFORE UPDATE OF `status` ON `bookings`
WHEN OLD.`status` <> 'booked' AND NEW.`status` <> OLD.`status`
BEGIN
  SELECT RAISE(ABORT, 'BOOKING_STATUS_FINAL');
END;
