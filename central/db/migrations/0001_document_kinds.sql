-- Slot maps and lot settings are central documents too (issue 15), beside tariffs.
-- The list is shared/vocabulary.ts DOCUMENT_KINDS.
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('tariff', 'slot_map', 'lot_settings'));
