-- What became of each document at its lot (issue 15), from the lot's document.applied events:
-- when it applied there, and what applying made (a tariff version, a slot-map summary) or
-- why the lot refused it ({"refused": "..."}). Both null while the lot has not applied it.
ALTER TABLE documents ADD COLUMN applied_at timestamptz;
ALTER TABLE documents ADD COLUMN outcome jsonb;
