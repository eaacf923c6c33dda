-- The grace hold (docs/tariffs.md): a booked booking holds its slot from its start until
-- grace_until_ms (its end plus the grace of its tariff version); a completed one still holds
-- [end_ms, grace_until_ms); a cancelled one nothing. Two holds on one slot may not meet: the one overlap rule, here and in the core
-- (bookings/holds.ts). A renewal is the exception for its own chain: it starts inside the hold
-- of the booking it renews.
-- Rows written before tariffs had no grace: their hold ends at their end.
UPDATE `bookings` SET `grace_until_ms` = `end_ms` WHERE `grace_until_ms` IS NULL;
--> statement-breakpoint
UPDATE `bookings` SET `chain_start_ms` = `start_ms` WHERE `chain_start_ms` IS NULL;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `bookings_no_overlap_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `bookings_no_overlap_update`;
--> statement-breakpoint
CREATE TRIGGER `bookings_no_overlap_insert`
BEFORE INSERT ON `bookings`
WHEN NEW.`status` = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'BOOKING_OVERLAP')
  WHERE EXISTS (
    SELECT 1 FROM `bookings`
    WHERE `slot_id` = NEW.`slot_id` AND status <> 'cancelled'
      AND `grace_until_ms` > NEW.`start_ms` AND (status = 'booked' OR `grace_until_ms` > `end_ms`)
      AND (CASE WHEN status = 'booked' THEN `start_ms` ELSE `end_ms` END) < coalesce(NEW.`grace_until_ms`, NEW.`end_ms`)
      AND `id` IS NOT NEW.`renewed_from_id`
  );
END;
--> statement-breakpoint
CREATE TRIGGER `bookings_no_overlap_update`
BEFORE UPDATE OF `status`, `slot_id`, `start_ms`, `end_ms`, `grace_until_ms` ON `bookings`
WHEN NEW.`status` = 'booked'
BEGIN
  SELECT RAISE(ABORT, 'BOOKING_OVERLAP')
  WHERE EXISTS (
    SELECT 1 FROM `bookings`
    WHERE `slot_id` = NEW.`slot_id` AND status <> 'cancelled' AND `id` <> NEW.`id`
      AND `grace_until_ms` > NEW.`start_ms` AND (status = 'booked' OR `grace_until_ms` > `end_ms`)
      AND (CASE WHEN status = 'booked' THEN `start_ms` ELSE `end_ms` END) < coalesce(NEW.`grace_until_ms`, NEW.`end_ms`)
      AND `id` IS NOT NEW.`renewed_from_id` AND `renewed_from_id` IS NOT NEW.`id`
  );
END;
--> statement-breakpoint
-- A row written without the new columns (bulk seeding, tools) holds until its end and starts its own chain.
CREATE TRIGGER `bookings_fill_hold`
AFTER INSERT ON `bookings`
WHEN NEW.`grace_until_ms` IS NULL OR NEW.`chain_start_ms` IS NULL
BEGIN
  UPDATE `bookings` SET `grace_until_ms` = coalesce(NEW.`grace_until_ms`, NEW.`end_ms`),
                        `chain_start_ms` = coalesce(NEW.`chain_start_ms`, NEW.`start_ms`)
   WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- A saved tariff version is history: bookings point at it and keep the price it gave.
CREATE TRIGGER `tariff_versions_append_only_update`
BEFORE UPDATE ON `tariff_versions`
BEGIN
  SELECT RAISE(ABORT, 'TARIFF_VERSION_FINAL');
END;
--> statement-breakpoint
CREATE TRIGGER `tariff_versions_append_only_delete`
BEFORE DELETE ON `tariff_versions`
BEGIN
  SELECT RAISE(ABORT, 'TARIFF_VERSION_FINAL');
END;
