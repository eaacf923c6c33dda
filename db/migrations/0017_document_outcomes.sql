-- Issue 15: what became of each central document at the lot goes up as an event, so the
-- operator sees a document the lot applied, and one it refused with the reason.
CREATE TRIGGER `outbox_document_applied`
AFTER UPDATE OF `applied_at` ON `central_documents`
WHEN OLD.applied_at IS NULL AND NEW.applied_at IS NOT NULL
BEGIN
  INSERT INTO outbox (event_id, lot_id, kind, entity, payload, occurred_at)
  VALUES ((lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))), (SELECT value FROM settings WHERE key = 'sync.lot_id'), 'document.applied', 'document:' || NEW.version,
    json_object('version', NEW.version, 'kind', NEW.kind, 'localLotId', NEW.local_lot_id, 'appliedAt', NEW.applied_at,
      'outcome', json(coalesce(NEW.applied_as, 'null'))),
    NEW.applied_at);
END;
