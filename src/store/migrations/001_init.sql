-- 001_init: the whole data model of api.md. Times are INTEGER milliseconds
-- since the Unix epoch (UTC); booleans are INTEGER 0/1; ids are lower-cased
-- TEXT except orders, operators and note types (INTEGER, shown as strings).

CREATE TABLE operations (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('PRODUCT', 'SUBASSEMBLY', 'PROCESS')),
  external_id     TEXT,               -- part number
  revision        TEXT,
  name            TEXT NOT NULL,
  description     TEXT,
  produces_serial INTEGER NOT NULL DEFAULT 0 CHECK (produces_serial IN (0, 1)),
  template_id     TEXT,
  variant_name    TEXT,
  digest          BLOB NOT NULL,      -- SHA-256 of what was deployed: "changed?" in one compare
  seq             INTEGER NOT NULL,   -- seq of its latest event in operation_events
  updated_at      INTEGER NOT NULL,
  archived_at     INTEGER
) STRICT;
CREATE INDEX operations_external_id ON operations (external_id);

CREATE TABLE sub_operations (
  parent_id   TEXT NOT NULL REFERENCES operations (id),
  sub_id      TEXT NOT NULL REFERENCES operations (id),
  sub_group   TEXT,
  position    INTEGER NOT NULL,       -- 0-based routing order
  optional    INTEGER NOT NULL DEFAULT 0 CHECK (optional IN (0, 1)),
  seq         INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  archived_at INTEGER,
  PRIMARY KEY (parent_id, sub_id)
) STRICT;
CREATE INDEX sub_operations_sub ON sub_operations (sub_id);

CREATE TABLE steps (
  key              INTEGER PRIMARY KEY,
  operation_id     TEXT NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
  id               TEXT NOT NULL,
  position         INTEGER NOT NULL,
  name             TEXT NOT NULL,
  instruction_text TEXT,
  UNIQUE (operation_id, id)
) STRICT;

CREATE TABLE actions (
  step_key    INTEGER NOT NULL REFERENCES steps (key) ON DELETE CASCADE,
  id          TEXT NOT NULL,
  position    INTEGER NOT NULL,
  description TEXT,
  PRIMARY KEY (step_key, id)
) STRICT;

CREATE TABLE consumed_serial_attrs (
  operation_id TEXT NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
  id           TEXT NOT NULL,
  position     INTEGER NOT NULL,
  name         TEXT,
  part_number  TEXT,
  PRIMARY KEY (operation_id, id)
) STRICT;

