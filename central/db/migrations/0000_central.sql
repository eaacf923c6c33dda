-- The central store (issue 15). Events are the truth; every other table is derived from them
-- in the transaction that stores them (central/sync/push.ts).
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- A credential the operator issues for one lot; bound to the lot's global id on its first push.
CREATE TABLE lot_credentials (
  id serial PRIMARY KEY,
  name text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  lot_id uuid UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lots (
  lot_id uuid PRIMARY KEY,
  credential_id integer NOT NULL UNIQUE REFERENCES lot_credentials(id),
  name text NOT NULL,
  -- The highest sequence stored: the next push must start at last_seq + 1.
  last_seq bigint NOT NULL DEFAULT 0,
  first_contact_at timestamptz NOT NULL DEFAULT now(),
  last_contact_at timestamptz NOT NULL DEFAULT now(),
  -- What the lot said about itself at its last contact.
  reported_backlog integer NOT NULL DEFAULT 0,
  reported_oldest_unsent_at timestamptz,
  acked_version integer NOT NULL DEFAULT 0
);

CREATE TABLE events (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  seq bigint NOT NULL,
  event_id uuid NOT NULL,
  kind text NOT NULL,
  entity text NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (lot_id, seq),
  CONSTRAINT events_event_id UNIQUE (event_id)
);

-- The lots' own lots rows (a hub's database may hold more than one): name, zone, currency.
CREATE TABLE sites (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  local_lot_id integer NOT NULL,
  name text NOT NULL,
  currency text NOT NULL,
  time_zone text NOT NULL,
  settings jsonb NOT NULL,
  last_seq bigint NOT NULL,
  PRIMARY KEY (lot_id, local_lot_id)
);

CREATE TABLE slots (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  slot_id bigint NOT NULL,
  local_lot_id integer NOT NULL,
  label text NOT NULL,
  vehicle_type text NOT NULL,
  hourly_price bigint NOT NULL,
  enabled boolean NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  last_seq bigint NOT NULL,
  PRIMARY KEY (lot_id, slot_id)
);

CREATE TABLE bookings (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  booking_id bigint NOT NULL,
  local_lot_id integer NOT NULL,
  reference text NOT NULL,
  slot_id bigint NOT NULL,
  vehicle_number text NOT NULL,
  vehicle_type text NOT NULL,
  booking_type text NOT NULL,
  status text NOT NULL,
  start_ms bigint NOT NULL,
  end_ms bigint NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  price bigint NOT NULL,
  renewed_from_id bigint,
  tariff_version integer,
  created_at timestamptz NOT NULL,
  cancelled_at timestamptz,
  cancelled_by text,
  cancel_reason text,
  snapshot jsonb NOT NULL,
  last_seq bigint NOT NULL,
  -- Set when storing this row as active would have broken the exclusion below: the lot broke
  -- its own invariant. The row is kept (and an alarm recorded) instead of losing the event.
  in_conflict boolean NOT NULL DEFAULT false,
  PRIMARY KEY (lot_id, booking_id),
  -- The alarm: no two active bookings of one lot share a slot at the same time.
  CONSTRAINT bookings_no_double_booking EXCLUDE USING gist (
    lot_id WITH =, slot_id WITH =, tstzrange(start_at, end_at) WITH &&
  ) WHERE (status = 'booked' AND NOT in_conflict)
);
CREATE INDEX bookings_search ON bookings (vehicle_number);
CREATE INDEX bookings_reference ON bookings (reference);
CREATE INDEX bookings_created ON bookings (lot_id, created_at);

CREATE TABLE booking_add_ons (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  add_on_id bigint NOT NULL,
  booking_id bigint NOT NULL,
  kind text NOT NULL,
  price bigint NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (lot_id, add_on_id)
);

CREATE TABLE audit (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  audit_id bigint NOT NULL,
  at timestamptz NOT NULL,
  staff_id bigint,
  actor text NOT NULL,
  action text NOT NULL,
  detail jsonb NOT NULL,
  PRIMARY KEY (lot_id, audit_id)
);

-- Every tariff version a lot saved (its own edits and the central ones it applied).
CREATE TABLE lot_tariffs (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  local_lot_id integer NOT NULL,
  version integer NOT NULL,
  document jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  PRIMARY KEY (lot_id, local_lot_id, version)
);

CREATE TABLE alarms (
  id bigserial PRIMARY KEY,
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  seq bigint,
  kind text NOT NULL,
  detail jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);

-- Documents authored centrally for one lot, numbered per lot; the lot pulls versions above
-- the one it acknowledged.
CREATE TABLE documents (
  lot_id uuid NOT NULL REFERENCES lots(lot_id),
  version integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('tariff')),
  local_lot_id integer NOT NULL,
  document jsonb NOT NULL,
  effective_from timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (lot_id, version)
);

CREATE TABLE staff_accounts (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
  token_hash text PRIMARY KEY,
  staff_id integer NOT NULL REFERENCES staff_accounts(id),
  expires_at timestamptz NOT NULL
);
