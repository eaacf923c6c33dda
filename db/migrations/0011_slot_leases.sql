-- Slot leases (issue 14, docs/multi-kiosk.md). A satellite holding a lease on a slot may sell it
-- on its own while the hub is out of reach; the hub must not sell it before blocked_until
-- (the lease's end + the clock-skew allowance + the longest stay a satellite sells offline).
-- As with slot holds (0008), a trigger has no clock: "now" is the instant the writing
-- transaction stamps on the row (a booking's created_at, a hold's renewed_ms).

-- Every booking but the lease holder's own (its replay, satellite_id = the lease's) is refused
-- on a leased slot if it starts before the slot is free of the lease.
CREATE TRIGGER `bookings_respect_slot_leases`
BEFORE INSERT ON `bookings`
WHEN NEW.`status` = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'SLOT_LEASED')
  WHERE EXISTS (
    SELECT 1 FROM `slot_leases` l
    WHERE l.`slot_id` = NEW.`slot_id` AND l.`blocked_until` > NEW.`created_at`
      AND NEW.`start_ms` < l.`blocked_until`
      AND l.`satellite_id` IS NOT NEW.`satellite_id`
  );
END;
--> statement-breakpoint
-- A driver at the hub cannot even hold a leased slot.
CREATE TRIGGER `slot_holds_respect_slot_leases`
BEFORE INSERT ON `slot_holds`
BEGIN
  SELECT RAISE(ABORT, 'SLOT_LEASED')
  WHERE EXISTS (
    SELECT 1 FROM `slot_leases` l
    WHERE l.`slot_id` = NEW.`slot_id` AND l.`blocked_until` > NEW.`renewed_ms`
  );
END;
--> statement-breakpoint
-- A lease never passes to another satellite while it still blocks the slot (never two leases).
CREATE TRIGGER `slot_leases_no_takeover`
BEFORE UPDATE OF `satellite_id` ON `slot_leases`
WHEN NEW.`satellite_id` IS NOT OLD.`satellite_id`
BEGIN
  SELECT RAISE(ABORT, 'SLOT_LEASED') WHERE OLD.`blocked_until` > NEW.`granted_at`;
END;