CREATE TABLE stations (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  digest     BLOB NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE station_processes (
  station_id   TEXT NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
  operation_id TEXT NOT NULL REFERENCES operations (id),
  position     INTEGER NOT NULL,
  PRIMARY KEY (station_id, operation_id)
) STRICT;
CREATE INDEX station_processes_operation ON station_processes (operation_id);

CREATE TABLE operators (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tokens (
  id          TEXT PRIMARY KEY,       -- public: the <id> of mesd_<id>_<secret>
  role        TEXT NOT NULL CHECK (role IN ('admin', 'erp', 'operator')),
  name        TEXT,
  station_id  TEXT,                   -- no foreign key: a token may name a station deployed later
  secret_hash BLOB NOT NULL,          -- SHA-256 of the secret; the secret itself is never stored
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
) STRICT;

CREATE TABLE operation_orders (
  id                          INTEGER PRIMARY KEY,
  external_order_id           TEXT,
  operation_id                TEXT NOT NULL REFERENCES operations (id),
  order_index                 INTEGER NOT NULL DEFAULT 0,
  status                      TEXT NOT NULL
                              CHECK (status IN ('CREATED', 'READY', 'IN_PROGRESS', 'COMPLETED', 'CANCELED')),
  reserved_serial_number      TEXT,
  secondary_external_order_id TEXT,
  parent_id                   INTEGER REFERENCES operation_orders (id),
  station_id                  TEXT REFERENCES stations (id),
  operator_id                 INTEGER REFERENCES operators (id),
  created_at                  INTEGER NOT NULL,
  updated_at                  INTEGER NOT NULL,
  started_at                  INTEGER,
  completed_at                INTEGER
) STRICT;
-- the idempotency key of operationOrderSave, for root orders (children share their root's key)
CREATE UNIQUE INDEX operation_orders_key
  ON operation_orders (ifnull(external_order_id, ''), operation_id, order_index) WHERE parent_id IS NULL;
CREATE INDEX operation_orders_parent ON operation_orders (parent_id);
CREATE INDEX operation_orders_status ON operation_orders (status, operation_id);

CREATE TABLE order_selected_optionals (
  order_id     INTEGER NOT NULL REFERENCES operation_orders (id) ON DELETE CASCADE,
  operation_id TEXT NOT NULL,
  PRIMARY KEY (order_id, operation_id)
) STRICT;

CREATE TABLE consumed_serials (
  id           INTEGER PRIMARY KEY,
  order_id     INTEGER NOT NULL REFERENCES operation_orders (id),
  attribute_id TEXT NOT NULL,
  part_number  TEXT NOT NULL,         -- the component's part number: (part_number, value) is consumed once
  value        TEXT NOT NULL,
  at           INTEGER NOT NULL,
  UNIQUE (part_number, value)
) STRICT;
CREATE INDEX consumed_serials_order ON consumed_serials (order_id);

CREATE TABLE produced_serials (
  id          INTEGER PRIMARY KEY,
  order_id    INTEGER NOT NULL REFERENCES operation_orders (id),
  part_number TEXT NOT NULL,          -- the producing process's part number
  value       TEXT NOT NULL,
  at          INTEGER NOT NULL,
  UNIQUE (part_number, value)
) STRICT;
CREATE INDEX produced_serials_order ON produced_serials (order_id);

CREATE TABLE note_types (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE notes (
  id          TEXT PRIMARY KEY,
  external_id TEXT NOT NULL,
  order_id    INTEGER REFERENCES operation_orders (id),
  type_id     INTEGER REFERENCES note_types (id),
  text        TEXT,
  metadata    TEXT,                   -- JSON
  images      TEXT,                   -- JSON array of strings
  created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_subscriptions (
  id                 TEXT PRIMARY KEY,
  stream             TEXT NOT NULL CHECK (stream IN ('operations', 'sub_operations', 'completes', 'notes')),
  response_fragment  TEXT NOT NULL,
  url                TEXT NOT NULL,
  headers            TEXT,            -- JSON object
  secret             TEXT NOT NULL,   -- HMAC key: must be usable, so kept as is
  created_at         INTEGER NOT NULL,
  last_delivered_seq INTEGER,
  failing            INTEGER NOT NULL DEFAULT 0 CHECK (failing IN (0, 1))
) STRICT;

CREATE TABLE webhook_outbox (
  id              INTEGER PRIMARY KEY,
  subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  UNIQUE (subscription_id, seq)
) STRICT;
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at);

-- The event log: one table per stream. AUTOINCREMENT: a seq is never reused,
-- and a rolled-back event gives its seq back (the counter rolls back with it).
CREATE TABLE operation_events (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  operation_id TEXT NOT NULL REFERENCES operations (id),   -- an event shows the operation as it is now
  at           INTEGER NOT NULL
) STRICT;

CREATE TABLE sub_operation_events (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id TEXT NOT NULL,
  sub_id    TEXT NOT NULL,
  at        INTEGER NOT NULL,
  FOREIGN KEY (parent_id, sub_id) REFERENCES sub_operations (parent_id, sub_id)
) STRICT;

CREATE TABLE operation_order_complete_events (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  ref     TEXT NOT NULL,              -- the completed order's id
  payload TEXT NOT NULL,              -- the completion as JSON: it never changes
  at      INTEGER NOT NULL
) STRICT;

CREATE TABLE note_events (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  ref     TEXT NOT NULL,              -- the note's id
  payload TEXT NOT NULL,              -- the note event as JSON: it never changes
  at      INTEGER NOT NULL
) STRICT;
