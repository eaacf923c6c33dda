-- Outbox triggers (issue 15): every change a lot commits writes its event row in the same
-- transaction, so sync cannot miss one and no rule has to remember to announce it.
-- The lot's global id is made here, once, on the first start with this migration.
INSERT OR IGNORE INTO settings (key, value) VALUES ('sync.lot_id', (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))));
--> statement-breakpoint
CREATE TRIGGER `outbox_booking_insert`
AFTER INSERT ON `bookings`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), CASE WHEN NEW.renewed_from_id IS NULL THEN 'booking.created' ELSE 'booking.renewed' END, 'booking:' || NEW.id,
    json_object('id', NEW.id, 'reference', NEW.reference, 'lotId', NEW.lot_id, 'slotId', NEW.slot_id,
      'vehicleNumber', NEW.vehicle_number, 'vehicleType', NEW.vehicle_type, 'bookingType', NEW.booking_type,
      'status', NEW.status, 'startMs', NEW.start_ms, 'endMs', NEW.end_ms, 'price', NEW.price,
      'renewedFromId', NEW.renewed_from_id, 'tariffVersionId', NEW.tariff_version_id,
      'tariffVersion', (SELECT version FROM tariff_versions WHERE id = NEW.tariff_version_id),
      'priceBreakdown', json(NEW.price_breakdown), 'chainStartMs', NEW.chain_start_ms, 'graceUntilMs', NEW.grace_until_ms,
      'createdAt', NEW.created_at, 'cancelledAt', NEW.cancelled_at, 'cancelledBy', NEW.cancelled_by, 'cancelReason', NEW.cancel_reason),
    NEW.created_at);
END;
--> statement-breakpoint
-- Which change it was, by what moved (one UPDATE statement of the core changes one of these).
CREATE TRIGGER `outbox_booking_update`
AFTER UPDATE ON `bookings`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), CASE WHEN OLD.status <> NEW.status THEN 'booking.' || NEW.status
        WHEN OLD.end_ms <> NEW.end_ms THEN 'booking.extended'
        WHEN OLD.vehicle_number <> NEW.vehicle_number THEN 'booking.plate_corrected'
        ELSE 'booking.updated' END, 'booking:' || NEW.id,
    json_object('id', NEW.id, 'reference', NEW.reference, 'lotId', NEW.lot_id, 'slotId', NEW.slot_id,
      'vehicleNumber', NEW.vehicle_number, 'vehicleType', NEW.vehicle_type, 'bookingType', NEW.booking_type,
      'status', NEW.status, 'startMs', NEW.start_ms, 'endMs', NEW.end_ms, 'price', NEW.price,
      'renewedFromId', NEW.renewed_from_id, 'tariffVersionId', NEW.tariff_version_id,
      'tariffVersion', (SELECT version FROM tariff_versions WHERE id = NEW.tariff_version_id),
      'priceBreakdown', json(NEW.price_breakdown), 'chainStartMs', NEW.chain_start_ms, 'graceUntilMs', NEW.grace_until_ms,
      'createdAt', NEW.created_at, 'cancelledAt', NEW.cancelled_at, 'cancelledBy', NEW.cancelled_by, 'cancelReason', NEW.cancel_reason),
    CASE WHEN NEW.status = 'cancelled' AND OLD.status <> 'cancelled' THEN coalesce(NEW.cancelled_at, CAST(unixepoch('subsec') * 1000 AS INTEGER))
        WHEN NEW.status = 'completed' AND OLD.status <> 'completed' THEN NEW.end_ms
        ELSE CAST(unixepoch('subsec') * 1000 AS INTEGER) END);
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_add_on_insert`
AFTER INSERT ON `booking_add_ons`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'booking.add_on', 'booking:' || NEW.booking_id,
    json_object('id', NEW.id, 'bookingId', NEW.booking_id, 'kind', NEW.kind, 'price', NEW.price, 'createdAt', NEW.created_at),
    NEW.created_at);
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_slot_insert`
AFTER INSERT ON `slots`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'slot.created', 'slot:' || NEW.id,
    json_object('id', NEW.id, 'lotId', NEW.lot_id, 'label', NEW.label, 'vehicleType', NEW.vehicle_type,
      'hourlyPrice', NEW.hourly_price, 'enabled', json(CASE WHEN NEW.enabled THEN 'true' ELSE 'false' END), 'position', NEW.position, 'createdAt', NEW.created_at),
    NEW.created_at);
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_slot_update`
AFTER UPDATE ON `slots`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'slot.updated', 'slot:' || NEW.id,
    json_object('id', NEW.id, 'lotId', NEW.lot_id, 'label', NEW.label, 'vehicleType', NEW.vehicle_type,
      'hourlyPrice', NEW.hourly_price, 'enabled', json(CASE WHEN NEW.enabled THEN 'true' ELSE 'false' END), 'position', NEW.position, 'createdAt', NEW.created_at),
    CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_slot_delete`
AFTER DELETE ON `slots`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'slot.deleted', 'slot:' || OLD.id,
    json_object('id', OLD.id, 'lotId', OLD.lot_id, 'label', OLD.label, 'vehicleType', OLD.vehicle_type,
      'hourlyPrice', OLD.hourly_price, 'enabled', json(CASE WHEN OLD.enabled THEN 'true' ELSE 'false' END), 'position', OLD.position, 'createdAt', OLD.created_at),
    CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_tariff_insert`
AFTER INSERT ON `tariff_versions`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'tariff.saved', 'tariff:' || NEW.lot_id,
    json_object('id', NEW.id, 'lotId', NEW.lot_id, 'version', NEW.version, 'document', json(NEW.document),
      'createdAt', NEW.created_at, 'createdBy', NEW.created_by),
    NEW.created_at);
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_lot_insert`
AFTER INSERT ON `lots`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'lot.created', 'lot:' || NEW.id,
    json_object('id', NEW.id, 'name', NEW.name, 'currency', NEW.currency, 'bookingMinutes', NEW.booking_minutes,
      'carWashPrice', NEW.car_wash_price, 'timeZone', NEW.time_zone, 'slotHoldMinutes', NEW.slot_hold_minutes,
      'plateCorrectionMinutes', NEW.plate_correction_minutes, 'createdAt', NEW.created_at),
    NEW.created_at);
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_lot_update`
AFTER UPDATE ON `lots`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'lot.updated', 'lot:' || NEW.id,
    json_object('id', NEW.id, 'name', NEW.name, 'currency', NEW.currency, 'bookingMinutes', NEW.booking_minutes,
      'carWashPrice', NEW.car_wash_price, 'timeZone', NEW.time_zone, 'slotHoldMinutes', NEW.slot_hold_minutes,
      'plateCorrectionMinutes', NEW.plate_correction_minutes, 'createdAt', NEW.created_at),
    CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
--> statement-breakpoint
CREATE TRIGGER `outbox_audit_insert`
AFTER INSERT ON `audit_log`
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'audit.recorded', 'audit:' || NEW.id,
    json_object('id', NEW.id, 'at', NEW.at, 'staffId', NEW.staff_id, 'actor', NEW.actor, 'action', NEW.action, 'detail', json(NEW.detail)),
    NEW.at);
END;
--> statement-breakpoint
-- What the lot already holds goes first, as snapshots, in the order it was made.
INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
SELECT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'lot.created', 'lot:' || r.id,
  json_object('id', r.id, 'name', r.name, 'currency', r.currency, 'bookingMinutes', r.booking_minutes,
      'carWashPrice', r.car_wash_price, 'timeZone', r.time_zone, 'slotHoldMinutes', r.slot_hold_minutes,
      'plateCorrectionMinutes', r.plate_correction_minutes, 'createdAt', r.created_at),
  r.created_at
FROM `lots` r ORDER BY r.id;
--> statement-breakpoint
INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
SELECT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'slot.created', 'slot:' || r.id,
  json_object('id', r.id, 'lotId', r.lot_id, 'label', r.label, 'vehicleType', r.vehicle_type,
      'hourlyPrice', r.hourly_price, 'enabled', json(CASE WHEN r.enabled THEN 'true' ELSE 'false' END), 'position', r.position, 'createdAt', r.created_at),
  r.created_at
FROM `slots` r ORDER BY r.id;
--> statement-breakpoint
INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
SELECT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'tariff.saved', 'tariff:' || r.lot_id,
  json_object('id', r.id, 'lotId', r.lot_id, 'version', r.version, 'document', json(r.document),
      'createdAt', r.created_at, 'createdBy', r.created_by),
  r.created_at
FROM `tariff_versions` r ORDER BY r.id;
--> statement-breakpoint
INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
SELECT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'booking.existing', 'booking:' || r.id,
  json_object('id', r.id, 'reference', r.reference, 'lotId', r.lot_id, 'slotId', r.slot_id,
      'vehicleNumber', r.vehicle_number, 'vehicleType', r.vehicle_type, 'bookingType', r.booking_type,
      'status', r.status, 'startMs', r.start_ms, 'endMs', r.end_ms, 'price', r.price,
      'renewedFromId', r.renewed_from_id, 'tariffVersionId', r.tariff_version_id,
      'tariffVersion', (SELECT version FROM tariff_versions WHERE id = r.tariff_version_id),
      'priceBreakdown', json(r.price_breakdown), 'chainStartMs', r.chain_start_ms, 'graceUntilMs', r.grace_until_ms,
      'createdAt', r.created_at, 'cancelledAt', r.cancelled_at, 'cancelledBy', r.cancelled_by, 'cancelReason', r.cancel_reason),
  r.created_at
FROM `bookings` r ORDER BY r.id;
--> statement-breakpoint
INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
SELECT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'booking.add_on', 'booking:' || r.booking_id,
  json_object('id', r.id, 'bookingId', r.booking_id, 'kind', r.kind, 'price', r.price, 'createdAt', r.created_at),
  r.created_at
FROM `booking_add_ons` r ORDER BY r.id;
--> statement-breakpoint
INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
SELECT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'audit.recorded', 'audit:' || r.id,
  json_object('id', r.id, 'at', r.at, 'staffId', r.staff_id, 'actor', r.actor, 'action', r.action, 'detail', json(r.detail)),
  r.at
FROM `audit_log` r ORDER BY r.id;
